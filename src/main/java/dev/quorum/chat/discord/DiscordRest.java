package dev.quorum.chat.discord;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quorum.chat.discord.DiscordCallException.Failure;
import okhttp3.MediaType;
import okhttp3.MultipartBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * The Discord REST calls Quorum makes, on every instance (only the gateway holder runs JDA, but any
 * instance's workers post and edit). A 429 pauses its bucket (or, when {@code global}, every call) for
 * the {@code retry_after} Discord names and the call is made again; a bucket that reports no
 * requests left waits for its reset before the next call. Repeatable calls are retried after a 5xx,
 * every call when the connection could not be made. Tokens never appear in what this class logs or
 * throws: routes are named by template.
 *
 * <p>Blocking: call from virtual threads. Thread-safe.
 */
final class DiscordRest {
    private static final Logger LOG = LoggerFactory.getLogger(DiscordRest.class);
    static final String USER_AGENT = "DiscordBot (https://github.com/quorum, 0.1)";
    static final int MAX_RATE_LIMITED_ATTEMPTS = 10;
    static final int MAX_FAILED_ATTEMPTS = 3;
    static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(1);
    /** Calls in flight at once: beyond a few dozen more connections only add handshakes. */
    static final int MAX_IN_FLIGHT = 32;
    private static final MediaType JSON = MediaType.get("application/json");
    private static final MediaType TEXT = MediaType.get("text/plain; charset=utf-8");
    private static final String GLOBAL = "*global*";

    static final Route ME = new Route("GET", "users/@me");
    static final Route USER = new Route("GET", "users/{user}");
    static final Route CREATE_MESSAGE = new Route("POST", "channels/{channel}/messages");
    static final Route EDIT_MESSAGE = new Route("PATCH", "channels/{channel}/messages/{message}");
    static final Route START_THREAD = new Route("POST", "channels/{channel}/messages/{message}/threads");
    static final Route REACT = new Route("PUT", "channels/{channel}/messages/{message}/reactions/{emoji}/@me");
    static final Route FOLLOW_UP = new Route("POST", "webhooks/{app}/{token}");
    static final Route EDIT_ORIGINAL = new Route("PATCH", "webhooks/{app}/{token}/messages/@original");
    static final Route GUILD_COMMANDS = new Route("PUT", "applications/{app}/guilds/{guild}/commands");
    static final Route GLOBAL_COMMANDS = new Route("PUT", "applications/{app}/commands");

    /** A REST route: its method and path template; the first parameter is the rate-limit bucket's. */
    record Route(String method, String template) {
        String path(String... args) {
            StringBuilder out = new StringBuilder();
            int arg = 0;
            for (String segment : template.split("/")) {
                if (!out.isEmpty()) out.append('/');
                out.append(segment.startsWith("{") ? URLEncoder.encode(args[arg++], StandardCharsets.UTF_8).replace("+", "%20") : segment);
            }
            return out.toString();
        }

        @Override
        public String toString() {
            return method + " " + template;
        }
    }

    /** A file sent with a message, for a text too long for its content. */
    record Attachment(String name, String text) {}

    private final OkHttpClient http;
    private final String base;
    private final String authorization;
    private final ObjectMapper json;
    /** Bucket to {@link System#nanoTime()} before which nobody calls it. */
    private final Map<String, Long> pausedUntil = new ConcurrentHashMap<>();
    private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT, true);

    /** @param base the REST base with its version and a trailing slash ({@code https://discord.com/api/v10/}) */
    DiscordRest(OkHttpClient http, String base, String botToken, ObjectMapper json) {
        this.http = http;
        this.base = base.endsWith("/") ? base : base + "/";
        this.authorization = "Bot " + botToken;
        this.json = json;
    }

    ObjectMapper json() {
        return json;
    }

    /** {@code GET users/@me}: Quorum's own user. */
    JsonNode me() {
        return call(ME, true, null, null);
    }

    /** The name a user shows everywhere ({@code global_name}, else the user name), if Discord tells it. */
    Optional<String> displayName(String userId) {
        JsonNode user = call(USER, true, null, null, userId);
        String global = user.path("global_name").asText("");
        String name = global.isBlank() ? user.path("username").asText("") : global;
        return name.isBlank() ? Optional.empty() : Optional.of(name);
    }

    /** Posts a message (with a file when given) and returns its id. */
    String createMessage(String channel, ObjectNode message, Attachment file) {
        return call(CREATE_MESSAGE, false, message, file, channel).path("id").asText();
    }

    /** Replaces a message (with a file when given: it replaces the files the message had). */
    void editMessage(String channel, String messageId, ObjectNode message, Attachment file) {
        call(EDIT_MESSAGE, true, message, file, channel, messageId);
    }

    /** A public thread started from a message; returns the thread's channel id. */
    String startThread(String channel, String messageId, String name) {
        ObjectNode body = json.createObjectNode().put("name", name).put("auto_archive_duration", 1440);
        return call(START_THREAD, false, body, null, channel, messageId).path("id").asText();
    }

    /** Quorum's reaction on a message; a reaction that is already there stays one. */
    void react(String channel, String messageId, String emoji) {
        call(REACT, true, null, null, channel, messageId, emoji);
    }

    /** A follow-up message of an interaction (ephemeral when its flags say so), within the token's 15 minutes. */
    String followUp(String applicationId, String interactionToken, ObjectNode message, Attachment file) {
        return call(FOLLOW_UP, false, message, file, applicationId, interactionToken).path("id").asText();
    }

    /** Replaces the interaction's deferred (or first) reply; returns that message's id. */
    String editOriginal(String applicationId, String interactionToken, ObjectNode message) {
        return call(EDIT_ORIGINAL, true, message, null, applicationId, interactionToken).path("id").asText();
    }

    /** Overwrites the application's commands in one guild, or globally when {@code guild} is null. */
    void putCommands(String applicationId, String guild, ArrayNode commands) {
        if (guild == null) call(GLOBAL_COMMANDS, true, commands, null, applicationId);
        else call(GUILD_COMMANDS, true, commands, null, applicationId, guild);
    }

    /**
     * Makes the call, waiting out its bucket's pause first.
     *
     * @param repeatable true when making the call twice does no harm (so a 5xx may be retried)
     * @return the answer's JSON ({@code MissingNode} for 204 No Content)
     */
    private JsonNode call(Route route, boolean repeatable, JsonNode body, Attachment file, String... args) {
        String bucket = route.method() + " " + route.template() + " " + (args.length > 0 ? args[0] : "");
        String path = route.path(args);
        int rateLimited = 0;
        int failed = 0;
        while (true) {
            awaitPause(route, GLOBAL);
            awaitPause(route, bucket);
            try {
                Answer answer = send(route, path, body, file);
                rememberRemaining(answer.response(), bucket);
                int status = answer.response().code();
                if (status / 100 == 2) return answer.body();
                if (status == 429 && ++rateLimited < MAX_RATE_LIMITED_ATTEMPTS) {
                    Duration wait = retryAfter(answer);
                    boolean global = answer.body().path("global").asBoolean(false)
                            || answer.response().header("X-RateLimit-Global") != null;
                    LOG.warn("Discord rate-limited {}{}; calling it again in {} ms", route, global ? " (globally)" : "", wait.toMillis());
                    pausedUntil.merge(global ? GLOBAL : bucket, System.nanoTime() + wait.toNanos(), Math::max);
                } else if (status >= 500 && repeatable && ++failed < MAX_FAILED_ATTEMPTS) {
                    sleep(route, backoff(failed));
                } else {
                    throw refused(route, status, answer.body());
                }
            } catch (ConnectException e) {
                if (++failed >= MAX_FAILED_ATTEMPTS) throw new DiscordCallException(route, Failure.unanswered("cannot connect to Discord"));
                sleep(route, backoff(failed));
            } catch (InterruptedIOException e) {
                throw new DiscordCallException(route, Failure.unanswered("no answer in time"));
            } catch (IOException e) {
                // Only the exception's type: OkHttp's texts may repeat the URL, and an interaction's URL holds its token.
                throw new DiscordCallException(route, Failure.unanswered(e.getClass().getSimpleName()));
            }
        }
    }

    private record Answer(Response response, JsonNode body) {}

    private Answer send(Route route, String path, JsonNode body, Attachment file) throws IOException {
        Request.Builder request = new Request.Builder().url(base + path)
                .header("Authorization", authorization)
                .header("User-Agent", USER_AGENT);
        RequestBody payload = body == null ? null : RequestBody.create(json.writeValueAsBytes(body), JSON);
        if (file != null) {
            payload = new MultipartBody.Builder().setType(MultipartBody.FORM)
                    .addFormDataPart("payload_json", null, payload != null ? payload : RequestBody.create("{}", JSON))
                    .addFormDataPart("files[0]", file.name(), RequestBody.create(file.text(), TEXT))
                    .build();
        }
        if (payload == null && !route.method().equals("GET")) payload = RequestBody.create(new byte[0], null);
        request.method(route.method(), payload);
        waitFor(route, "for a free connection", inFlight::acquire);
        try (Response response = http.newCall(request.build()).execute()) {
            ResponseBody rb = response.body();
            String text = rb.string();
            JsonNode parsed = text.isBlank() ? json.missingNode() : parse(text);
            return new Answer(response, parsed);
        } finally {
            inFlight.release();
        }
    }

    private JsonNode parse(String text) {
        try {
            return json.readTree(text);
        } catch (IOException e) {
            return json.missingNode();
        }
    }

    /** Discord says how many calls a bucket has left; at none, the next waits for the reset it names. */
    private void rememberRemaining(Response response, String bucket) {
        String remaining = response.header("X-RateLimit-Remaining");
        String resetAfter = response.header("X-RateLimit-Reset-After");
        if (!"0".equals(remaining) || resetAfter == null) return;
        seconds(resetAfter).ifPresent(d -> pausedUntil.merge(bucket, System.nanoTime() + d.toNanos(), Math::max));
    }

    private static DiscordCallException refused(Route route, int status, JsonNode body) {
        int code = body.path("code").asInt(0);
        String message = body.path("message").asText("");
        String what = "HTTP " + status + (code != 0 ? " (" + code + (message.isBlank() ? "" : " " + shorten(message)) + ")" : "");
        return new DiscordCallException(route, new Failure(status, code, what));
    }

    private static String shorten(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "…";
    }

    /** Discord's {@code retry_after} (seconds, with a fraction) from the body, else the header, bounded. */
    private static Duration retryAfter(Answer answer) {
        JsonNode inBody = answer.body().path("retry_after");
        Optional<Duration> named = inBody.isNumber()
                ? Optional.of(Duration.ofMillis((long) Math.ceil(inBody.asDouble() * 1000)))
                : Optional.ofNullable(answer.response().header("Retry-After")).flatMap(DiscordRest::seconds);
        Duration d = named.filter(x -> !x.isNegative() && !x.isZero()).orElse(Duration.ofSeconds(1));
        return d.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : d;
    }

    private static Optional<Duration> seconds(String text) {
        try {
            return Optional.of(Duration.ofMillis((long) Math.ceil(Double.parseDouble(text.strip()) * 1000)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private void awaitPause(Route route, String bucket) {
        Long until = pausedUntil.get(bucket);
        if (until == null) return;
        long left = until - System.nanoTime();
        if (left > 0) sleep(route, Duration.ofNanos(left));
        else pausedUntil.remove(bucket, until);
    }

    private interface Wait {
        void run() throws InterruptedException;
    }

    /** A wait that an interrupt ends with this call's failure (the interrupt flag kept). */
    private static void waitFor(Route route, String what, Wait wait) {
        try {
            wait.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DiscordCallException(route, Failure.unanswered("interrupted while waiting " + what));
        }
    }

    private static void sleep(Route route, Duration d) {
        waitFor(route, "to call it again", () -> Thread.sleep(d));
    }

    /** Half a second, then a second: a restarting Discord edge is back by then, or the call gives up. */
    private static Duration backoff(int failures) {
        return Duration.ofMillis(250L << failures);
    }
}
