package dev.quorum.chat.discord;

import ch.qos.logback.classic.spi.ILoggingEvent;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quorum.testing.CapturedLog;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The REST client against Discord's answers (rate limits, errors) from a real HTTP server on 127.0.0.1. */
class DiscordRestTest {
    private static final String TOKEN = "MTAx.secret-bot-token.XYZ";
    private static final String INTERACTION_TOKEN = "aW50ZXJhY3Rpb24tdG9rZW4tc2VjcmV0";

    /** What the server saw: method, path (raw, as sent), headers, body, when. */
    record Seen(String method, String path, Map<String, String> headers, String body, long nanos) {}

    /** One scripted answer. */
    record Answer(int status, Map<String, String> headers, String body) {}

    private Vertx vertx;
    private HttpServer server;
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final Deque<Answer> script = new ArrayDeque<>();
    private DiscordRest rest;
    private OkHttpClient http;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
            Map<String, String> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            req.headers().forEach(h -> headers.put(h.getKey(), h.getValue()));
            seen.add(new Seen(req.method().name(), req.uri(), headers, body.toString(), System.nanoTime()));
            Answer a;
            synchronized (script) {
                a = script.isEmpty() ? new Answer(200, Map.of(), "{\"id\":\"1100000000000000001\"}") : script.poll();
            }
            var response = req.response().setStatusCode(a.status());
            a.headers().forEach(response::putHeader);
            if (a.body().isEmpty()) response.end();
            else response.putHeader("Content-Type", "application/json").end(Buffer.buffer(a.body()));
        })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        http = new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(10)).build();
        rest = new DiscordRest(http, "http://127.0.0.1:" + server.actualPort() + "/api/v10", TOKEN, new ObjectMapper());
    }

    @AfterEach
    void stop() throws Exception {
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private void answer(Answer... answers) {
        synchronized (script) {
            script.addAll(List.of(answers));
        }
    }

    private ObjectNode hello() {
        return rest.json().createObjectNode().put("content", "hello");
    }

    @Test
    void aMessageIsPostedWithTheBotTokenAndDiscordsUserAgent() {
        String id = rest.createMessage("200", hello(), null);

        assertThat(id).isEqualTo("1100000000000000001");
        Seen post = seen.getFirst();
        assertThat(post.method()).isEqualTo("POST");
        assertThat(post.path()).isEqualTo("/api/v10/channels/200/messages");
        assertThat(post.headers()).containsEntry("Authorization", "Bot " + TOKEN)
                .containsEntry("User-Agent", "DiscordBot (https://github.com/quorum, 0.1)");
        assertThat(post.body()).isEqualTo("{\"content\":\"hello\"}");
    }

    @Test
    void aLongTextGoesAsAFileBesideTheMessageInOneMultipartCall() {
        rest.createMessage("200", hello(), new DiscordRest.Attachment("reply.txt", "line 1\nline 2\n"));

        Seen post = seen.getFirst();
        assertThat(post.headers().get("Content-Type")).startsWith("multipart/form-data; boundary=");
        assertThat(post.body()).contains("name=\"payload_json\"", "{\"content\":\"hello\"}",
                "name=\"files[0]\"; filename=\"reply.txt\"", "line 1\nline 2\n");
    }

    @Test
    void aRateLimitWaitsTheRetryAfterFromTheBodyThenCallsAgain() {
        answer(new Answer(429, Map.of("Retry-After", "1"), "{\"message\":\"You are being rate limited.\",\"retry_after\":0.4,\"global\":false}"));

        String id;
        try (CapturedLog log = CapturedLog.of(DiscordRest.class)) {
            id = rest.createMessage("200", hello(), null);
            assertThat(log.events()).hasSize(1);
        }

        assertThat(id).isEqualTo("1100000000000000001");
        assertThat(seen).hasSize(2);
        assertThat(Duration.ofNanos(seen.get(1).nanos() - seen.get(0).nanos())).isGreaterThanOrEqualTo(Duration.ofMillis(390));
    }

    @Test
    void aBucketWithNothingLeftHoldsTheNextCallUntilItsReset() {
        answer(new Answer(200, Map.of("X-RateLimit-Remaining", "0", "X-RateLimit-Reset-After", "0.5"), "{\"id\":\"1\"}"));

        rest.editMessage("200", "1", hello(), null);
        rest.editMessage("200", "1", hello(), null);
        rest.editMessage("300", "2", hello(), null); // another channel is another bucket: no wait

        assertThat(Duration.ofNanos(seen.get(1).nanos() - seen.get(0).nanos())).isGreaterThanOrEqualTo(Duration.ofMillis(490));
        assertThat(Duration.ofNanos(seen.get(2).nanos() - seen.get(1).nanos())).isLessThan(Duration.ofMillis(400));
    }

    @Test
    void aGlobalRateLimitHoldsBackEveryRoute() {
        answer(new Answer(429, Map.of("X-RateLimit-Global", "true"), "{\"retry_after\":0.5,\"global\":true}"));

        try (CapturedLog log = CapturedLog.of(DiscordRest.class)) {
            rest.react("200", "1", "👀");
            assertThat(log.events()).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
                    "Discord rate-limited PUT channels/{channel}/messages/{message}/reactions/{emoji}/@me (globally); calling it again in 500 ms");
        }

        assertThat(seen).hasSize(2);
        assertThat(seen.get(1).path()).isEqualTo("/api/v10/channels/200/messages/1/reactions/%F0%9F%91%80/@me");
        assertThat(Duration.ofNanos(seen.get(1).nanos() - seen.get(0).nanos())).isGreaterThanOrEqualTo(Duration.ofMillis(490));
    }

    @Test
    void aServerErrorIsRetriedForAnEditButNotForAPostThatMayHaveBeenMade() {
        answer(new Answer(502, Map.of(), ""));
        rest.editMessage("200", "1", hello(), null);
        assertThat(seen).hasSize(2);

        answer(new Answer(502, Map.of(), ""));
        assertThatThrownBy(() -> rest.createMessage("200", hello(), null))
                .isInstanceOf(DiscordCallException.class)
                .hasMessage("POST channels/{channel}/messages failed: HTTP 502");
        assertThat(seen).hasSize(3);
    }

    @Test
    void aRefusalNamesTheRouteAndDiscordsCodeButNeverAToken() {
        answer(new Answer(404, Map.of(), "{\"message\":\"Unknown Webhook\",\"code\":10015}"));

        try (CapturedLog log = CapturedLog.of(DiscordRest.class)) {
            assertThatThrownBy(() -> rest.followUp("900", INTERACTION_TOKEN, hello(), null))
                    .isInstanceOf(DiscordCallException.class)
                    .hasMessage("POST webhooks/{app}/{token} failed: HTTP 404 (10015 Unknown Webhook)")
                    .satisfies(e -> assertThat(((DiscordCallException) e).failure().code()).isEqualTo(10015));
            assertThat(log.events()).extracting(ILoggingEvent::getFormattedMessage).noneMatch(m -> m.contains(INTERACTION_TOKEN) || m.contains(TOKEN));
        }
        assertThat(seen.getFirst().path()).isEqualTo("/api/v10/webhooks/900/" + INTERACTION_TOKEN);
    }

    @Test
    void aRateLimitIsLoggedByRouteTemplateOnly() {
        answer(new Answer(429, Map.of(), "{\"retry_after\":0.05}"));
        try (CapturedLog log = CapturedLog.of(DiscordRest.class)) {
            rest.editOriginal("900", INTERACTION_TOKEN, hello());
            assertThat(log.events()).extracting(ILoggingEvent::getFormattedMessage)
                    .containsExactly("Discord rate-limited PATCH webhooks/{app}/{token}/messages/@original; calling it again in 50 ms");
        }
    }

    @Test
    void noServerAtAllIsAnErrorWithoutTheAddress() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        vertx = Vertx.vertx();
        assertThatThrownBy(() -> rest.followUp("900", INTERACTION_TOKEN, hello(), null))
                .isInstanceOf(DiscordCallException.class)
                .hasMessage("POST webhooks/{app}/{token} failed: cannot connect to Discord");
    }

    @Test
    void aUsersNameIsTheirGlobalNameElseTheirUserName() {
        answer(new Answer(200, Map.of(), "{\"id\":\"7\",\"username\":\"ada_l\",\"global_name\":\"Ada\"}"),
                new Answer(200, Map.of(), "{\"id\":\"8\",\"username\":\"bob\",\"global_name\":null}"));

        assertThat(rest.displayName("7")).contains("Ada");
        assertThat(rest.displayName("8")).contains("bob");
        assertThat(seen.get(0).path()).isEqualTo("/api/v10/users/7");
    }

    @Test
    void commandsAreOverwrittenPerGuildOrGlobally() {
        var commands = rest.json().createArrayNode().add(rest.json().createObjectNode().put("name", "quorum"));
        rest.putCommands("900", "42", commands);
        rest.putCommands("900", null, commands);

        assertThat(seen).extracting(Seen::method, Seen::path).containsExactly(
                org.assertj.core.groups.Tuple.tuple("PUT", "/api/v10/applications/900/guilds/42/commands"),
                org.assertj.core.groups.Tuple.tuple("PUT", "/api/v10/applications/900/commands"));
        assertThat(seen.get(0).body()).isEqualTo("[{\"name\":\"quorum\"}]");
    }
}
