package dev.quorum.action;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quorum.agent.testing.QuorumProcess;
import dev.quorum.request.RequestStore;
import dev.quorum.store.Redis;
import dev.quorum.testing.QuorumHarness;
import dev.quorum.testing.SseClient;
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
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A deploy whose Quorum is SIGKILLed (its own JVM) while the deploy command runs: the instance that takes the job over
 * does not run the deploy again but fails the request {@code interrupted} and asks the channel to check the environment.
 */
class InterruptedDeployTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    @TempDir
    Path dir;
    private TestRepo repo;
    private String sha;
    private QuorumProcess first;
    private QuorumHarness second;

    @BeforeEach
    void setUp() throws Exception {
        TestRedis.flush();
        repo = TestRepo.init(dir.resolve("app"));
        sha = repo.commit("app", Map.of(
                "run-tests.sh", "#!/bin/sh\nmkdir -p reports\necho \"<testsuite name='t'><testcase classname='t' name='a'/></testsuite>\" > reports/TEST-t.xml\n",
                // Counts its runs, then keeps running (as a long deploy does) until the test lets it go.
                "deploy.sh", "#!/bin/sh\necho run >> " + dir.resolve("deploy-runs") + "\nwhile [ ! -f " + dir.resolve("release")
                        + " ]; do sleep 0.05; done\n"));
    }

    @AfterEach
    void tearDown() throws Exception {
        Files.writeString(dir.resolve("release"), ""); // the orphaned deploy script of the killed JVM ends
        if (first != null) first.close();
        if (second != null) second.close();
        repo.close();
    }

    @Test
    void aDeployInterruptedBySigkillIsNeverRunAgainAndTheChannelIsAskedToCheckTheEnvironment() throws Exception {
        String yaml = """
                console: {demo: true, users: {alice: {}, bob: {}}}
                groups: {engineers: [console:alice, console:bob]}
                repos:
                  # the deploy script counts its runs in the test's folder, which a sandbox rightly hides
                  app: {path: %s, test_command: sh run-tests.sh, reports: ["reports/*.xml"], test_timeout: 60s, sandbox: off}
                environments:
                  production: {repo: app, command: sh deploy.sh, timeout: 10m}
                policies:
                  deploy.production: {approvals: 1, eligible: [engineers]}
                workers: {heartbeat: 250ms, reclaim_after: 2s}
                """.formatted(repo.dir());
        Path config = Files.writeString(dir.resolve("quorum.yaml"), yaml);
        Path firstData = dir.resolve("data-first");
        QuorumHarness.config(firstData, yaml, Map.of()); // the seal key all instances on one Redis share
        first = QuorumProcess.start(config, Map.of("REDIS_URL", TestRedis.uri(), "QUORUM_HTTP_PORT", "0",
                "QUORUM_DATA", firstData.toString()), dir.resolve("first.log"));
        try (Redis redis = Redis.connect(TestRedis.uri())) {
            assertThat(first.say("alice", "deploy production main")).contains("\"request_id\":\"R1\"");
            await("R1 to await approval", () -> "awaiting_approval".equals(redis.sync().hget(RequestStore.key("R1"), "state")));
            first.say("bob", "approve R1");
            await("the deploy to start", () -> Files.exists(dir.resolve("deploy-runs")));
            first.kill();
        }

        second = QuorumHarness.start(dir.resolve("data-second"), yaml, Map.of(), Clock.systemUTC());
        String why = "interrupted: the deployment of " + sha.substring(0, 7) + " to production was interrupted (Quorum stopped "
                + "while it ran) and is not run again automatically. Check production before deploying again.";
        try (SseClient room = second.events("alice")) {
            SseClient.Event reply = room.await(e -> e.kind().equals("reply") && e.text().startsWith("Failed: R1"), WAIT);
            assertThat(reply.text()).isEqualTo("Failed: R1 — " + why);
        }
        JsonNode r1 = second.get("/api/requests/R1").json();
        assertThat(r1.get("state").asText()).as("first instance's log: %s", Files.readString(dir.resolve("first.log"))).isEqualTo("failed");
        assertThat(r1.get("reason").asText()).isEqualTo(why);
        assertThat(r1.get("execution").get("ok").asBoolean()).isFalse();
        assertThat(r1.get("execution").get("finished_at").isNull()).isFalse();
        assertThat(r1.get("execution").get("fence").asLong()).as("the first holder's fencing token").isEqualTo(1);
        assertThat(Files.readAllLines(dir.resolve("deploy-runs"))).as("the deploy ran once").containsExactly("run");
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
            Thread.sleep(50);
        }
    }
}
