package dev.quorum.request;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quorum.agent.testing.QuorumProcess;
import dev.quorum.testing.QuorumHarness;
import dev.quorum.testing.SseClient;
import dev.quorum.testing.Suites;
import dev.quorum.testing.TestRedis;
import dev.quorum.testing.TestRepo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A job that takes its JVM down with it, every time: three real Quorum processes take the same test run in turn
 * and are SIGKILLed while it runs; the fourth instance does not run it again but fails it, dead-lettered and audited.
 */
class JobAttemptCapTest {
    @TempDir
    Path dir;
    private TestRepo repo;
    private final List<QuorumProcess> killed = new ArrayList<>();
    private QuorumHarness last;

    @BeforeEach
    void setUp() throws Exception {
        TestRedis.flush();
        repo = TestRepo.init(dir.resolve("app"));
        repo.commit("a suite that runs for minutes", Map.of(Suites.SCRIPT, Suites.hanging()));
    }

    @AfterEach
    void tearDown() throws Exception {
        for (QuorumProcess p : killed) p.close();
        if (last != null) last.close();
        repo.close();
    }

    @Test
    void aTestRunWhoseInstanceDiesThreeTimesIsFailedDeadLetteredAndAuditedNotRunAFourthTime() throws Exception {
        String yaml = """
                console: {demo: true, users: {alice: {}}}
                groups: {engineers: [console:alice]}
                repos:
                  app: {path: %s, test_command: "%s", reports: ["%s"], test_timeout: 5m}
                workers: {heartbeat: 250ms, reclaim_after: 2s, max_attempts: 3}
                """.formatted(repo.dir().toAbsolutePath(), Suites.COMMAND, Suites.REPORTS);
        Path config = Files.writeString(dir.resolve("quorum.yaml"), yaml);
        try (var redis = TestRedis.fresh()) {
            for (int i = 1; i <= 3; i++) {
                Path data = dir.resolve("data-" + i);
                QuorumHarness.config(data, yaml, Map.of()); // puts the seal key all instances on one Redis share in place
                QuorumProcess p = QuorumProcess.start(config, Map.of("REDIS_URL", TestRedis.uri(), "QUORUM_HTTP_PORT", "0",
                        "QUORUM_DATA", data.toString()), dir.resolve("quorum-" + i + ".log"));
                killed.add(p);
                if (i == 1) assertThat(p.say("alice", "test app")).contains("\"request_id\":\"R1\"");
                int delivery = i;
                await("delivery " + i + " of R1's job to run", () -> String.valueOf(delivery).equals(attemptsOf(redis)));
                await("R1 to run", () -> "running".equals(redis.sync().hget(RequestStore.key("R1"), "state")));
                p.kill();
            }
            last = QuorumHarness.start(dir.resolve("data-4"), yaml, Map.of(), Clock.systemUTC());
            await("R1 to end", () -> !"running".equals(redis.sync().hget(RequestStore.key("R1"), "state")));
            assertThat(attemptsOf(redis)).as("the fourth delivery was counted and the count then dropped").isNull();
            assertThat(redis.sync().xlen(WorkQueue.DEAD_LETTERS)).isEqualTo(1);
        }
        String why = "the Quorum instance working on it stopped 3 times (a crash or a restart each time), so Quorum gave up on its test job";
        try (SseClient room = last.events("alice")) { // how to go on, for a test run as for any type with a rerunner
            assertThat(room.await(e -> e.kind().equals("reply") && e.text().startsWith("R1 failed: "), Duration.ofSeconds(30)).text())
                    .isEqualTo("R1 failed: " + why + ". `rerun R1` starts it again.");
        }
        JsonNode r1 = last.get("/api/requests/R1").json();
        assertThat(r1.get("state").asText()).isEqualTo("failed");
        assertThat(r1.get("reason").asText()).isEqualTo(why);
        JsonNode entries = last.get("/api/audit").json().get("entries");
        List<JsonNode> dead = new ArrayList<>();
        entries.forEach(e -> { if (e.get("type").asText().equals("job.dead_letter")) dead.add(e); });
        assertThat(dead).singleElement().satisfies(e -> {
            assertThat(e.get("request_id").asText()).isEqualTo("R1");
            assertThat(e.get("data").get("why").asText()).isEqualTo(why);
        });
    }

    /** How many times R1's one queued job has been delivered, or null once it left the queue. */
    private static String attemptsOf(dev.quorum.store.Redis redis) {
        Map<String, String> all = redis.sync().hgetall(WorkQueue.ATTEMPTS);
        return all.isEmpty() ? null : all.values().iterator().next();
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
            Thread.sleep(50);
        }
    }
}
