package dev.quorum.store;

import dev.quorum.agent.testing.QuorumProcess;
import dev.quorum.testing.QuorumHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

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

    @Test
    void aSecondServerOnTheSameFolderIsRefusedAndTheFirstKeepsServing() throws Exception {
        Path dir = tmp.resolve("redis");
        try (EmbeddedRedis first = new EmbeddedRedis(dir, 0); Redis r = Redis.connect(first.start())) {
            r.sync().set("q:first", "mine");
            EmbeddedRedis second = new EmbeddedRedis(dir, 0);
            assertThatThrownBy(second::start).isInstanceOf(IOException.class)
                    .hasMessageStartingWith("the Redis data folder " + dir.toAbsolutePath() + " is in use by another process (pid "
                            + ProcessHandle.current().pid() + ": ")
                    .hasMessageEndingWith("): two redis-servers on one append-only file would corrupt it; stop that one first, "
                            + "or give this Quorum another data folder (data, QUORUM_DATA)");
            second.close();
            assertThat(r.sync().get("q:first")).isEqualTo("mine");
            assertThat(EmbeddedRedis.running(dir)).contains(first.uri());
        }
        try (EmbeddedRedis again = new EmbeddedRedis(dir, 0); Redis r = Redis.connect(again.start())) {
            assertThat(r.sync().get("q:first")).isEqualTo("mine"); // the lock went with the first server
        }
    }

    @Test
    void whatALockFileSaysDoesNotDecideOnlyTheLockDoes() throws Exception {
        Path dir = tmp.resolve("redis");
        Files.createDirectories(dir);
        Files.writeString(FolderLock.file(dir), "pid=1\nplanted by someone who wants Quorum not to start\n");
        try (EmbeddedRedis server = new EmbeddedRedis(dir, 0); Redis r = Redis.connect(server.start())) {
            assertThat(r.ping()).isTrue();
            assertThat(Files.readString(FolderLock.file(dir))).isEqualTo("pid=" + ProcessHandle.current().pid() + "\n");
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
                r.sync().set("q:acknowledged", "before the kill");
            }
            quorum.kill();
        }
        assertThat(ProcessHandle.of(orphan).filter(ProcessHandle::isAlive)).as("redis-server outlives its SIGKILLed Quorum").isPresent();
        assertThat(Files.readString(PidFile.file(dir)).strip()).isEqualTo(String.valueOf(orphan));

        try (EmbeddedRedis next = new EmbeddedRedis(dir, 0); Redis r = Redis.connect(next.start())) {
            assertThat(ProcessHandle.of(orphan).filter(ProcessHandle::isAlive)).as("the orphan").isEmpty();
            assertThat(r.sync().get("q:acknowledged")).isEqualTo("before the kill");
            assertThat(Files.readString(PidFile.file(dir)).strip()).isNotEqualTo(String.valueOf(orphan));
        }
        assertThat(PidFile.file(dir)).doesNotExist();
    }

    @Test
    void aPidFileNamingAnotherProcessOrAnotherFoldersRedisSignalsNothing() throws Exception {
        Path dir = tmp.resolve("redis");
        Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
        Process sleeper = new ProcessBuilder("sleep", "120").start();
        try (RedisServerProcess stranger = RedisServerProcess.plain(Path.of("/usr/bin/redis-server"), "--dir", elsewhere.toString())) {
            for (String planted : List.of(String.valueOf(sleeper.pid()), String.valueOf(stranger.pid()),
                    String.valueOf(ProcessHandle.current().pid()), "1", "-5", "not a pid")) {
                Files.createDirectories(dir);
                Files.writeString(PidFile.file(dir), planted + "\n");
                try (EmbeddedRedis server = new EmbeddedRedis(dir, 0); Redis r = Redis.connect(server.start())) {
                    assertThat(r.ping()).as(planted).isTrue();
                }
                assertThat(sleeper.isAlive()).as("after " + planted).isTrue();
                assertThat(ProcessHandle.of(stranger.pid()).filter(ProcessHandle::isAlive)).as("after " + planted).isPresent();
            }
        } finally {
            sleeper.destroyForcibly();
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
