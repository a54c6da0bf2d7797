package dev.quorum.chat.discord;

import dev.quorum.store.Redis;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a Discord button does, kept in Redis under its custom id ({@code q:<16 random characters>}): the
 * command a click sends and the request it is about, for 30 days, so a click works after a restart and
 * on any instance, and a command of any length fits Discord's 100-character custom id. Once the card is
 * posted the record also names its message, and a click arriving on another message is refused.
 * Thread-safe; blocking (Redis).
 */
final class ButtonRecords {
    static final Duration TTL = Duration.ofDays(30);
    static final String PREFIX = "q:";
    private static final String KEY = "{q}:discord:button:";
    private static final int RANDOM_CHARS = 16;
    private static final char[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private static final Pattern CUSTOM_ID = Pattern.compile(Pattern.quote(PREFIX) + "[A-Za-z0-9]{" + RANDOM_CHARS + "}");

    /**
     * @param requestId the request the button is about, or empty
     * @param messageId the card's message once posted, or empty
     */
    record Button(String command, String requestId, String messageId) {
        /** True when the click came from this button's own card (or the card was never bound). */
        boolean onMessage(String clickedMessageId) {
            return messageId.isEmpty() || messageId.equals(clickedMessageId);
        }
    }

    private final Redis redis;
    private final SecureRandom random = new SecureRandom();

    ButtonRecords(Redis redis) {
        this.redis = redis;
    }

    /** Keeps a new button's command; returns its custom id. */
    String save(String command, String requestId) {
        String id = PREFIX + randomChars();
        String key = KEY + id;
        redis.sync().hset(key, Map.of("command", command, "request", requestId == null ? "" : requestId));
        redis.sync().expire(key, TTL);
        return id;
    }

    /** The card these buttons are on, now that Discord has given it an id. */
    void bind(List<String> customIds, String messageId) {
        for (String id : customIds) redis.sync().hset(KEY + id, "message", messageId);
    }

    /**
     * The button behind a custom id. Anything not shaped like Quorum's ids is unknown without asking
     * Redis: a custom id comes from the client, and an odd one must not become a key pattern or a long key.
     */
    Optional<Button> find(String customId) {
        if (customId == null || !CUSTOM_ID.matcher(customId).matches()) return Optional.empty();
        Map<String, String> fields = redis.sync().hgetall(KEY + customId);
        String command = fields.get("command");
        if (command == null) return Optional.empty();
        return Optional.of(new Button(command, fields.getOrDefault("request", ""), fields.getOrDefault("message", "")));
    }

    private String randomChars() {
        char[] out = new char[RANDOM_CHARS];
        for (int i = 0; i < out.length; i++) out[i] = ALPHABET[random.nextInt(ALPHABET.length)];
        return new String(out);
    }
}
