package dev.quorum.agent.work;

import static dev.quorum.agent.testing.FakeOpenAiServer.call;
import static dev.quorum.agent.testing.FakeOpenAiServer.text;
import static dev.quorum.agent.testing.FakeOpenAiServer.toolCalls;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quorum.agent.testing.AgentConfigs;
import dev.quorum.agent.testing.FakeOpenAiServer;
import dev.quorum.agent.testing.QuorumProcess;
import dev.quorum.testing.QuorumHarness;
import dev.quorum.testing.SseClient;
import dev.quorum.testing.Suites;
import dev.quorum.testing.TestRedis;
import dev.quorum.testing.TestRepo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash safety: a Quorum instance is killed (SIGKILL, its own JVM) in the middle of a coding run; a second instance
 * on the same Redis reclaims the job from the work queue and resumes the request on the branch the first one pushed.
 */
class WorkerCrashTest {
    private static final String WORKERS = "workers: {heartbeat: 250ms, reclaim_after: 2s}\n";

    @TempDir
    Path dir;
    private final FakeOpenAiServer model = FakeOpenAiServer.start();
    private TestRepo repo;
    private QuorumProcess first;
    private QuorumHarness second;

    @BeforeEach
    void setUp() throws Exception {
        TestRedis.flush();
        repo = TestRepo.init(dir.resolve("app"));
        repo.commit("a suite", Map.of(Suites.SCRIPT, Suites.passing(2)));
    }

    @AfterEach
    void tearDown() throws Exception {
        if (first != null) first.close();
        if (second != null) second.close();
        model.close();
        repo.close();
    }

    @Test
    void aRequestWhoseInstanceIsKilledMidRunIsReclaimedAndResumedByAnotherInstance() throws Exception {
        model.enqueue(toolCalls(call("write_file", "{\"path\":\"a.txt\",\"content\":\"from the first instance\\n\"}")))
                .enqueue(toolCalls(call("run_tests", "{}")))
                .enqueue(text("never seen: the instance dies while waiting for this").delayedBy(120_000))
                .enqueue(toolCalls(call("write_file", "{\"path\":\"b.txt\",\"content\":\"from the second instance\\n\"}")))
                .enqueue(text("Wrote a.txt and b.txt."));
        String yaml = AgentConfigs.yaml(repo.dir(), WORKERS);
        first = startFirst(yaml);

        assertThat(first.say("alice", "code write a.txt and b.txt")).contains("\"request_id\":\"R1\"");
        await("the first instance's third model call", () -> model.requestCount() == 3);
        first.kill();

        second = QuorumHarness.start(dir.resolve("data-second"), yaml, AgentConfigs.openAi(model), Clock.systemUTC());
        await("R1 to end", () -> !state().equals("running"));

        JsonNode r1 = second.get("/api/requests/R1").json();
        assertThat(r1.get("state").asText()).as("log of the first instance: %s", Files.readString(dir.resolve("first.log")))
                .isEqualTo("succeeded");
        assertThat(r1.get("result").get("usage").get("attempts").asInt()).isEqualTo(2);
        assertThat(r1.get("result").get("usage").get("model_calls").asInt()).isEqualTo(4);
        assertThat(r1.get("result").get("diff_stat").get("files").findValuesAsText("path")).containsExactly("a.txt", "b.txt");
        JsonNode transcript = r1.get("transcript");
        assertThat(transcript.findValuesAsText("attempt")).containsExactly("1", "1", "1", "1", "2", "2", "2");
        assertThat(transcript.get(4).get("seq").asInt()).isEqualTo(1);
        var head = repo.git().getRepository().resolve("refs/heads/quorum/R1");
        assertThat(r1.get("result").get("commit").asText()).isEqualTo(head.name());
        assertThat(r1.get("evidence").get("commit").asText()).isEqualTo(head.name());
        assertThat(model.toolResultsIn(3)).isEmpty(); // the second instance began a new conversation on the branch
    }

    @Test
    void anInstanceThatStopsMidRunHandsTheRequestOverAndAnotherInstanceResumesIt() throws Exception {
        model.enqueue(toolCalls(call("write_file", "{\"path\":\"a.txt\",\"content\":\"before the restart\\n\"}")))
                .enqueue(text("never seen: the instance stops while waiting for this").delayedBy(120_000))
                .enqueue(toolCalls(call("write_file", "{\"path\":\"b.txt\",\"content\":\"after the restart\\n\"}")))
                .enqueue(text("Wrote a.txt and b.txt."));
        String yaml = AgentConfigs.yaml(repo.dir(), WORKERS);
        QuorumHarness stopping = QuorumHarness.start(dir.resolve("data-first"), yaml, AgentConfigs.openAi(model), Clock.systemUTC());
        try {
            assertThat(stopping.say("alice", "code write a.txt and b.txt").json().get("request_id").asText()).isEqualTo("R1");
            await("the second model call", () -> model.requestCount() == 2);
        } finally {
            stopping.close();
        }

        second = QuorumHarness.start(dir.resolve("data-second"), yaml, AgentConfigs.openAi(model), Clock.systemUTC());
        await("R1 to end", () -> !state().equals("running"));
        JsonNode r1 = second.get("/api/requests/R1").json();
        assertThat(r1.get("state").asText()).isEqualTo("succeeded");
        assertThat(r1.get("result").get("usage").get("attempts").asInt()).isEqualTo(2);
        assertThat(r1.get("result").get("diff_stat").get("files").findValuesAsText("path")).containsExactly("a.txt", "b.txt");
        assertThat(r1.get("history").toString()).doesNotContain("\"to\":\"failed\"");
    }

    /**
     * The pool's attempt cap ({@code workers.max_attempts}) now ends a run whose instance keeps dying before the agent's
     * own resume cap would: its reply still tells the member how to go on, as the agent's cap did.
     */
    @Test
    void aRunGivenUpOnByThePoolsAttemptCapTellsTheMemberToRerunIt() throws Exception {
        model.enqueue(text("never seen: the instance dies while waiting for this").delayedBy(120_000));
        String yaml = AgentConfigs.yaml(repo.dir(), "workers: {heartbeat: 250ms, reclaim_after: 2s, max_attempts: 1}\n");
        first = startFirst(yaml);
        assertThat(first.say("alice", "code write a.txt")).contains("\"request_id\":\"R1\"");
        await("the first model call", () -> model.requestCount() == 1);
        first.kill();

        second = QuorumHarness.start(dir.resolve("data-second"), yaml, AgentConfigs.openAi(model), Clock.systemUTC());
        try (SseClient room = second.events("alice")) {
            SseClient.Event failed = room.await(e -> e.kind().equals("reply") && e.text().startsWith("R1 failed: "), Duration.ofSeconds(60));
            assertThat(failed.text()).isEqualTo("R1 failed: the Quorum instance working on it stopped 1 time (a crash or a restart "
                    + "each time), so Quorum gave up on its code job. `rerun R1` starts it again.");
        }
        assertThat(state()).isEqualTo("failed");
        assertThat(model.requestCount()).as("not run again").isEqualTo(1);
    }

    /** The first instance, in a JVM of its own so that it can be SIGKILLed. */
    private QuorumProcess startFirst(String yaml) throws Exception {
        Path config = Files.writeString(dir.resolve("quorum.yaml"), yaml);
        Map<String, String> env = new HashMap<>(AgentConfigs.openAi(model));
        env.put("REDIS_URL", TestRedis.uri());
        env.put("QUORUM_HTTP_PORT", "0");
        env.put("QUORUM_DATA", dir.resolve("data-first").toString());
        return QuorumProcess.start(config, env, dir.resolve("first.log"));
    }

    private String state() {
        try {
            return second.get("/api/requests/R1").json().get("state").asText();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
            Thread.sleep(50);
        }
    }
}
