package dev.quorum.store;

import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.quorum.config.RedisConfig;
import dev.quorum.testing.CapturedLog;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Quorum on a real three-master Redis Cluster on loopback: every key in the one slot of {@code {q}},
 * pub/sub heard on every node, blocking stream reads on the Cluster connection, the README's ACL user.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class RedisClusterTest {
    private static final String PASSWORD = "quorum-cluster-0123456789";
    private static RedisClusterProcesses cluster;
    @TempDir
    static Path shared;
    @TempDir
    Path tmp;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = RedisClusterProcesses.start(shared, 3);
        cluster.addUsers(PASSWORD);
        Files.writeString(shared.resolve("password"), PASSWORD + "\n");
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) cluster.close();
    }

    private static String clusterYaml(boolean aclUser) {
        return cluster.yaml(aclUser ? shared.resolve("password") : null);
    }

    private static RedisConfig config(boolean aclUser) {
        return cluster.config(aclUser ? shared.resolve("password") : null);
    }

    @Test
    void theWholeApprovalFlowRunsOnTheClusterWithTheReadmeAclUserAndKeepsEveryKeyInOneSlot() throws Exception {
        ApprovalFlow.mergeAndDeploy(tmp, clusterYaml(true), Map.of("REDIS_URL", ""));
        int home = cluster.ownerOf("{q}");
        for (int port : cluster.ports()) {
            try (Redis admin = Redis.connect("redis://admin:admin-0123456789@127.0.0.1:" + port)) {
                assertThat(admin.sync().aclLog()).as("commands, keys or channels node %d refused Quorum", port).isEmpty();
                List<String> keys = admin.sync().keys("*");
                if (port == home) {
                    assertThat(keys).isNotEmpty().allMatch(k -> k.startsWith("{q}:"));
                } else {
                    assertThat(keys).as("keys on node %d, which does not hold {q}'s slot", port).isEmpty();
                }
            }
        }
    }

    /**
     * A Cluster forwards every classic PUBLISH to all its nodes, from a client or from a script
     * (console_append.lua publishes the room's events), so an instance subscribed on any node hears
     * what another instance published on any other.
     */
    @Test
    void aPublishReachesSubscribersOnEveryNodeFromAClientAndFromAScript() throws Exception {
        List<Redis> perNode = new ArrayList<>();
        List<BlockingQueue<String>> heard = new ArrayList<>();
        try (Redis quorum = Redis.connect(config(true))) {
            for (int port : cluster.ports()) {
                Redis node = Redis.connect("redis://admin:admin-0123456789@127.0.0.1:" + port);
                perNode.add(node);
                heard.add(listen(node.pubSub()));
            }
            BlockingQueue<String> quorumHeard = listen(quorum.pubSub());
            quorum.sync().publish("q:test", "from a client");
            LuaScript.load("console_append").run(quorum.sync(), ScriptOutputType.VALUE, new String[]{"{q}:console:log"},
                    "q:test", "100", "reply", "", "from a script");
            for (BlockingQueue<String> q : heard) {
                assertThat(q.poll(5, TimeUnit.SECONDS)).isEqualTo("from a client");
                assertThat(q.poll(5, TimeUnit.SECONDS)).endsWith("\nreply\n\nfrom a script");
            }
            for (Redis node : perNode) node.sync().publish("q:test", "to node " + perNode.indexOf(node));
            List<String> got = new ArrayList<>();
            for (int i = 0; i < 2 + perNode.size(); i++) got.add(quorumHeard.poll(5, TimeUnit.SECONDS));
            assertThat(got).hasSize(5).doesNotContainNull().contains("from a client", "to node 0", "to node 1", "to node 2");
        } finally {
            perNode.forEach(Redis::close);
        }
    }

    private static BlockingQueue<String> listen(StatefulRedisPubSubConnection<String, String> sub) {
        BlockingQueue<String> heard = new LinkedBlockingQueue<>();
        sub.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
                heard.add(message);
            }
        });
        sub.sync().subscribe("q:test");
        return heard;
    }

    @Test
    void aClusterWithoutPersistenceIsWarnedAboutLoudlyWhenQuorumMayAsk() throws Exception {
        try (CapturedLog log = CapturedLog.of(Persistence.class); Redis r = Redis.connect(config(false))) {
            assertThat(r.ping()).isTrue();
            assertThat(log.events()).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
                    "!!! Redis at cluster " + String.join(",", cluster.seeds()) + " keeps Quorum's data in memory only (appendonly no, "
                            + "no save points): a restart of that server loses every request, vote, lock and audit entry. "
                            + "Set appendonly yes (README, \"Redis Sentinel and Cluster\") !!!");
        }
        try (CapturedLog log = CapturedLog.of(Persistence.class); Redis r = Redis.connect(config(true))) {
            assertThat(r.ping()).isTrue();
            assertThat(log.events()).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
                    "Quorum cannot check that Redis keeps its data on disk: its ACL user quorum may not run CONFIG (@dangerous). "
                            + "Make sure the server runs with appendonly yes (README, \"Redis Sentinel and Cluster\")");
        }
    }
}
