package dev.quorum.approval;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quorum.testing.FakeWebhook;
import dev.quorum.testing.QuorumHarness;
import dev.quorum.testing.Suites;
import dev.quorum.testing.TestRedis;
import dev.quorum.testing.TestRepo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two Quorum instances on one Redis, 200 votes at once over 50 deploy requests (to 50
 * environments): each request that reached quorum executed exactly once, none that did not executed.
 */
class ConcurrentVotesTest {
    @TempDir
    Path dir;

    @Test
    void quorumExecutesExactlyOnceAcrossInstancesUnderConcurrentVotes() throws Exception {
        TestRedis.flush();
        try (TestRepo repo = TestRepo.init(dir.resolve("app")); FakeWebhook webhook = new FakeWebhook()) {
            repo.commit("app", Map.of(Suites.SCRIPT, Suites.passing(1)));
            // One environment per request: a deploy that ran makes every other pending deploy of its environment stale
            String environments = IntStream.range(0, 50).mapToObj(i -> "e" + i + ": {repo: app, webhook: {url: \"" + webhook.url()
                    + "\", secret: webhook-secret-0123456789, retries: 0}}").collect(Collectors.joining(", ", "{", "}"));
            String yaml = """
                    console: {demo: true, users: {alice: {}, u1: {}, u2: {}, u3: {}, u4: {}, u5: {}, u6: {}, x1: {}, x2: {}, x3: {}}}
                    groups: {engineers: [console:u1, console:u2, console:u3, console:u4, console:u5, console:u6]}
                    repos: {app: {path: %s, test_command: "%s", reports: ["%s"]}}
                    environments: %s
                    policies: {deploy: {approvals: 2, eligible: [engineers], veto: false}}
                    """.formatted(repo.dir(), Suites.COMMAND, Suites.REPORTS, environments);
            try (QuorumHarness a = QuorumHarness.start(dir.resolve("a"), yaml, Map.of(), Clock.systemUTC());
                 QuorumHarness b = QuorumHarness.start(dir.resolve("b"), yaml, Map.of(), Clock.systemUTC())) {
                a.say("alice", "test");
                waitUntil(a, "/api/requests?type=test&state=succeeded", 1);
                List<String> ids = new ArrayList<>();
                for (int i = 0; i < 50; i++) ids.add((i % 2 == 0 ? a : b).say("alice", "deploy e" + i).json().get("request_id").asText());
                waitUntil(a, "/api/requests?type=deploy&state=awaiting_approval&limit=200", 50);

                record Ballot(String user, String id) {}
                List<Ballot> ballots = new ArrayList<>();
                List<String> withQuorum = new ArrayList<>();
                for (int i = 0; i < ids.size(); i++) {
                    String id = ids.get(i);
                    if (i % 5 == 0) {
                        for (String u : List.of("u1", "x1", "x2", "x3")) ballots.add(new Ballot(u, id)); // one eligible approval only
                    } else {
                        withQuorum.add(id);
                        for (String u : List.of("u1", "u2", "u3", "u4")) ballots.add(new Ballot(u, id));
                    }
                }
                Collections.shuffle(ballots, new Random(42));
                assertThat(ballots).hasSize(200);
                try (ExecutorService voters = Executors.newFixedThreadPool(200, Thread.ofVirtual().factory())) {
                    List<Future<Integer>> sent = new ArrayList<>();
                    for (int i = 0; i < ballots.size(); i++) {
                        Ballot v = ballots.get(i);
                        QuorumHarness via = i % 2 == 0 ? a : b;
                        sent.add(voters.submit(() -> via.say(v.user(), "approve " + v.id()).status()));
                    }
                    for (Future<Integer> f : sent) assertThat(f.get()).isEqualTo(202);
                }
                waitUntil(a, "/api/requests?type=deploy&state=done&limit=200", withQuorum.size());

                Map<String, Long> deliveries = webhook.deliveries().stream()
                        .collect(Collectors.groupingBy(d -> d.headers().get("X-Quorum-Delivery"), Collectors.counting()));
                assertThat(deliveries.keySet()).containsExactlyInAnyOrderElementsOf(withQuorum);
                assertThat(deliveries.values()).allMatch(n -> n == 1);
                Map<String, String> states = states(a);
                for (String id : ids) {
                    assertThat(states.get(id)).as(id).isEqualTo(withQuorum.contains(id) ? "done" : "awaiting_approval");
                }
                assertThat(a.get("/api/audit/verify").json().get("ok").asBoolean()).isTrue();
            }
        }
    }

    private static Map<String, String> states(QuorumHarness q) throws Exception {
        List<JsonNode> all = new ArrayList<>();
        q.get("/api/requests?type=deploy&limit=200").json().get("requests").forEach(all::add);
        return all.stream().collect(Collectors.toMap(r -> r.get("id").asText(), r -> r.get("state").asText()));
    }

    private static void waitUntil(QuorumHarness q, String query, int count) throws Exception {
        Function<JsonNode, Integer> size = json -> json.get("requests").size();
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (size.apply(q.get(query).json()) < count) {
            if (System.nanoTime() > deadline) throw new AssertionError("fewer than " + count + " for " + query + " after 120 s");
            Thread.sleep(100);
        }
    }
}
