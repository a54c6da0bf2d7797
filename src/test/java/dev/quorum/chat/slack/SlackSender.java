package dev.quorum.chat.slack;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Slack's side of {@code POST /slack/events}: builds the payloads Slack sends (Events API,
 * slash commands, block actions) and posts them over real HTTP, signed the way Slack signs them
 * ({@code v0=} HMAC-SHA256 of {@code v0:<timestamp>:<body>} with the signing secret).
 * Also used by the benchmark.
 */
public final class SlackSender {
    public static final String SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
    public static final String CHANNEL = "C0GENERAL";

    private final HttpClient http;
    private final String url;
    private final String secret;

    public SlackSender(HttpClient http, String eventsUrl, String secret) {
        this.http = http;
        this.url = eventsUrl;
        this.secret = secret;
    }

    /** A signed request as Slack would send it now; {@code extraHeaders} such as {@code X-Slack-Retry-Num}. */
    public HttpRequest request(Body body, Map<String, String> extraHeaders) {
        return request(body, Instant.now().getEpochSecond(), secret, extraHeaders);
    }

    /** A request signed at {@code epochSecond} with {@code signingSecret}: for stale and forged requests. */
    public HttpRequest request(Body body, long epochSecond, String signingSecret, Map<String, String> extraHeaders) {
        String ts = Long.toString(epochSecond);
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", body.contentType())
                .header("X-Slack-Request-Timestamp", ts)
                .header("X-Slack-Signature", sign(signingSecret, ts, body.text()))
                .POST(HttpRequest.BodyPublishers.ofString(body.text()));
        extraHeaders.forEach(b::header);
        return b.build();
    }

    public HttpResponse<String> send(Body body) throws Exception {
        return send(body, Map.of());
    }

    public HttpResponse<String> send(Body body, Map<String, String> extraHeaders) throws Exception {
        return http.send(request(body, extraHeaders), HttpResponse.BodyHandlers.ofString());
    }

    public static String sign(String signingSecret, String timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(signingSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] digest = mac.doFinal(("v0:" + timestamp + ":" + body).getBytes(StandardCharsets.UTF_8));
            return "v0=" + HexFormat.of().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A request body and its content type. */
    public record Body(String contentType, String text) {
        public static Body json(JsonObject o) {
            return new Body("application/json", o.encode());
        }

        public static Body form(Map<String, String> fields) {
            return new Body("application/x-www-form-urlencoded", fields.entrySet().stream()
                    .map(e -> enc(e.getKey()) + "=" + enc(e.getValue())).collect(Collectors.joining("&")));
        }

        private static String enc(String s) {
            return URLEncoder.encode(s, StandardCharsets.UTF_8);
        }
    }

    // ---- payloads, shaped like Slack's own (api.slack.com/events, /interactivity) ----

    /** {@code app_mention} in {@code channel}; {@code threadTs} null for a top-level message. */
    public static Body mention(String eventId, String user, String text, String ts, String threadTs) {
        JsonObject event = new JsonObject().put("type", "app_mention").put("user", user).put("text", text)
                .put("ts", ts).put("channel", CHANNEL).put("event_ts", ts);
        if (threadTs != null) event.put("thread_ts", threadTs);
        return eventCallback(eventId, event);
    }

    /** A plain {@code message} in a channel thread (or top level when {@code threadTs} is null). */
    public static Body message(String eventId, String user, String text, String ts, String threadTs) {
        JsonObject event = new JsonObject().put("type", "message").put("channel_type", "channel").put("user", user)
                .put("text", text).put("ts", ts).put("channel", CHANNEL).put("event_ts", ts);
        if (threadTs != null) event.put("thread_ts", threadTs);
        return eventCallback(eventId, event);
    }

    /** A direct message to Quorum in the DM channel {@code D0DIRECT}. */
    public static Body directMessage(String eventId, String user, String text, String ts) {
        return eventCallback(eventId, new JsonObject().put("type", "message").put("channel_type", "im").put("user", user)
                .put("text", text).put("ts", ts).put("channel", "D0DIRECT").put("event_ts", ts));
    }

    /** A message that an app posted (it carries {@code bot_id}). */
    static Body botMessage(String eventId, String user, String botId, String text, String ts, String threadTs) {
        JsonObject event = new JsonObject().put("type", "message").put("channel_type", "channel").put("user", user)
                .put("bot_id", botId).put("app_id", "A0APP").put("text", text).put("ts", ts).put("channel", CHANNEL)
                .put("event_ts", ts).put("thread_ts", threadTs);
        return eventCallback(eventId, event);
    }

    public static Body eventCallback(String eventId, JsonObject event) {
        return Body.json(new JsonObject().put("token", "legacy").put("team_id", FakeSlack.TEAM).put("api_app_id", "A0APP")
                .put("event", event).put("type", "event_callback").put("event_id", eventId)
                .put("event_time", Instant.now().getEpochSecond())
                .put("authorizations", new JsonArray().add(new JsonObject().put("team_id", FakeSlack.TEAM)
                        .put("user_id", FakeSlack.BOT_USER).put("is_bot", true))));
    }

    static Body urlVerification(String challenge) {
        return Body.json(new JsonObject().put("token", "legacy").put("challenge", challenge).put("type", "url_verification"));
    }

    /** {@code /quorum <text>} typed by {@code user} in {@link #CHANNEL}. */
    public static Body slashCommand(String user, String userName, String text, String triggerId) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("token", "legacy");
        f.put("team_id", FakeSlack.TEAM);
        f.put("team_domain", "test");
        f.put("channel_id", CHANNEL);
        f.put("channel_name", "general");
        f.put("user_id", user);
        f.put("user_name", userName);
        f.put("command", "/quorum");
        f.put("text", text);
        f.put("api_app_id", "A0APP");
        f.put("response_url", "https://hooks.slack.com/commands/T0TEAM/1/abc");
        f.put("trigger_id", triggerId);
        return Body.form(f);
    }

    /**
     * A click on a button of the message {@code card} ({@code ts}, in thread {@code threadTs} or
     * top level), as Slack's {@code block_actions} payload.
     */
    public static Body click(String user, String userName, String cardTs, String threadTs, String actionId, String value, String triggerId) {
        JsonObject message = new JsonObject().put("type", "message").put("ts", cardTs).put("user", FakeSlack.BOT_USER)
                .put("bot_id", FakeSlack.BOT_ID).put("text", "card");
        JsonObject container = new JsonObject().put("type", "message").put("message_ts", cardTs).put("channel_id", CHANNEL)
                .put("is_ephemeral", false);
        if (threadTs != null) {
            message.put("thread_ts", threadTs);
            container.put("thread_ts", threadTs);
        }
        JsonObject payload = new JsonObject().put("type", "block_actions")
                .put("user", new JsonObject().put("id", user).put("username", userName).put("name", userName).put("team_id", FakeSlack.TEAM))
                .put("api_app_id", "A0APP").put("token", "legacy").put("container", container).put("trigger_id", triggerId)
                .put("team", new JsonObject().put("id", FakeSlack.TEAM).put("domain", "test"))
                .put("channel", new JsonObject().put("id", CHANNEL).put("name", "general"))
                .put("message", message).put("response_url", "https://hooks.slack.com/actions/T0TEAM/1/abc")
                .put("actions", new JsonArray().add(new JsonObject().put("action_id", actionId).put("block_id", "b1")
                        .put("text", new JsonObject().put("type", "plain_text").put("text", "label"))
                        .put("value", value).put("type", "button").put("action_ts", Instant.now().getEpochSecond() + ".000100")));
        return Body.form(Map.of("payload", payload.encode()));
    }
}
