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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link Redis#durable}: WAIT for a replica after a critical write, bounded, logged once, one round for many callers. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DurabilityTest {
    private static final String PASSWORD = "durable-s3cret-0123456789";
    private static final Path REDIS = Path.of("/usr/bin/redis-server");
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
        return Redis.connect(config(redis.masterPort(), extraYaml));
    }

    private static RedisConfig config(int port, String extraYaml) {
        return config("", port, extraYaml);
    }

    private static RedisConfig config(String user, int port, String extraYaml) {
        return new ConfigLoader(Map.<String, String>of()::get).parse(new ByteArrayInputStream(
                ("redis:\n  url: redis://" + user + ":" + PASSWORD + "@127.0.0.1:" + port + "\n" + extraYaml).getBytes(StandardCharsets.UTF_8)), "test").redis();
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

    /** Whatever is at the marker's key (a list, a word), the marker is written and the WAIT sent. */
    @Test
    void aMarkerKeyOfAnotherTypeDoesNotStopTheWaiting() throws Exception {
        try (CapturedLog log = CapturedLog.of(Durability.class); Redis r = connect("");
             RespClient replica = RespClient.connect(redis.replicaPort())) {
            replica.call("AUTH", PASSWORD);
            List<Runnable> plants = List.of(() -> r.sync().rpush(Durability.MARK, "planted"), () -> r.sync().set(Durability.MARK, "not-a-number"));
            for (int i = 0; i < plants.size(); i++) {
                r.sync().del(Durability.MARK);
                plants.get(i).run();
                r.sync().set("{q}:durable-test", "planted" + i);
                r.durable();
                assertThat(replica.call("GET", "{q}:durable-test")).isEqualTo("planted" + i);
            }
            assertThat(log.events()).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
                    "Votes, state changes and action markers wait for 1 replica(s) to have them, at most 1000 ms each (redis.wait_replicas, redis.wait_timeout)");
        }
    }

    /** An ACL user without WAIT: refused once, said once, and not asked again at each re-learn (each would be an ACL LOG entry). */
    @Test
    void aRefusedWaitIsNotAskedAgain() throws Exception {
        try (RedisServerProcess alone = alone("acl"); RespClient admin = RespClient.connect(alone.port())) {
            admin.call("AUTH", PASSWORD);
            admin.call("ACL", "SETUSER", "quorum", "on", ">" + PASSWORD, "~*", "&*", "+@all", "-wait");
            Duration relearn = Duration.ofMillis(50);
            try (CapturedLog log = CapturedLog.of(Durability.class); Redis r = Redis.connect(config("quorum", alone.port(), ""), relearn)) {
                for (int i = 0; i < 4; i++) {
                    r.sync().set("{q}:durable-test", "refused" + i);
                    r.durable();
                    Thread.sleep(relearn.toMillis() * 2); // past the re-learn period each time
                }
                assertThat(r.waitReplicas()).isZero();
                assertThat(log.events()).extracting(ILoggingEvent::getFormattedMessage)
                        .containsExactly("Redis refused WAIT or its marker (NOPERM): critical writes are not confirmed by a replica");
            }
            assertThat(admin.call("INFO", "commandstats").lines().filter(l -> l.startsWith("cmdstat_wait:")))
                    .singleElement().asString().contains("rejected_calls=1,");
        }
    }

    /** Until the first critical write Quorum asks its Redis nothing about replicas: a CLI command that reads leaves no trace. */
    @Test
    void connectingAndReadingSendsNoWaitAndWritesNoMarker() throws Exception {
        try (RedisServerProcess alone = alone("alone"); RespClient admin = RespClient.connect(alone.port())) {
            admin.call("AUTH", PASSWORD);
            try (Redis r = Redis.connect(config(alone.port(), ""))) {
                r.sync().get("{q}:anything");
                r.sync().xlen("{q}:audit");
            }
            assertThat(admin.call("EXISTS", Durability.MARK)).as(admin.call("INFO", "commandstats")).isEqualTo(":0");
            assertThat(admin.call("INFO", "commandstats")).contains("cmdstat_get:calls=1").doesNotContain("cmdstat_wait").doesNotContain("cmdstat_incr");
        }
    }

    /**
     * Without wait_replicas, a master alone waits for nothing; a replica attached later (REPLICAOF at
     * runtime) is waited for within the re-learn period, and once it is gone, critical writes stop
     * paying the whole timeout after the next re-learn.
     */
    @Test
    void theNumberOfReplicasIsLearnedAgainAsTheyComeAndGo() throws Exception {
        Duration relearn = Duration.ofSeconds(1);
        try (RedisServerProcess master = alone("master");
             CapturedLog log = CapturedLog.of(Durability.class);
             Redis r = Redis.connect(config(master.port(), "  wait_timeout: 300ms\n"), relearn)) {
            r.sync().set("{q}:durable-test", "alone");
            r.durable();
            assertThat(r.waitReplicas()).as("a master alone").isZero();

            RedisServerProcess replica = alone("replica");
            try (RespClient toReplica = RespClient.connect(replica.port()); RespClient toMaster = RespClient.connect(master.port())) {
                toReplica.call("AUTH", PASSWORD);
                toMaster.call("AUTH", PASSWORD);
                toReplica.call("REPLICAOF", "127.0.0.1", String.valueOf(master.port()));
                awaitTrue(() -> toMaster.call("WAIT", "0", "0").equals(":1"), "the master counts its new replica");
                awaitTrue(() -> {
                    r.sync().set("{q}:durable-test", "attached");
                    r.durable();
                    return r.waitReplicas() == 1;
                }, "critical writes learn of the replica");
                for (int i = 0; i < 5; i++) {
                    r.sync().set("{q}:durable-test", "waited" + i);
                    r.durable();
                    assertThat(toReplica.call("GET", "{q}:durable-test")).isEqualTo("waited" + i);
                }
                replica.pause(true);
                try {
                    r.sync().set("{q}:durable-test", "stalled");
                    assertThat(millis(r::durable)).as("waits for the replica it learned of").isBetween(250L, 3_000L);
                } finally {
                    replica.pause(false);
                }
                r.sync().set("{q}:durable-test", "back");
                r.durable();
                assertThat(toReplica.call("GET", "{q}:durable-test")).isEqualTo("back");
            } finally {
                replica.close();
            }

            int paidTheTimeout = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (r.waitReplicas() > 0 && System.nanoTime() < deadline) {
                r.sync().set("{q}:durable-test", "gone" + paidTheTimeout);
                if (millis(r::durable) >= 250) paidTheTimeout++;
            }
            assertThat(r.waitReplicas()).as("the replica is gone").isZero();
            assertThat(paidTheTimeout).as("writes that paid 300 ms before a 1 s re-learn").isBetween(1, 8);
            for (int i = 0; i < 5; i++) {
                r.sync().set("{q}:durable-test", "after" + i);
                assertThat(millis(r::durable)).as("no replica to wait for").isLessThan(200L);
            }
            assertThat(log.events()).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
                    "Votes, state changes and action markers wait for 1 replica(s) to have them, at most 300 ms each (redis.wait_replicas, redis.wait_timeout)",
                    "A critical write is on the Redis master but not yet on a replica (0 of 1 replica(s) confirmed within 300 ms); "
                            + "Quorum carries on, and a failover now could lose it. Said once until replicas confirm again.",
                    "Replicas confirm critical writes again",
                    "A critical write is on the Redis master but not yet on a replica (0 of 1 replica(s) confirmed within 300 ms); "
                            + "Quorum carries on, and a failover now could lose it. Said once until replicas confirm again.",
                    "No replica has confirmed a critical write for 1 s: votes, state changes and action markers stop waiting for one "
                            + "(Redis is asked again every 1 s)");
        }
    }

    /** A server of its own, in a folder of its own: a replica keeps the copy it was sent as dump.rdb there, and a server loads what it finds. */
    private static RedisServerProcess alone(String name) throws Exception {
        Path folder = Files.createTempDirectory(dir, name);
        return RedisServerProcess.plain(REDIS, "--requirepass", PASSWORD, "--masterauth", PASSWORD, "--dir", folder.toString());
    }

    private interface Check {
        boolean holds() throws Exception;
    }

    private static void awaitTrue(Check check, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!check.holds()) {
            if (System.nanoTime() > deadline) throw new AssertionError("never: " + what);
            Thread.sleep(50);
        }
    }

    private static long millis(Runnable r) {
        long started = System.nanoTime();
        r.run();
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    }
}
