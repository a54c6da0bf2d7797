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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
             ExecutorService watcher = Executors.newVirtualThreadPerTaskExecutor()) {
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
                CompletableFuture<Duration> promotion = CompletableFuture.supplyAsync(() -> {
                    try {
                        cluster.awaitNewOwner("{q}", home);
                        return Duration.ofNanos(System.nanoTime() - killed);
                    } catch (Exception e) {
                        throw new CompletionException(e);
                    }
                }, watcher);
                List<Integer> outage = commandsUntilOneIsTaken(quorum, merge);
                Duration taken = Duration.ofNanos(System.nanoTime() - killed);
                Duration promoted = promotion.get(30, TimeUnit.SECONDS);
                flow.awaitHealthy();
                assertThat(outage).as("statuses of the commands sent from the kill on").contains(503).last().isEqualTo(202);
                int newHome = cluster.ownerOf("{q}");

                assertThat(flow.approve("carol", merge).status()).isEqualTo(202);
                flow.awaitMerged(merge); // two approvals needed: bob's, from before the failover, is one
                assertThat(flow.mergeCommitsOnMain()).as("merge commits on main").isEqualTo(1);
                assertThat(flow.room().seen()).extracting(SseClient.Event::text).filteredOn(t -> t.startsWith("Done: " + merge)).hasSize(1);
                flow.auditVerifies();
                assertThat(quorum.get("/api/requests/" + merge).json().path("state").asText()).isEqualTo("done");
                assertThat(flow.room().seen()).extracting(SseClient.Event::text)
                        .noneMatch(t -> t.contains("Exception") || t.contains("\tat ") || t.contains("internal error"));
                try (Redis admin = Redis.connect("redis://admin:admin-0123456789@127.0.0.1:" + newHome)) {
                    assertThat(admin.sync().exists(Durability.MARK)).as("Quorum's keys on the promoted replica").isEqualTo(1);
                }
                ScenarioTable.publish("Redis Cluster failover (RedisClusterFailoverTest: 3 masters, 1 replica each, cluster-node-timeout 2000)",
                        List.of(new Scenario("SIGKILL of the Cluster master of {q}'s slot, its replica promoted", "between approvals 1 and 2 of a merge",
                                "replica promoted after " + seconds(promoted) + "; 503 \"" + StoreUnreachableException.LINE + "\" until a command was taken after "
                                        + seconds(taken) + "; the vote from before the failover counted; the second vote merged it",
                                merge + " done", "1 merge commit", true, Duration.ofNanos(System.nanoTime() - killed))));
            }
        }
    }

    /**
     * A harmless command ({@code history}) sent every 100 ms from the kill on, until one is taken:
     * each answer is the outage line with 503 or the command taken (202), never a 500 or another
     * text. Returns the statuses in order.
     */
    private static List<Integer> commandsUntilOneIsTaken(QuorumHarness quorum, String merge) throws Exception {
        List<Integer> statuses = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            QuorumHarness.Response r = quorum.say("alice", "history");
            statuses.add(r.status());
            if (r.status() == 202) return statuses;
            assertThat(r.status()).as("answers so far: %s; %s", statuses, r.json()).isEqualTo(503);
            assertThat(r.json().path("error").asText()).isEqualTo(StoreUnreachableException.LINE);
            Thread.sleep(100);
        }
        throw new AssertionError("no command was taken within 30 s of the kill: " + statuses + " (" + merge + ")");
    }

    private static String seconds(Duration d) {
        return String.format("%.1f s", d.toMillis() / 1000.0);
    }
}
