package dev.quorum.chat.discord;

import dev.quorum.testing.QuorumHarness;
import io.vertx.core.json.JsonObject;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * {@link FakeDiscord} with a real Quorum connected to it, seen from outside this package (the attack
 * tests): members by name, what they say and click, what Quorum posted and called. Members named in
 * the constructor are created before Quorum starts, so the YAML can name their ids ({@code %alice%}).
 */
public final class DiscordWorld implements AutoCloseable {
    public static final Duration WAIT = Duration.ofSeconds(60);
    private final FakeDiscord discord;
    private final Map<String, FakeDiscord.User> users = new HashMap<>();
    private final QuorumHarness quorum;

    /** A click as Discord saw it. */
    public static final class Click {
        private final FakeInteraction interaction;

        private Click(FakeInteraction interaction) {
            this.interaction = interaction;
        }

        public int callbackType() {
            return interaction.awaitCallbackType(Duration.ofSeconds(3));
        }

        /** The body of the first follow-up that matches. */
        public JsonObject followUp(Predicate<JsonObject> matching) {
            return interaction.awaitFollowUp(matching, WAIT).body();
        }

        public String token() {
            return interaction.token();
        }
    }

    /**
     * @param yaml    Quorum's configuration; {@code %name%} stands for that member's user id
     * @param members human members; {@code bot:<name>} makes another bot
     */
    public DiscordWorld(Path data, String yaml, String... members) throws Exception {
        discord = new FakeDiscord();
        String config = yaml;
        for (String m : members) {
            FakeDiscord.User u = m.startsWith("bot:") ? discord.otherBot(m.substring(4)) : discord.user(m);
            String name = m.startsWith("bot:") ? m.substring(4) : m;
            users.put(name, u);
            config = config.replace("%" + name + "%", u.idString());
        }
        quorum = QuorumHarness.start(data, config, Map.of("DISCORD_BOT_TOKEN", discord.token(), "DISCORD_API_URL", discord.apiUrl()),
                Clock.systemUTC());
        discord.awaitLiveSessions(1, WAIT);
    }

    public QuorumHarness quorum() {
        return quorum;
    }

    public String token() {
        return discord.token();
    }

    public long general() {
        return discord.general();
    }

    public long dm(String member) {
        return discord.dmChannel(users.get(member));
    }

    public String mention(String member) {
        return users.get(member).mention();
    }

    public String quorumMention() {
        return discord.bot().mention();
    }

    /** {@code member} writes {@code content}; returns the message's id. */
    public long say(long channel, String member, String content) {
        return Long.parseLong(discord.dispatchMessageCreate(channel, users.get(member), content).getString("id"));
    }

    public Click click(long channel, String member, long messageId, String customId) {
        return new Click(discord.dispatchButton(channel, users.get(member), messageId, customId));
    }

    public JsonObject awaitQuorumMessage(long channel, Predicate<JsonObject> matching) {
        return discord.awaitMessage(channel, m -> DiscordEndToEndTest.byBot(discord, m) && matching.test(m), WAIT);
    }

    public List<JsonObject> quorumMessages(long channel) {
        return discord.botMessages(channel);
    }

    public boolean hasThread(long messageId) {
        return discord.threadOf(messageId).isPresent();
    }

    /** The JSON bodies Quorum sent with {@code method} to paths matching {@code pathRegex}. */
    public List<JsonObject> sent(String method, String pathRegex) {
        return discord.calls(method, pathRegex).stream().map(FakeDiscord.Call::body).toList();
    }

    /** The HTTP statuses the fake answered, over every call Quorum made. */
    public List<Integer> statuses() {
        return discord.calls().stream().map(FakeDiscord.Call::status).toList();
    }

    @Override
    public void close() throws Exception {
        quorum.close();
        discord.close();
    }
}
