package dev.quorum.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quorum.conversation.Identity;
import dev.quorum.conversation.IncomingMessage;
import dev.quorum.chat.console.ConsoleAdapter;
import dev.quorum.request.Request;
import dev.quorum.request.RequestType;
import dev.quorum.testing.QuorumHarness;
import dev.quorum.testing.SseClient;
import dev.quorum.testing.TestRedis;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAddArgs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ConsoleApiTest {
    @TempDir
    Path data;
    private QuorumHarness q;

    @BeforeEach
    void start() throws Exception {
        TestRedis.flush();
        q = QuorumHarness.start(data);
    }

    @AfterEach
    void stop() {
        if (q != null) q.close();
    }

    @Test
    void helpStatusAndHistoryAnswerOnTheEventStream() throws Exception {
        try (SseClient events = q.events("alice")) {
            QuorumHarness.Response help = q.say("alice", "help");
            assertThat(help.status()).isEqualTo(202);
            assertThat(help.json().get("accepted").asBoolean()).isTrue();
            assertThat(help.json().get("request_id").isNull()).isTrue();
            events.await(e -> e.kind().equals("message") && e.data().get("from").asText().equals("alice"), java.time.Duration.ofSeconds(10));
            SseClient.Event reply = events.awaitReply("Commands:");
            assertThat(reply.text()).contains("`merge <id or branch> [into <target>]`");
            assertThat(reply.data().get("fields").toString()).contains("deploy.production");

            q.say("bob", "status");
            assertThat(events.awaitReply("Not frozen.").text()).contains("Nothing is queued");
            q.say("carol", "history");
            events.awaitReply("Nothing has happened yet.");
        }
    }

    @Test
    void historySurvivesARestartOnTheEmbeddedRedis() throws Exception {
        q.close();
        q = null;
        Path own = data.resolve("own");
        String yaml = QuorumHarness.bundledConfigText();
        Map<String, String> embedded = Map.of("REDIS_URL", "");
        try (QuorumHarness first = QuorumHarness.start(own, yaml, embedded, Clock.systemUTC())) {
            assertThat(first.quorum().redis().sync().info("server")).contains("redis_version");
            var requests = first.quorum().requests();
            Request r = requests.open(RequestType.RESEARCH, IncomingMessage.human(Identity.console("alice"), ConsoleAdapter.ROOM,
                    "research why"), "research why", null);
            first.say("dave", "freeze deploy window");
            assertThat(first.get("/api/requests").json().get("requests")).hasSize(1);
            assertThat(r.id()).isEqualTo("R1");
        }
        try (QuorumHarness second = QuorumHarness.start(own, yaml, embedded, Clock.systemUTC());
             SseClient events = second.events("bob")) {
            JsonNode list = second.get("/api/requests").json();
            assertThat(list.get("requests")).hasSize(1);
            assertThat(list.get("requests").get(0).get("text").asText()).isEqualTo("research why");
            second.say("bob", "history");
            assertThat(events.awaitReply("Latest requests:").text()).contains("R1 · research · queued · alice");
            second.say("bob", "status");
            assertThat(events.awaitReply("FROZEN by dave").text()).contains("deploy window");
            assertThat(second.get("/api/audit/verify").json().get("ok").asBoolean()).isTrue();
        }
    }

    @Test
    void anAlteredAuditEntryIsReportedByVerify() throws Exception {
        q.say("dave", "freeze");
        q.say("dave", "unfreeze");
        assertThat(q.get("/api/audit/verify").json().get("ok").asBoolean()).isTrue();
        var redis = q.quorum().redis().sync();
        List<StreamMessage<String, String>> all = redis.xrange("{q}:audit", Range.create("-", "+"));
        StreamMessage<String, String> freeze = all.stream().filter(m -> m.getBody().get("type").equals("freeze")).findFirst().orElseThrow();
        redis.del("{q}:audit");
        for (StreamMessage<String, String> m : all) {
            Map<String, String> body = new HashMap<>(m.getBody());
            if (m.getId().equals(freeze.getId())) body.put("actor", "console:alice");
            redis.xadd("{q}:audit", new XAddArgs().id(m.getId()), body);
        }
        JsonNode verdict = q.get("/api/audit/verify").json();
        assertThat(verdict.get("ok").asBoolean()).isFalse();
        assertThat(verdict.get("first_bad").asText()).isEqualTo(freeze.getId());
    }

    @Test
    void badInputGetsAClearErrorAndChangesNothing() throws Exception {
        Map<String, Long> before = storedCounts();
        Map<String, String> alice = Map.of("X-Quorum-User", "alice");

        var malformed = q.post("/api/console/messages", alice, "{\"text\": ");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.json().get("error").asText()).contains("JSON object");

        var notAString = q.post("/api/console/messages", alice, "{\"text\": 42}");
        assertThat(notAString.status()).isEqualTo(400);
        assertThat(notAString.json().get("error").asText()).isEqualTo("\"text\" must be a non-empty string");

        HttpResponse<String> huge = q.http().send(HttpRequest.newBuilder(URI.create(q.url("/api/console/messages")))
                .header("X-Quorum-User", "alice").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"" + "a".repeat(10 * 1024 * 1024) + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(huge.statusCode()).isEqualTo(413);
        assertThat(huge.body()).contains("too large");

        var stranger = q.say("mallory", "help");
        assertThat(stranger.status()).isEqualTo(401);
        assertThat(stranger.json().get("error").asText()).startsWith("unknown user");

        var badToken = q.post("/api/console/messages", Map.of("Authorization", "Bearer not-a-token"), "{\"text\":\"help\"}");
        assertThat(badToken.status()).isEqualTo(401);

        var unknown = q.say("alice", "frobnicate the widgets");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().get("error").asText()).isEqualTo("I don't know the command `frobnicate`. Try `help`.");

        var badArgs = q.say("alice", "test main;rm -rf /");
        assertThat(badArgs.status()).isEqualTo(400);
        assertThat(badArgs.json().get("usage").asText()).isEqualTo("test [<repo>] [<ref>]");

        assertThat(storedCounts()).isEqualTo(before);
    }

    @Test
    void withoutDemoModeEveryCallNeedsAToken() throws Exception {
        q.close();
        String yaml = QuorumHarness.tokenConfigText();
        q = QuorumHarness.start(data, yaml, Map.of(), Clock.systemUTC());
        assertThat(q.say("alice", "help").status()).isEqualTo(401);
        assertThat(q.get("/api/requests").status()).isEqualTo(401);
        assertThat(q.get("/api/requests", Map.of("Authorization", "Bearer wrong-token-0123456789")).status()).isEqualTo(401);
        assertThat(q.get("/api/requests", Map.of("Authorization", "Bearer bob-token-0123456789ab")).status()).isEqualTo(200);
        var ok = q.post("/api/console/messages", Map.of("Authorization", "Bearer alice-token-0123456789"), "{\"text\":\"status\"}");
        assertThat(ok.status()).isEqualTo(202);
    }

    @Test
    void onlyOncallFreezesAndTheRefusalIsPrivate() throws Exception {
        try (SseClient alice = q.events("alice"); SseClient bob = q.events("bob")) {
            q.say("alice", "freeze");
            SseClient.Event refusal = alice.awaitReply("Only on-call");
            assertThat(refusal.data().get("to").asText()).isEqualTo("alice");
            assertThat(q.quorum().freeze().isFrozen()).isFalse();
            q.say("dave", "freeze incident 4711");
            assertThat(bob.awaitReply("FROZEN by dave").text()).contains("incident 4711");
            assertThat(bob.seen()).noneMatch(e -> e.text().contains("Only on-call"));
            assertThat(q.quorum().freeze().isFrozen()).isTrue();
            q.say("dave", "unfreeze");
            bob.awaitReply("Unfrozen by dave");
            assertThat(q.quorum().freeze().isFrozen()).isFalse();
        }
    }

    @Test
    void theRequesterOrOncallCancelsAndNobodyElse() throws Exception {
        var requests = q.quorum().requests();
        Request r = requests.open(RequestType.RESEARCH, IncomingMessage.human(Identity.console("alice"), ConsoleAdapter.ROOM, "research x"), "research x", null);
        Request s = requests.open(RequestType.RESEARCH, IncomingMessage.human(Identity.console("alice"), ConsoleAdapter.ROOM, "research y"), "research y", null);
        try (SseClient bob = q.events("bob"); SseClient alice = q.events("alice")) {
            q.say("bob", "cancel " + r.id());
            assertThat(bob.awaitReply("Only alice").data().get("to").asText()).isEqualTo("bob");
            q.say("alice", "cancel " + r.id());
            alice.awaitReply(r.id() + " is cancelled.");
            q.say("dave", "cancel " + s.id());
            alice.awaitReply(s.id() + " is cancelled.");
            q.say("alice", "cancel " + r.id());
            alice.awaitReply(r.id() + " has already ended (cancelled); there is nothing to cancel.");
            q.say("alice", "cancel R404");
            alice.awaitReply("There is no request R404.");
        }
        JsonNode one = q.get("/api/requests/" + r.id()).json();
        assertThat(one.get("state").asText()).isEqualTo("cancelled");
        assertThat(one.get("reason").asText()).isEqualTo("cancelled by alice");
        assertThat(one.get("history").toString()).contains("console:alice");
    }

    @Test
    void theReadApiFiltersAndRefusesBadFilters() throws Exception {
        var requests = q.quorum().requests();
        for (String user : List.of("alice", "bob", "alice")) {
            requests.open(RequestType.TEST, IncomingMessage.human(Identity.console(user), ConsoleAdapter.ROOM, "test"), "test", null);
        }
        JsonNode mine = q.get("/api/requests?user=alice&limit=1").json();
        assertThat(mine.get("requests")).hasSize(1);
        assertThat(mine.get("requests").get(0).get("id").asText()).isEqualTo("R3");
        assertThat(mine.get("next").asText()).isEqualTo("3");
        JsonNode next = q.get("/api/requests?user=alice&limit=1&cursor=3").json();
        assertThat(next.get("requests").get(0).get("id").asText()).isEqualTo("R1");
        JsonNode item = q.get("/api/requests/R2").json();
        assertThat(item.get("requester").asText()).isEqualTo("console:bob");
        assertThat(item.get("created_at").asText()).endsWith("Z");
        assertThat(item.get("votes")).isEmpty();
        assertThat(item.get("evidence").isNull()).isTrue();
        assertThat(q.get("/api/requests/R99").status()).isEqualTo(404);
        var badState = q.get("/api/requests?state=sleeping");
        assertThat(badState.status()).isEqualTo(400);
        assertThat(badState.json().get("error").asText()).startsWith("unknown state 'sleeping'");
        assertThat(q.get("/api/requests?limit=5000").status()).isEqualTo(400);
        assertThat(q.get("/api/requests?since=yesterday").status()).isEqualTo(400);
    }

    @Test
    void healthAndMetricsReportTheRunningParts() throws Exception {
        JsonNode health = q.get("/health").json();
        assertThat(health.get("status").asText()).isEqualTo("UP");
        assertThat(health.get("redis").asText()).isEqualTo("UP");
        assertThat(health.get("adapters").get("console").asText()).isEqualTo("UP");
        HttpResponse<String> metrics = q.http().send(HttpRequest.newBuilder(URI.create(q.url("/metrics"))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.body()).contains("quorum_requests_by_state{state=\"queued\"}", "quorum_work_queue_depth",
                "vertx_http_server_response_time_seconds");
    }

    private Map<String, Long> storedCounts() {
        var redis = q.quorum().redis().sync();
        Map<String, Long> counts = new HashMap<>();
        counts.put("console", redis.xlen("{q}:console:log"));
        counts.put("audit", redis.xlen("{q}:audit"));
        counts.put("requests", redis.zcard("{q}:idx:time"));
        counts.put("keys", redis.dbsize());
        return counts;
    }

    /**
     * Replies posted from many threads at once all reach a page that is listening live, in the room's order: an
     * event published after a later one (its XADD first, its PUBLISH last) used to be dropped as already seen.
     */
    @Test
    void repliesPostedAtOnceFromManyThreadsAllReachALivePageInOrder() throws Exception {
        int threads = 8;
        int each = 60;
        try (SseClient events = q.events("alice")) {
            q.say("alice", "status");
            events.awaitReply("Not frozen.");
            var messenger = q.quorum().messenger();
            var pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
            var start = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < each; i++) {
                        var posted = messenger.post(ConsoleAdapter.ROOM, dev.quorum.conversation.Reply.text("load " + thread + "/" + i));
                        messenger.update(posted, dev.quorum.conversation.Reply.text("load " + thread + "/" + i + " edited"));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (var f : done) f.get(60, java.util.concurrent.TimeUnit.SECONDS);
            pool.shutdown();
            // Every one of them reaches the page (a dropped one times out here) ...
            for (int t = 0; t < threads; t++) {
                for (int i = 0; i < each; i++) {
                    String text = "load " + t + "/" + i;
                    events.await(e -> e.kind().equals("reply") && e.text().equals(text), java.time.Duration.ofSeconds(20));
                    events.await(e -> e.kind().equals("update") && e.text().equals(text + " edited"), java.time.Duration.ofSeconds(20));
                }
            }
            // ... in the order of the room's log, the order a reconnecting page resumes in.
            List<SseClient.Event> load = events.seen().stream().filter(e -> e.text().startsWith("load ")).toList();
            assertThat(load.stream().filter(e -> e.kind().equals("reply"))).hasSize(threads * each);
            assertThat(load.stream().filter(e -> e.kind().equals("update"))).hasSize(threads * each);
            for (int i = 1; i < load.size(); i++) {
                assertThat(dev.quorum.chat.console.ConsoleEvent.compareIds(load.get(i - 1).id(), load.get(i).id())).isNegative();
            }
        }
    }
}
