package dev.quorum.store;

import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.quorum.config.ConfigLoader;
import dev.quorum.config.RedisConfig;
import dev.quorum.testing.CapturedLog;
import dev.quorum.testing.RespClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link Redis#durable}: WAIT for a replica after a critical write, bounded, logged once, one round for many callers. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DurabilityTest {
    private static final String PASSWORD = "durable-s3cret-0123456789";
    private static RedisSentinelProcesses redis;
    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        redis = RedisSentinelProcesses.start(dir, PASSWORD);
    }

    @AfterAll
    static void stop() {
        if (redis != null) redis.close();
    }

    @AfterEach
    void resumeReplica() throws Exception {
        redis.pauseReplica(false);
    }

    private static Redis connect(String extraYaml) {
        RedisConfig config = new ConfigLoader(Map.<String, String>of()::get).parse(new ByteArrayInputStream(
                ("redis:\n  url: redis://:" + PASSWORD + "@127.0.0.1:" + redis.masterPort() + "\n" + extraYaml).getBytes(StandardCharsets.UTF_8)), "test").redis();
        return Redis.connect(config);
    }

    @Test
    void whenDurableReturnsTheReplicaHasTheWrite() throws Exception {
        try (Redis r = connect(""); RespClient replica = RespClient.connect(redis.replicaPort())) {
            assertThat(r.waitReplicas()).isEqualTo(1);
            replica.call("AUTH", PASSWORD);
            for (int i = 0; i < 20; i++) {
                r.sync().set("{q}:durable-test", "v" + i);
                r.durable();
                assertThat(replica.call("GET", "{q}:durable-test")).isEqualTo("v" + i);
            }
        }
    }

    @Test
    void aStalledReplicaCostsEachCriticalWriteTheTimeoutAndIsLoggedOnceUntilItConfirmsAgain() throws Exception {
        try (CapturedLog log = CapturedLog.of(Durability.class); Redis r = connect("  wait_timeout: 300ms\n")) {
            r.durable(); // the start-up probe finds the replica before it stalls (on a loaded machine it may still be probing)
            redis.pauseReplica(true);
            for (int i = 0; i < 2; i++) {
                r.sync().set("{q}:durable-test", "stalled" + i);
                long started = System.nanoTime();
                r.durable();
                assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isBetween(250L, 3_000L);
            }
            redis.pauseReplica(false);
            r.sync().set("{q}:durable-test", "back");
            r.durable();
            assertThat(log.events()).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
                    "Votes, state changes and action markers wait for 1 replica(s) to have them, at most 300 ms each (redis.wait_replicas, redis.wait_timeout)",
                    "A critical write is on the Redis master but not yet on a replica (0 of 1 replica(s) confirmed within 300 ms); "
                            + "Quorum carries on, and a failover now could lose it. Said once until replicas confirm again.",
                    "Replicas confirm critical writes again");
        }
    }

    /** Twenty votes at once while the replica stalls: not twenty timeouts one after another. */
    @Test
    void callersWhoArriveDuringAWaitShareTheNextOne() throws Exception {
        try (CapturedLog ignored = CapturedLog.of(Durability.class); Redis r = connect("  wait_timeout: 300ms\n")) {
            r.durable(); // as above: the probe first
            redis.pauseReplica(true);
            long started = System.nanoTime();
            List<Thread> callers = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                String value = "caller" + i;
                callers.add(Thread.ofVirtual().start(() -> {
                    r.sync().set("{q}:durable-" + value, value);
                    r.durable();
                }));
            }
            for (Thread t : callers) t.join();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).as("20 callers, 300 ms each if one after another").isLessThan(2_500L);
        }
    }

    @Test
    void waitReplicasZeroWaitsForNothing() throws Exception {
        try (Redis r = connect("  wait_replicas: 0\n")) {
            redis.pauseReplica(true);
            assertThat(r.waitReplicas()).isZero();
            long started = System.nanoTime();
            r.sync().set("{q}:durable-test", "unwaited");
            r.durable();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(250L);
        }
    }
}
