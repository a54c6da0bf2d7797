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
        // Counts its runs, then keeps running (as a long deploy does) until the test lets it go.
        sha = DeployFixture.commit(repo, "#!/bin/sh\necho run >> " + dir.resolve("deploy-runs") + "\nwhile [ ! -f "
                + dir.resolve("release") + " ]; do sleep 0.05; done\n");
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
        String yaml = DeployFixture.yaml(repo, "workers: {heartbeat: 250ms, reclaim_after: 2s}\n");
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
        String why = interrupted();
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

    @Test
    void aDeployStoppedByAGracefulShutdownIsReportedInterruptedByTheNextInstanceAndNotRunAgain() throws Exception {
        String yaml = DeployFixture.yaml(repo, "workers: {heartbeat: 250ms, reclaim_after: 2s}\n");
        QuorumHarness stopping = QuorumHarness.start(dir.resolve("data-first"), yaml, Map.of(), Clock.systemUTC());
        try (Redis redis = Redis.connect(TestRedis.uri())) {
            assertThat(stopping.say("alice", "deploy production main").json().get("request_id").asText()).isEqualTo("R1");
            await("R1 to await approval", () -> "awaiting_approval".equals(redis.sync().hget(RequestStore.key("R1"), "state")));
            stopping.say("bob", "approve R1");
            await("the deploy to start", () -> Files.exists(dir.resolve("deploy-runs")));
        } finally {
            stopping.close();
        }
        second = QuorumHarness.start(dir.resolve("data-second"), yaml, Map.of(), Clock.systemUTC());
        try (SseClient room = second.events("alice")) {
            SseClient.Event reply = room.await(e -> e.kind().equals("reply") && e.text().startsWith("Failed: R1"), WAIT);
            assertThat(reply.text()).isEqualTo("Failed: R1 — " + interrupted());
        }
        assertThat(second.get("/api/requests/R1").json().get("reason").asText()).isEqualTo(interrupted());
        assertThat(Files.readAllLines(dir.resolve("deploy-runs"))).as("the deploy ran once").containsExactly("run");
    }

    private String interrupted() {
        return "interrupted: the deployment of " + sha.substring(0, 7) + " to production was interrupted (Quorum stopped "
                + "while it ran) and is not run again automatically. Check production before deploying again.";
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
            Thread.sleep(50);
        }
    }
}
