package dev.quorum.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

/**
 * A redis-server of one test's own, unlike the shared {@link TestRedis}: killed, paused and started
 * again on the same port, data folder (AOF, fsync always) and password, so that a Quorum connected to
 * it sees a real outage and, after {@link #start}, the same store back.
 */
public final class KillableRedis implements AutoCloseable {
    private static final Duration READY = Duration.ofSeconds(10);
    private final Path dir;
    private final int port;
    private final String password = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
    private Process process;

    public KillableRedis(Path dir) {
        this.dir = dir;
        try (ServerSocket s = new ServerSocket(0)) {
            this.port = s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code redis://:password@127.0.0.1:port}, for {@code REDIS_URL}. */
    public String uri() {
        return "redis://:" + password + "@127.0.0.1:" + port;
    }

    /** Starts (again) and waits until the port takes connections. */
    public KillableRedis start() throws IOException, InterruptedException {
        Files.createDirectories(dir);
        process = new ProcessBuilder(List.of("redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1",
                "--requirepass", password, "--dir", dir.toString(), "--appendonly", "yes", "--appendfsync", "always",
                "--save", "", "--daemonize", "no"))
                .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        Instant deadline = Instant.now().plus(READY);
        while (Instant.now().isBefore(deadline)) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return this;
            } catch (IOException notYet) {
                if (!process.isAlive()) throw new IOException("redis-server exited: see " + dir.resolve("redis.log"));
                Thread.sleep(20);
            }
        }
        throw new IOException("redis-server did not listen on " + port + " within " + READY);
    }

    /** SIGKILL, and waits until it is gone: what a crashed or OOM-killed server does to its clients. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** SIGSTOP: the connection stays open and nothing answers, as on a stalled host or a dropped route. */
    public void pause() throws IOException, InterruptedException {
        signal("STOP");
    }

    public void resume() throws IOException, InterruptedException {
        signal("CONT");
    }

    /** Whether the server process runs (paused counts as running). */
    public boolean alive() {
        return process != null && process.isAlive();
    }

    private void signal(String name) throws IOException, InterruptedException {
        int rc = new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).inheritIO().start().waitFor();
        if (rc != 0) throw new IOException("kill -" + name + " " + process.pid() + " failed");
    }

    @Override
    public void close() throws Exception {
        if (alive()) {
            resume();
            kill();
        }
    }
}
