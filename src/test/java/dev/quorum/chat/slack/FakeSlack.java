package dev.quorum.chat.slack;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Slack's Web API as a real HTTP server on 127.0.0.1 (for {@code SLACK_API_URL}): answers the
 * methods Quorum calls the way Slack does (among them {@code chat.getPermalink}), records every call, and lets a test script a
 * different answer for the next call of a method (a 429 with {@code Retry-After}, an error).
 */
public final class FakeSlack implements AutoCloseable {
    static final String BOT_USER = "UQUORUM";
    static final String BOT_ID = "BQUORUM";
    static final String TEAM = "T0TEAM";
    /** The workspace's own address, as {@code auth.test} and {@code chat.getPermalink} name it. */
    static final String WORKSPACE = "https://test.slack.com";

    /** One Web API call as received, and the HTTP status it was answered with. */
    public record Call(String method, Map<String, String> params, String authorization, long nanos, int status) {
        public String param(String name) {
            return params.get(name);
        }

        JsonArray blocks() {
            String b = params.get("blocks");
            return b == null ? new JsonArray() : new JsonArray(b);
        }

        /** The mrkdwn text of every section, in order, joined by newlines. */
        String sectionText() {
            StringBuilder sb = new StringBuilder();
            for (Object o : blocks()) {
                JsonObject block = (JsonObject) o;
                if ("section".equals(block.getString("type")) && block.getJsonObject("text") != null) {
                    if (!sb.isEmpty()) sb.append('\n');
                    sb.append(block.getJsonObject("text").getString("text"));
                }
            }
            return sb.toString();
        }
    }

    /** A scripted answer. */
    record Answer(int status, Map<String, String> headers, String body) {
        static Answer status(int status) {
            return new Answer(status, Map.of(), "{\"ok\":false,\"error\":\"http " + status + "\"}");
        }

        static Answer rateLimited(int retryAfterSeconds) {
            return new Answer(429, Map.of("Retry-After", String.valueOf(retryAfterSeconds)), "{\"ok\":false,\"error\":\"ratelimited\"}");
        }

        static Answer error(String code) {
            return new Answer(200, Map.of(), new JsonObject().put("ok", false).put("error", code).encode());
        }
    }

    private final Vertx vertx = Vertx.vertx();
    /** What each {@code chat.postMessage} call was answered with, to tell a test which ts it got. */
    private final Map<Call, String> postedTs = new ConcurrentHashMap<>();
    private final HttpServer server;
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final Map<String, Queue<Answer>> scripted = new ConcurrentHashMap<>();
    private final AtomicLong ts = new AtomicLong();
    private final Map<String, Duration> slow = new ConcurrentHashMap<>();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger mostOpen = new AtomicInteger();
    private final List<ServerWebSocket> sockets = new CopyOnWriteArrayList<>();
    private final List<String> socketReceived = new CopyOnWriteArrayList<>();

    public FakeSlack() throws Exception {
        server = vertx.createHttpServer().requestHandler(this::handle).webSocketHandler(this::socket).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** Socket Mode: the address {@code apps.connections.open} hands out; Slack greets with {@code hello}. */
    private void socket(ServerWebSocket ws) {
        sockets.add(ws);
        ws.textMessageHandler(socketReceived::add);
        ws.closeHandler(v -> sockets.remove(ws));
        ws.writeTextMessage(new JsonObject().put("type", "hello").put("num_connections", 1)
                .put("connection_info", new JsonObject().put("app_id", "A0APP")).encode());
    }

    /** Waits for a Socket Mode connection, then sends {@code envelope} over it. */
    void sendOverSocket(JsonObject envelope) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (sockets.isEmpty() && System.nanoTime() < end) Thread.sleep(20);
        if (sockets.isEmpty()) throw new AssertionError("Quorum did not connect over Socket Mode");
        sockets.getFirst().writeTextMessage(envelope.encode());
    }

    /** Waits for a message from Quorum over Socket Mode that matches. */
    JsonObject awaitFromSocket(Predicate<JsonObject> matching) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < end) {
            for (String m : socketReceived) if (matching.test(new JsonObject(m))) return new JsonObject(m);
            Thread.sleep(20);
        }
        throw new AssertionError("nothing matched over Socket Mode; received: " + socketReceived);
    }

    /** For {@code SLACK_API_URL}. */
    public String apiUrl() {
        return "http://127.0.0.1:" + server.actualPort() + "/api/";
    }

    /** The next call of {@code method} gets {@code answer} instead of the usual one. */
    void script(String method, Answer answer) {
        scripted.computeIfAbsent(method, m -> new ConcurrentLinkedQueue<>()).add(answer);
    }

    /** Every call of {@code method} is answered only after {@code delay}, as a slow Slack would. */
    void slow(String method, Duration delay) {
        slow.put(method, delay);
    }

    /** The most calls that were open at once. */
    int mostOpenAtOnce() {
        return mostOpen.get();
    }

    List<Call> calls(String method) {
        return calls.stream().filter(c -> c.method().equals(method)).toList();
    }

    public List<Call> calls() {
        return List.copyOf(calls);
    }

    /** Waits for a call of {@code method} that matches, and returns it. */
    Call await(String method, Predicate<Call> matching, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            for (Call c : calls(method)) if (matching.test(c)) return c;
            Thread.sleep(20);
        }
        throw new AssertionError("no " + method + " call matched within " + timeout + "; calls: " + calls);
    }

    /** Waits for the first {@code chat.postMessage} that Slack took and whose sections contain {@code text}. */
    Call awaitPost(String text) throws InterruptedException {
        return await("chat.postMessage", c -> c.status() == 200 && c.sectionText().contains(text), Duration.ofSeconds(15));
    }

    private static void reply(HttpServerRequest req, Answer answer) {
        req.response().setStatusCode(answer.status()).putHeader("Content-Type", "application/json; charset=utf-8");
        answer.headers().forEach(req.response()::putHeader);
        req.response().end(answer.body());
    }

    /** The ts Slack gave the message that {@code post} (a {@code chat.postMessage} call) created. */
    String tsOf(Call post) {
        return postedTs.get(post);
    }

    private void handle(HttpServerRequest req) {
        mostOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
        req.response().endHandler(v -> open.decrementAndGet());
        req.body().onSuccess(body -> {
            String method = req.path().substring(req.path().lastIndexOf('/') + 1);
            Map<String, String> params = parse(body.toString(StandardCharsets.UTF_8), req.getHeader("Content-Type"));
            Queue<Answer> queue = scripted.get(method);
            Answer scriptedAnswer = queue == null ? null : queue.poll();
            JsonObject usual = usual(method, params);
            Answer answer = scriptedAnswer != null ? scriptedAnswer : new Answer(200, Map.of(), usual.encode());
            Call call = new Call(method, params, req.getHeader("Authorization"), System.nanoTime(), answer.status());
            if (scriptedAnswer == null && usual.containsKey("ts")) postedTs.put(call, usual.getString("ts"));
            calls.add(call);
            Duration delay = slow.get(method);
            if (delay == null) reply(req, answer);
            else vertx.setTimer(delay.toMillis(), id -> reply(req, answer));
        });
    }

    private JsonObject usual(String method, Map<String, String> params) {
        JsonObject ok = new JsonObject().put("ok", true);
        return switch (method) {
            case "auth.test" -> ok.put("user_id", BOT_USER).put("bot_id", BOT_ID).put("team_id", TEAM).put("user", "quorum")
                    .put("team", "Test team").put("url", WORKSPACE + "/");
            case "chat.postMessage" -> ok.put("channel", params.get("channel")).put("ts", nextTs());
            case "chat.update" -> ok.put("channel", params.get("channel")).put("ts", params.get("ts"));
            case "chat.postEphemeral" -> ok.put("message_ts", nextTs());
            case "chat.getPermalink" -> ok.put("channel", params.get("channel")).put("permalink", permalink(params.get("channel"), params.get("message_ts")));
            case "apps.connections.open" -> ok.put("url", "ws://127.0.0.1:" + server.actualPort() + "/socket");
            case "users.info" -> ok.put("user", new JsonObject().put("id", params.get("user")).put("name", params.get("user").toLowerCase())
                    .put("profile", new JsonObject().put("display_name", "name-of-" + params.get("user"))));
            default -> ok;
        };
    }

    /**
     * As Slack words it: on the workspace's host, the ts without its dot, and for a reply Quorum posted in a thread
     * Slack's thread form ({@code ?thread_ts=<thread>&cid=<channel>}).
     */
    String permalink(String channel, String ts) {
        String link = WORKSPACE + "/archives/" + channel + "/p" + ts.replace(".", "");
        for (Map.Entry<Call, String> posted : postedTs.entrySet()) {
            String thread = posted.getKey().param("thread_ts");
            if (posted.getValue().equals(ts) && thread != null && !thread.equals(ts)) return link + "?thread_ts=" + thread + "&cid=" + channel;
        }
        return link;
    }

    private String nextTs() {
        return "1700000000." + String.format("%06d", ts.incrementAndGet());
    }

    private static Map<String, String> parse(String body, String contentType) {
        Map<String, String> params = new HashMap<>();
        if (contentType != null && contentType.startsWith("application/json")) {
            new JsonObject(body).forEach(e -> params.put(e.getKey(), String.valueOf(e.getValue())));
            return params;
        }
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.put(key, value);
        }
        return params;
    }

    @Override
    public void close() throws Exception {
        vertx.close().await(5, TimeUnit.SECONDS);
    }
}
