package dev.quorum.store;

import dev.quorum.agent.testing.QuorumProcess;
import dev.quorum.testing.QuorumHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The embedded redis-server as a managed service: one owner per data folder, with real
 * redis-server processes and a real Quorum JVM that is SIGKILLed.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class EmbeddedRedisReliabilityTest {
    @TempDir
    Path tmp;

    /**
     * A Quorum JVM that a test SIGKILLs (QuorumProcess.close kills too) leaves its redis-server
     * running, as this class proves: stop every one working in this test's folder, by its pid.
     */
    @AfterEach
    void stopOrphansLeftInThisTestsFolder() throws Exception {
        Path root = tmp.toRealPath();
        List<ProcessHandle> left = ProcessHandle.allProcesses()
                .filter(p -> ProcessInfo.commandLine(p.pid()).orElse("").contains("redis-server"))
                .filter(p -> ProcessInfo.workingDirectory(p.pid()).filter(cwd -> cwd.startsWith(root)).isPresent())
                .toList();
        for (ProcessHandle p : left) p.destroy();
        for (ProcessHandle p : left) p.onExit().get(15, TimeUnit.SECONDS);
    }

    @Test
    void aSecondServerOnTheSameFolderIsRefusedAndTheFirstKeepsServing() throws Exception {
        Path dir = tmp.resolve("redis");
        try (EmbeddedRedis first = new EmbeddedRedis(dir, 0); Redis r = Redis.connect(first.start())) {
            r.sync().set("{q}:first", "mine");
            EmbeddedRedis second = new EmbeddedRedis(dir, 0);
            assertThatThrownBy(second::start).isInstanceOf(IOException.class)
                    .hasMessageStartingWith("the Redis data folder " + dir.toAbsolutePath() + " is in use by another process (pid "
                            + ProcessHandle.current().pid() + ": ")
                    .hasMessageEndingWith("): two redis-servers on one append-only file would corrupt it; stop that one first, "
                            + "or give this Quorum another data folder (data, QUORUM_DATA)");
            second.close();
            assertThat(r.sync().get("{q}:first")).isEqualTo("mine");
            assertThat(EmbeddedRedis.running(dir)).contains(first.uri());
        }
        try (EmbeddedRedis again = new EmbeddedRedis(dir, 0); Redis r = Redis.connect(again.start())) {
            assertThat(r.sync().get("{q}:first")).isEqualTo("mine"); // the lock went with the first server
        }
    }

    @Test
    void aRunningQuorumKeepsItsFolderFromAnotherProcessWhichIsToldWho() throws Exception {
        Path data = tmp.resolve("data");
        try (QuorumProcess quorum = startQuorum(data, "first.log")) {
            EmbeddedRedis intruder = new EmbeddedRedis(data.resolve("redis"), 0);
            assertThatThrownBy(intruder::start).isInstanceOf(IOException.class)
                    .hasMessageStartingWith("the Redis data folder " + data.resolve("redis").toAbsolutePath()
                            + " is in use by another process (pid " + quorum.handle().pid() + ": ")
                    .hasMessageContaining("dev.quorum.cli.QuorumCli serve");
            intruder.close();
            assertThat(EmbeddedRedis.running(data.resolve("redis"))).isPresent(); // Quorum's own server is untouched
        }
    }

    @Test
    void theServerOfASigkilledQuorumIsShutDownAtTheNextStartAndNothingItAcknowledgedIsLost() throws Exception {
        Path data = tmp.resolve("data");
        Path dir = data.resolve("redis");
        long orphan;
        try (QuorumProcess quorum = startQuorum(data, "killed.log")) {
            orphan = redisServerOf(quorum.handle());
            try (Redis r = Redis.connect(EmbeddedRedis.running(dir).orElseThrow())) {
                r.sync().set("{q}:acknowledged", "before the kill");
            }
            quorum.kill();
        }
        assertThat(ProcessHandle.of(orphan).filter(ProcessHandle::isAlive)).as("redis-server outlives its SIGKILLed Quorum").isPresent();
        assertThat(Files.readString(PidFile.file(dir)).strip()).isEqualTo(String.valueOf(orphan));

        try (EmbeddedRedis next = new EmbeddedRedis(dir, 0); Redis r = Redis.connect(next.start())) {
            assertThat(ProcessHandle.of(orphan).filter(ProcessHandle::isAlive)).as("the orphan").isEmpty();
            assertThat(r.sync().get("{q}:acknowledged")).isEqualTo("before the kill");
            assertThat(Files.readString(PidFile.file(dir)).strip()).isNotEqualTo(String.valueOf(orphan));
        }
        assertThat(PidFile.file(dir)).doesNotExist();
    }

    @Test
    void aKilledServerIsRestartedOnItsPortWithItsDataAndCommandsFailFastMeanwhile() throws Exception {
        Path dir = tmp.resolve("redis");
        try (EmbeddedRedis server = new EmbeddedRedis(dir, 0); Redis r = Redis.connect(server.start())) {
            r.sync().set("{q}:vote", "yes");
            long first = server.pid();
            ProcessHandle.of(first).orElseThrow().destroyForcibly();
            Outage outage = Outage.observe(r::ping, Duration.ofSeconds(15));
            assertThat(outage.sawDown()).as("a ping while the server is down").isTrue();
            assertThat(outage.longestCall()).as("the slowest ping").isLessThan(Duration.ofSeconds(1));
            assertThat(outage.backAfter()).as("back after").isLessThan(Duration.ofSeconds(5));
            assertThat(r.sync().get("{q}:vote")).isEqualTo("yes");
            assertThat(server.restarts()).isEqualTo(1);
            assertThat(server.pid()).isNotEqualTo(first);
            assertThat(Files.readString(PidFile.file(dir)).strip()).isEqualTo(String.valueOf(server.pid()));
            assertThat(EmbeddedRedis.running(dir)).contains(server.uri());

            ProcessHandle.of(server.pid()).orElseThrow().destroyForcibly(); // and again: the supervisor keeps watching
            assertThat(Outage.observe(r::ping, Duration.ofSeconds(15)).backAfter()).isLessThan(Duration.ofSeconds(5));
            assertThat(server.restarts()).isEqualTo(2);
        }
        assertThat(PidFile.file(dir)).doesNotExist();
    }

    @Test
    void whileRedisIsGoneACommandFailsAtOnceAndTheClientIsBackWithinASecondOfItsReturn() throws Exception {
        Path binary = Path.of("/usr/bin/redis-server");
        RedisServerProcess server = RedisServerProcess.plain(binary);
        int port = server.port();
        try (Redis r = Redis.connect("redis://127.0.0.1:" + port)) {
            ProcessHandle killed = ProcessHandle.of(server.pid()).orElseThrow();
            killed.destroyForcibly();
            killed.onExit().get(10, TimeUnit.SECONDS);
            long down = System.nanoTime();
            while (System.nanoTime() - down < Duration.ofSeconds(3).toNanos()) { // an outage longer than a reconnect
                long before = System.nanoTime();
                assertThatThrownBy(() -> r.sync().get("{q}:anything")).isInstanceOf(io.lettuce.core.RedisException.class);
                assertThat(Duration.ofNanos(System.nanoTime() - before)).as("a command while Redis is gone").isLessThan(Duration.ofMillis(500));
                Thread.sleep(100);
            }
            try (RedisServerProcess back = RedisServerProcess.plain(binary, "--port", String.valueOf(port))) {
                long started = System.nanoTime();
                while (!r.ping() && System.nanoTime() - started < Duration.ofSeconds(10).toNanos()) Thread.sleep(20);
                assertThat(Duration.ofNanos(System.nanoTime() - started)).as("reconnected after").isLessThan(Duration.ofMillis(1500));
                r.sync().set("{q}:after", "works");
                assertThat(r.sync().get("{q}:after")).isEqualTo("works");
            }
        } finally {
            server.close();
        }
    }

    /** Lettuce's connect() may return a moment before it counts the connection as up; commands then must not be refused. */
    @Test
    void aNewConnectionServesItsFirstCommandThoughCommandsAreRefusedWhileDisconnected() throws Exception {
        try (EmbeddedRedis server = new EmbeddedRedis(tmp.resolve("redis"), 0)) {
            String uri = server.start();
            for (int i = 0; i < 300; i++) { // before the wait for an active connection, about 1 in 150 failed
                try (Redis r = Redis.connect(uri)) {
                    assertThat(r.dedicated().ping()).as("connection " + i).isEqualTo("PONG");
                }
            }
        }
    }

    @Test
    void aClosedServerStaysClosed() throws Exception {
        Path dir = tmp.resolve("redis");
        EmbeddedRedis server = new EmbeddedRedis(dir, 0);
        server.start();
        long pid = server.pid();
        int port = server.port();
        server.close();
        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
        Thread.sleep(500); // a supervisor that took the stop for a death would have started one by now (its first try is at once)
        assertThat(EmbeddedRedis.listening(port)).isFalse();
        assertThat(server.restarts()).isZero();
    }

    @Test
    void healthTurnsDownWithinASecondOfTheServersDeathAndUpWhenTheSupervisorBroughtItBack() throws Exception {
        Path data = tmp.resolve("data");
        try (QuorumProcess quorum = startQuorum(data, "health.log")) {
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest health = HttpRequest.newBuilder(URI.create(quorum.url() + "/health")).timeout(Duration.ofSeconds(5)).build();
            assertThat(http.send(health, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            try (Redis r = Redis.connect(EmbeddedRedis.running(data.resolve("redis")).orElseThrow())) {
                r.sync().set("{q}:acknowledged", "before the kill");
            }
            long first = redisServerOf(quorum.handle());
            ProcessHandle.of(first).orElseThrow().destroyForcibly();
            Outage outage = Outage.observe(() -> {
                try {
                    HttpResponse<String> answer = http.send(health, HttpResponse.BodyHandlers.ofString());
                    assertThat(answer.body()).contains("\"status\":\"" + (answer.statusCode() == 200 ? "UP" : "DOWN") + "\"");
                    return answer.statusCode() == 200;
                } catch (IOException | InterruptedException e) {
                    throw new AssertionError(e);
                }
            }, Duration.ofSeconds(20));
            assertThat(outage.firstDownAfter()).as("DOWN after").isLessThan(Duration.ofSeconds(1));
            assertThat(outage.longestCall()).as("the slowest /health").isLessThan(Duration.ofSeconds(1));
            assertThat(outage.backAfter()).as("UP again after").isLessThan(Duration.ofSeconds(10));
            long second = redisServerOf(quorum.handle());
            assertThat(second).isNotEqualTo(first);
            try (Redis r = Redis.connect(EmbeddedRedis.running(data.resolve("redis")).orElseThrow())) {
                assertThat(r.sync().get("{q}:acknowledged")).isEqualTo("before the kill");
            }
            assertThat(Files.readString(tmp.resolve("health.log"))).contains("appendfsync always", "Embedded redis-server (pid " + first + ") died",
                    "Embedded redis-server restarted (pid " + second + ")");
        }
    }

    /**
     * Calls {@code up} every 50 ms from now until it has been false and then true again (or the
     * time is up), timing each call.
     */
    private record Outage(boolean sawDown, Duration firstDownAfter, Duration backAfter, Duration longestCall) {
        static Outage observe(BooleanSupplier up, Duration limit) throws InterruptedException {
            long start = System.nanoTime();
            Duration firstDown = null;
            Duration longest = Duration.ZERO;
            while (Duration.ofNanos(System.nanoTime() - start).compareTo(limit) < 0) {
                long before = System.nanoTime();
                boolean isUp = up.getAsBoolean();
                Duration call = Duration.ofNanos(System.nanoTime() - before);
                if (call.compareTo(longest) > 0) longest = call;
                Duration at = Duration.ofNanos(System.nanoTime() - start);
                if (!isUp && firstDown == null) firstDown = at;
                if (isUp && firstDown != null) return new Outage(true, firstDown, at, longest);
                Thread.sleep(50);
            }
            throw new AssertionError("not " + (firstDown == null ? "down" : "back up") + " within " + limit + "; slowest call " + longest);
        }
    }

    /** The redis-server that a Quorum JVM started as its child. */
    private static long redisServerOf(ProcessHandle quorum) {
        return quorum.children().filter(c -> ProcessInfo.commandLine(c.pid()).orElse("").contains("redis-server"))
                .findFirst().orElseThrow(() -> new AssertionError("no redis-server under Quorum's JVM")).pid();
    }

    private QuorumProcess startQuorum(Path data, String log) throws Exception {
        Path config = Files.writeString(tmp.resolve("quorum.yaml"), QuorumHarness.bundledConfigText());
        return QuorumProcess.start(config, Map.of("QUORUM_HTTP_PORT", "0", "QUORUM_DATA", data.toString()), tmp.resolve(log));
    }
}
