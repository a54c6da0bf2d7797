package dev.quorum.approval;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quorum.repo.RepoHosts;
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
 * The tour of the shipped demo, on embedded defaults: alice proposes merging feature/greeting,
 * her own approval is refused, bob and carol approve, main moves to the tested merge commit; then
 * production needs on-call dave.
 */
class DemoApprovalTest {
    private static final Duration MAVEN = Duration.ofMinutes(3);

    @TempDir
    Path data;

    @Test
    void theDemoMergeAndProductionDeployGoThroughTheirQuorums() throws Exception {
        TestRedis.flush();
        try (QuorumHarness q = QuorumHarness.start(data, QuorumHarness.bundledConfigText(), Map.of("REDIS_URL", ""), Clock.systemUTC());
             SseClient room = q.events("bob"); SseClient alice = q.events("alice")) {
            Path repo = data.resolve("repos/demo");
            String mainBefore = RepoHosts.local("demo", repo).head("main").orElseThrow().hex();

            String merge = q.say("alice", "merge feature/greeting").json().get("request_id").asText();
            room.await(e -> e.kind().equals("reply") && e.text().startsWith(merge + " · merge `feature/greeting` into `main` — awaiting approval"), MAVEN);
            q.say("alice", "approve " + merge);
            alice.awaitReply("You are an author of " + merge);
            q.say("bob", "approve " + merge);
            room.awaitReply("bob approved " + merge + ": 1 approval (bob); still needs 1 more approval");
            q.say("carol", "approve " + merge);
            room.awaitReply("Done: " + merge);
            JsonNode merged = q.get("/api/requests/" + merge).json();
            String mergeSha = merged.get("subject").get("merge_sha").asText();
            assertThat(RepoHosts.local("demo", repo).head("main").orElseThrow().hex()).isEqualTo(mergeSha).isNotEqualTo(mainBefore);
            assertThat(merged.get("evidence").get("commit").asText()).isEqualTo(mergeSha);
            assertThat(merged.get("evidence").get("tests").get("passed").asInt()).isEqualTo(4);

            q.say("dave", "history");
            assertThat(room.awaitReply("Latest requests:").text()).contains(merge + " · merge · done · alice");

            String deploy = q.say("alice", "deploy production").json().get("request_id").asText();
            room.await(e -> e.kind().equals("reply") && e.text().startsWith(deploy + " · deploy `main` to production — awaiting approval"), MAVEN);
            q.say("bob", "approve " + deploy);
            q.say("carol", "approve " + deploy);
            assertThat(room.awaitReply("carol approved " + deploy).text()).contains("2 approvals (bob, carol); still needs 1 from oncall");
            q.say("dave", "approve " + deploy);
            room.awaitReply("Done: " + deploy);
            JsonNode deployed = q.get("/api/requests/" + deploy).json();
            assertThat(deployed.get("subject").get("merge_sha").asText()).isEqualTo(mergeSha);
            assertThat(deployed.get("execution").get("output").asText()).contains("Deployed to production");
            assertThat(q.get("/api/audit/verify").json().get("ok").asBoolean()).isTrue();
        }
    }
}
