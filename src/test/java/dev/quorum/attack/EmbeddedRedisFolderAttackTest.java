package dev.quorum.attack;

import dev.quorum.Ports;
import dev.quorum.store.EmbeddedRedis;
import dev.quorum.store.Redis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Files planted in the embedded Redis's data folder to make Quorum refuse to start, signal a
 * process it does not own, or write through a link: the lock decides, not what its file says;
 * a pid is signalled only when /proc shows a redis-server working in this very folder; links are
 * never followed.
 */
class EmbeddedRedisFolderAttackTest {
    private static final String LOCK = "quorum-redis.lock";
    private static final String PID = "quorum-redis.pid";

    @TempDir
    Path tmp;

    @Test
    void aLockFileNamingSomeoneDoesNotStopQuorumOnlyAHeldLockDoes() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("redis"));
        Files.writeString(dir.resolve(LOCK), "pid=1\nplanted by someone who wants Quorum not to start\n");
        try (EmbeddedRedis server = new EmbeddedRedis(dir, 0); Redis r = Redis.connect(server.start())) {
            assertThat(r.ping()).isTrue();
            assertThat(Files.readString(dir.resolve(LOCK))).isEqualTo("pid=" + ProcessHandle.current().pid() + "\n");
        }
    }

    @Test
    void aPidFileNamingAnotherProcessOrAnotherFoldersRedisSignalsNothing() throws Exception {
        Path dir = tmp.resolve("redis");
        Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
        int port = Ports.free();
        Process sleeper = new ProcessBuilder("sleep", "120").start();
        Process stranger = new ProcessBuilder("/usr/bin/redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", elsewhere.toString()).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("stranger.log").toFile()).start();
        try {
            awaitListening(port);
            for (String planted : List.of(String.valueOf(sleeper.pid()), String.valueOf(stranger.pid()),
                    String.valueOf(ProcessHandle.current().pid()), "1", "-5", "not a pid")) {
                Files.createDirectories(dir);
                Files.writeString(dir.resolve(PID), planted + "\n");
                try (EmbeddedRedis server = new EmbeddedRedis(dir, 0); Redis r = Redis.connect(server.start())) {
                    assertThat(r.ping()).as(planted).isTrue();
                }
                assertThat(sleeper.isAlive()).as("sleep, after " + planted).isTrue();
                assertThat(stranger.isAlive()).as("the other folder's redis-server, after " + planted).isTrue();
            }
        } finally {
            sleeper.destroyForcibly();
            stranger.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aLinkedPidFileIsRemovedNotWrittenThrough() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("redis"));
        Path victim = Files.writeString(tmp.resolve("victim.txt"), "precious\n");
        Files.createSymbolicLink(dir.resolve(PID), victim);
        try (EmbeddedRedis server = new EmbeddedRedis(dir, 0); Redis r = Redis.connect(server.start())) {
            assertThat(r.ping()).isTrue();
            assertThat(Files.isSymbolicLink(dir.resolve(PID))).isFalse();
        }
        assertThat(Files.readString(victim)).isEqualTo("precious\n");
    }

    @Test
    void aLinkedLockFileStopsTheStartAndItsTargetIsUntouched() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("redis"));
        Path victim = Files.writeString(tmp.resolve("victim.txt"), "precious\n");
        Files.createSymbolicLink(dir.resolve(LOCK), victim);
        EmbeddedRedis server = new EmbeddedRedis(dir, 0);
        assertThatThrownBy(server::start).isInstanceOf(IOException.class)
                .hasMessage(dir.toAbsolutePath().resolve(LOCK) + " is a symbolic link, which Quorum never makes; remove it and start again");
        server.close();
        assertThat(Files.readString(victim)).isEqualTo("precious\n");
    }

    private static void awaitListening(int port) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        throw new AssertionError("redis-server did not listen on " + port);
    }
}
