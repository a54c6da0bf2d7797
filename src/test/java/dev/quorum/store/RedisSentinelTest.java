package dev.quorum.store;

import dev.quorum.reliability.Scenario;
import dev.quorum.reliability.ScenarioTable;
import dev.quorum.testing.SseClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Quorum through Sentinel ({@code redis-sentinel://}) on one master, one replica and three
 * sentinels: the master SIGKILLed between two votes, the sentinels promote the replica, Lettuce
 * asks them for the master again as it reconnects, and the vote acknowledged before the kill is
 * there (it was on the replica before Quorum acknowledged it: WAIT).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RedisSentinelTest {
    private static final String PASSWORD = "sentinel-s3cret-0123456789";

    @TempDir
    Path tmp;

    @Test
    void aVoteAcknowledgedBeforeTheMasterIsKilledCountsAfterTheFailoverAndTheMergeFinishes() throws Exception {
        try (RedisSentinelProcesses redis = RedisSentinelProcesses.start(tmp.resolve("redis"), PASSWORD)) {
            voteAcrossAFailover(tmp, redis, "", "Redis Sentinel failover (RedisSentinelTest: 1 master, 1 replica, 3 sentinels)");
        }
    }

    /**
     * A merge on {@code redis} with Quorum's {@code redis:} section {@code redisYaml}: bob's vote, the master SIGKILLed,
     * the failover, carol's vote, the merge; published as the scenario {@code title}.
     */
    static void voteAcrossAFailover(Path tmp, RedisSentinelProcesses redis, String redisYaml, String title) throws Exception {
        try (ApprovalFlow flow = ApprovalFlow.start(tmp, redisYaml, Map.of("REDIS_URL", redis.url()))) {
            assertThat(flow.quorum().quorum().redis().waitReplicas()).as("the master has a replica at start").isEqualTo(1);
            String merge = flow.proposeMerge();
            assertThat(flow.approve("bob", merge).status()).isEqualTo(202);
            flow.room().awaitReply("bob approved " + merge);

            redis.killMaster();
            long killed = System.nanoTime();
            redis.awaitFailover();
            flow.awaitHealthy();

            assertThat(flow.approve("carol", merge).status()).isEqualTo(202);
            flow.awaitMerged(merge); // two approvals needed: bob's, from before the failover, is one
            flow.auditVerifies();
            assertThat(flow.room().seen()).extracting(SseClient.Event::text)
                    .noneMatch(t -> t.contains("Exception") || t.contains("\tat ") || t.contains("internal error"));
            ScenarioTable.publish(title, List.of(new Scenario(
                    "SIGKILL of the Redis master, Sentinel failover", "between approvals 1 and 2 of a merge",
                    "the vote from before the failover counted; the second vote merged it", merge + " " + flow.quorum().get("/api/requests/" + merge)
                    .json().path("state").asText(), "1 merge", true, Duration.ofNanos(System.nanoTime() - killed))));
        }
    }
}
