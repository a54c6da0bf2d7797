package dev.quorum.insights;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quorum.agent.testing.AgentConfigs;
import dev.quorum.agent.testing.FakeOpenAiServer;
import dev.quorum.testing.QuorumHarness;
import dev.quorum.testing.SseClient;
import dev.quorum.testing.Suites;
import dev.quorum.testing.TestRedis;
import dev.quorum.testing.TestRepo;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import static dev.quorum.agent.testing.FakeOpenAiServer.call;
import static dev.quorum.agent.testing.FakeOpenAiServer.text;
import static dev.quorum.agent.testing.FakeOpenAiServer.toolCalls;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Claim vs evidence through Quorum's whole path: a coding agent (the real client against a fake OpenAI server) breaks
 * the suite, says "All tests pass.", and Quorum's own run of its final commit fails: the insights count one run that
 * claimed green on a red commit, with its cost on its requester.
 */
class ClaimedRunEndToEndTest {
    @TempDir
    Path dir;

    @Test
    void anAgentThatSaysTheTestsPassOnARedCommitIsCounted() throws Exception {
        TestRedis.flush();
        JsonNode insights;
        try (FakeOpenAiServer model = FakeOpenAiServer.start(); TestRepo repo = TestRepo.init(dir.resolve("app"))) {
            repo.commit("an app and its suite", Map.of(Suites.SCRIPT, Suites.passing(2), "src/App.java", "class App {}\n"));
            model.enqueue(toolCalls(call("write_file", new JsonObject().put("path", Suites.SCRIPT).put("content", Suites.failing("subtracts")).encode())))
                    .enqueue(text("Rewrote the suite. All tests pass."));
            try (QuorumHarness q = QuorumHarness.start(dir.resolve("data"), AgentConfigs.yaml(repo.dir(), ""), AgentConfigs.openAi(model), Clock.systemUTC());
                 SseClient events = q.events("alice")) {
                var res = q.say("alice", "code rewrite the suite");
                assertThat(res.status()).isEqualTo(202);
                String id = res.json().get("request_id").asText();
                events.await(e -> e.kind().equals("request") && e.text().equals(id + " is failed"), Duration.ofSeconds(60));
                assertThat(q.get("/api/requests/" + id).json().get("reason").asText()).startsWith("the tests fail on the final commit: failed:");
                insights = q.get("/api/insights", Map.of("X-Quorum-User", "alice")).json();
            }
        }
        assertThat(insights.get("claim_vs_evidence").toString())
                .isEqualTo("{\"runs\":1,\"claimed_pass\":1,\"claimed_pass_but_failed\":1,\"rate\":1.0}");
        assertThat(insights.get("cost_usd_by_person")).extracting(n -> n.get("person").asText()).containsExactly("console:alice");
        assertThat(insights.get("cost_usd_total").asDouble()).isPositive();
        assertThat(insights.at("/lead_time_ms/agent/count").asLong()).isEqualTo(1);
        assertThat(insights.get("requests_per_day").toString()).contains("\"type\":\"code\",\"state\":\"failed\",\"count\":1");
    }
}
