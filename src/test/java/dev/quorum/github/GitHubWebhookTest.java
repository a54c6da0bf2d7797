package dev.quorum.github;

import dev.quorum.testing.CapturedLog;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quorum.config.HttpConfig;
import dev.quorum.store.Redis;
import dev.quorum.testing.TestRedis;
import dev.quorum.web.WebServer;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static dev.quorum.github.GitHubDeliveries.SHA_A;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code POST /github/webhook} on Quorum's own web server, with a real Redis and a listener that records. */
class GitHubWebhookTest {
    private static final String SECRET = "It's a Secret to Everybody";
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<GitHubEvent> received = new CopyOnWriteArrayList<>();
    private final AtomicBoolean failNext = new AtomicBoolean();
    private Vertx vertx;
    private Redis redis;
    private WebServer web;

    @BeforeEach
    void start() throws Exception {
        redis = TestRedis.fresh();
        vertx = Vertx.vertx();
        GitHubWebhook hook = new GitHubWebhook(SECRET, redis, Map.of("acme/shop", "shop"), event -> {
            if (failNext.getAndSet(false)) throw new IllegalStateException("the listener fell over");
            received.add(event);
        });
        web = new WebServer(vertx, HttpConfig.defaults(), 0, List.of(hook));
        web.start().await(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
        redis.close();
    }

    private HttpResponse<String> deliver(String event, String delivery, String body) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return GitHubDeliveries.post(http, "http://127.0.0.1:" + web.port() + "/github/webhook",
                GitHubDeliveries.headers(SECRET, event, delivery, bytes), bytes);
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return GitHubHttp.JSON.readTree(r.body());
    }

    @Test
    void a_signed_comment_reaches_the_listener_once_however_often_github_delivers_it() throws Exception {
        String body = GitHubDeliveries.comment("acme/shop", 7, "alice", "/quorum approve R12").encode();
        HttpResponse<String> first = deliver("issue_comment", "72d3162e-cc78-11e3-81ab-4c9367dc0958", body);
        HttpResponse<String> redelivered = deliver("issue_comment", "72d3162e-cc78-11e3-81ab-4c9367dc0958", body);

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(json(first).path("accepted").asBoolean()).isTrue();
        assertThat(redelivered.statusCode()).isEqualTo(200);
        assertThat(json(redelivered).path("duplicate").asBoolean()).isTrue();
        assertThat(received).containsExactly(new GitHubEvent.IssueComment("shop", "72d3162e-cc78-11e3-81ab-4c9367dc0958", 7, "alice", 555,
                "approve R12", "/quorum approve R12"));
        assertThat(redis.sync().ttl(GitHubWebhook.KEY_PREFIX + "72d3162e-cc78-11e3-81ab-4c9367dc0958")).isBetween(604_000L, 604_800L);
    }

    @Test
    void githubs_documented_test_vector_is_accepted_and_one_changed_byte_is_not() throws Exception {
        // docs.github.com, "Validating webhook deliveries": this secret, this payload, this signature
        String signature = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
        String url = "http://127.0.0.1:" + web.port() + "/github/webhook";
        Map<String, String> headers = Map.of("X-Hub-Signature-256", signature, "X-GitHub-Event", "ping", "X-GitHub-Delivery", "d-doc");

        assertThat(GitHubDeliveries.post(http, url, headers, "Hello, World!".getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(200);
        assertThat(GitHubDeliveries.post(http, url, headers, "Hello, World?".getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(401);
    }

    @Test
    void a_ping_is_answered_and_stores_nothing() throws Exception {
        HttpResponse<String> r = deliver("ping", GitHubDeliveries.newDelivery(), "{\"zen\":\"Design for failure.\",\"hook_id\":1}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"ok\":true}");
        assertThat(redis.sync().keys("*")).isEmpty();
    }

    @Test
    void an_event_of_no_use_is_answered_200_with_the_reason_and_stores_nothing() throws Exception {
        HttpResponse<String> r = deliver("pull_request", GitHubDeliveries.newDelivery(),
                GitHubDeliveries.pullRequest("acme/shop", "labeled", 7, false, SHA_A).encode());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r).path("ignored").asText()).isEqualTo("pull_request labeled changes nothing Quorum binds to");
        assertThat(redis.sync().keys("*")).isEmpty();
        assertThat(received).isEmpty();
    }

    @Test
    void when_the_listener_fails_the_answer_is_500_and_githubs_redelivery_is_handled() throws Exception {
        String body = GitHubDeliveries.pullRequest("acme/shop", "closed", 7, false, SHA_A).encode();
        failNext.set(true);
        HttpResponse<String> failed;
        try (CapturedLog log = CapturedLog.of(GitHubWebhook.class)) { // the failure is provoked: its log line is asserted, not printed
            failed = deliver("pull_request", "d-500", body);
            assertThat(log.events()).extracting(e -> e.getFormattedMessage())
                    .containsExactly("GitHub webhook: delivery d-500 (pull_request) failed; GitHub may deliver it again");
        }
        assertThat(failed.statusCode()).isEqualTo(500);
        assertThat(json(failed).path("error").asText()).isEqualTo("internal error; the details are in Quorum's log");
        assertThat(redis.sync().keys("*")).isEmpty();

        assertThat(deliver("pull_request", "d-500", body).statusCode()).isEqualTo(200);
        assertThat(received).containsExactly(new GitHubEvent.PullRequestChanged("shop", "d-500", 7, new GitHubEvent.Change.Closed()));
    }
}
