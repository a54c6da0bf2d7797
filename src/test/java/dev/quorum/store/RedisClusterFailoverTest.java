package dev.quorum.store;

import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.quorum.conversation.StoreUnreachableException;
import dev.quorum.reliability.Scenario;
import dev.quorum.reliability.ScenarioTable;
import dev.quorum.testing.CapturedLog;
import dev.quorum.testing.QuorumHarness;
import dev.quorum.testing.SseClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A failover inside a Redis Cluster: three masters with a replica each, the master that holds
 * {@code {q}}'s slot (all of Quorum's keys) SIGKILLed between the two votes of a merge. The Cluster
 * promotes its replica; Lettuce's topology refresh must move Quorum's connections (the shared one,
 * the {@code WAIT} one, the workers' blocking reads) to that node, which it had never sent a
 * command to, without a restart.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class RedisClusterFailoverTest {
    private static final String PASSWORD = "quorum-failover-0123456789";
    private static final String NOT_ON_A_REPLICA = "A critical write is on the Redis master but not yet on a replica";

    @TempDir
    Path tmp;

    @Test
    void theMasterOfQuorumsSlotKilledBetweenTwoVotesItsReplicaTakesOverAndTheMergeRunsOnce() throws Exception {
        Files.createDirectories(tmp.resolve("redis"));
        Path password = Files.writeString(tmp.resolve("password"), PASSWORD + "\n");
        try (RedisClusterProcesses cluster = RedisClusterProcesses.start(tmp.resolve("redis"), 3, 1);
             CapturedLog durability = CapturedLog.of(Durability.class);
             CapturedLog redisLog = CapturedLog.of(Redis.class)) {
            cluster.addUsers(PASSWORD);
            try (ApprovalFlow flow = ApprovalFlow.start(tmp, cluster.yaml(password), Map.of("REDIS_URL", ""))) {
                QuorumHarness quorum = flow.quorum();
                String merge = flow.proposeMerge();
                assertThat(flow.approve("bob", merge).status()).isEqualTo(202);
                flow.room().awaitReply("bob approved " + merge);
                // Bob's vote was acknowledged after WAIT: the replica had it before the kill.
                assertThat(quorum.quorum().redis().waitReplicas()).as("the master of {q}'s slot has a replica").isEqualTo(1);
                assertThat(durability.events()).extracting(ILoggingEvent::getFormattedMessage).noneMatch(m -> m.startsWith(NOT_ON_A_REPLICA));

                int home = cluster.ownerOf("{q}");
                cluster.kill(home);
                long killed = System.nanoTime();
                List<Integer> outage = new ArrayList<>();
                OptionalInt promoted = OptionalInt.empty();
                boolean taken = false;
                while (promoted.isEmpty()) {
                    // Until the Cluster has promoted the replica no command can be taken: each is refused at once, with the line
                    // (one taken in the moment before every node says so is the retry succeeding).
                    if (!taken) {
                        QuorumHarness.Response r = quorum.say("alice", "history");
                        outage.add(r.status());
                        taken = r.status() == 202;
                        if (!taken) {
                            assertThat(r.status()).as("answers since the kill: %s; %s", outage, r.json()).isEqualTo(503);
                            assertThat(r.json().path("error").asText()).isEqualTo(StoreUnreachableException.LINE);
                        }
                    }
                    promoted = cluster.newOwner("{q}", home);
                    if (Duration.ofNanos(System.nanoTime() - killed).toSeconds() > 30) throw new AssertionError("no replica was promoted");
                    Thread.sleep(100);
                }
                Duration promotion = Duration.ofNanos(System.nanoTime() - killed);
                assertThat(outage).as("statuses since the kill").first().isEqualTo(503);
                String movedLine = "Redis Cluster: Quorum's slot " + io.lettuce.core.cluster.SlotHash.getSlot("{q}") + " is now served by 127.0.0.1:" + promoted.getAsInt()
                        + " (was 127.0.0.1:" + home + ")";
                awaitLogged(redisLog, movedLine);
                Duration moved = Duration.ofNanos(System.nanoTime() - killed);

                // A vote once Lettuce has moved: taken at once, not refused while a connection to the new master opens; and
                // bob's, acknowledged before the kill, is there on the promoted replica (two approvals are needed).
                assertThat(flow.approve("carol", merge).status()).isEqualTo(202);
                flow.room().awaitReply("carol approved " + merge + ": quorum reached (bob, carol)");
                flow.awaitMerged(merge);
                Duration merged = Duration.ofNanos(System.nanoTime() - killed);
                assertThat(flow.mergeCommitsOnMain()).as("merge commits on main").isEqualTo(1);
                assertThat(flow.room().seen()).extracting(SseClient.Event::text).filteredOn(t -> t.startsWith("Done: " + merge)).hasSize(1);
                assertThat(quorum.get("/api/requests/" + merge).json().path("state").asText()).isEqualTo("done");
                flow.auditVerifies();
                assertThat(quorum.get("/health").status()).isEqualTo(200);
                assertThat(flow.room().seen()).extracting(SseClient.Event::text)
                        .noneMatch(t -> t.contains("Exception") || t.contains("\tat ") || t.contains("internal error"));
                try (Redis admin = Redis.connect("redis://admin:admin-0123456789@127.0.0.1:" + promoted.getAsInt())) {
                    assertThat(admin.sync().exists(Durability.MARK)).as("Quorum's keys on the promoted replica").isEqualTo(1);
                }
                // A Quorum started now, while the dead master is still a master (with no slots) in the Cluster's view.
                try (Redis restarted = Redis.connect(cluster.config(password))) {
                    assertThat(restarted.ping()).isTrue();
                }
                ScenarioTable.publish("Redis Cluster failover (RedisClusterFailoverTest: 3 masters, 1 replica each, cluster-node-timeout 2000)",
                        List.of(new Scenario("SIGKILL of the Cluster master of {q}'s slot, its replica promoted", "between approvals 1 and 2 of a merge",
                                outage.stream().filter(status -> status == 503).count() + " commands answered 503 \"" + StoreUnreachableException.LINE + "\"; replica promoted after "
                                        + seconds(promotion) + ", Quorum on it after " + seconds(moved)
                                        + "; the vote from before the failover counted; the next vote, taken at once, merged it",
                                merge + " done", "1 merge commit", true, merged)));
            }
        }
    }

    /** Waits until {@code log} has {@code line}: Quorum has moved to the promoted replica (and opened its connections to it). */
    private static void awaitLogged(CapturedLog log, String line) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (log.events().stream().noneMatch(e -> e.getFormattedMessage().equals(line))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Quorum never said: " + line + "\nit said: " + log.events().stream().map(ILoggingEvent::getFormattedMessage).toList());
            }
            Thread.sleep(20);
        }
    }

    private static String seconds(Duration d) {
        return String.format("%.1f s", d.toMillis() / 1000.0);
    }
}
