package dev.quorum.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quorum.testing.QuorumHarness;
import dev.quorum.testing.SseClient;
import dev.quorum.testing.TestRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shipped demo, as a newcomer meets it: embedded Redis, the demo repository created on first
 * start, and its real Maven test suite run by Quorum from the console.
 */
class DemoRepositoryEvidenceTest {
    @TempDir
    Path data;

    @Test
    void theDemoRepositoryIsTestedFromTheConsoleOnEmbeddedDefaults() throws Exception {
        TestRedis.flush();
        try (QuorumHarness q = QuorumHarness.start(data, QuorumHarness.bundledConfigText(), Map.of("REDIS_URL", ""), Clock.systemUTC());
             SseClient events = q.events("alice")) {
            String main = q.say("alice", "test").json().get("request_id").asText();
            String feature = q.say("bob", "test demo feature/greeting").json().get("request_id").asText();
            events.await(e -> e.kind().equals("reply") && e.text().startsWith("passed: 3 passed"), Duration.ofMinutes(3));
            events.await(e -> e.kind().equals("reply") && e.text().startsWith("passed: 4 passed"), Duration.ofMinutes(3));
            JsonNode evidence = q.get("/api/requests/" + feature).json().get("evidence");
            assertThat(evidence.get("tests").get("passed").asInt()).isEqualTo(4);
            assertThat(evidence.get("command").asText()).isEqualTo("mvn -B -q test");
            assertThat(q.get("/api/requests/" + main).json().get("state").asText()).isEqualTo("succeeded");
        }
    }
}
