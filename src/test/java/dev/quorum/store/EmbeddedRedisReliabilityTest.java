package dev.quorum.store;

import dev.quorum.agent.testing.QuorumProcess;
import dev.quorum.testing.QuorumHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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

    private QuorumProcess startQuorum(Path data, String log) throws Exception {
        Path config = Files.writeString(tmp.resolve("quorum.yaml"), QuorumHarness.bundledConfigText());
        return QuorumProcess.start(config, Map.of("QUORUM_HTTP_PORT", "0", "QUORUM_DATA", data.toString()), tmp.resolve(log));
    }
}
