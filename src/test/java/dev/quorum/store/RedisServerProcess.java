package dev.quorum.store;

import dev.quorum.Ports;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A redis-server that a test starts as an operator would run their own, with whatever arguments
 * ({@code --requirepass}, {@code --tls-port}); Quorum is then pointed at it by URL.
 */
final class RedisServerProcess implements AutoCloseable {
    private final Process process;
    private final int port;
    private final StringBuffer output = new StringBuffer();

    private RedisServerProcess(Path binary, int port, List<String> args) throws IOException {
        this.port = port;
        // A folder of its own (a later --dir in args wins): a replica's full sync writes dump.rdb into the working
        // folder even with --save "", and another server started there later would load it (a 6.2 server cannot)
        List<String> cmd = new ArrayList<>(List.of(binary.toString(), "--dir", java.nio.file.Files.createTempDirectory("redis-").toString(),
                "--save", "", "--appendonly", "no", "--bind", "127.0.0.1", "--daemonize", "no", "--logfile", ""));
        cmd.addAll(args);
        process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        CompletableFuture<Void> ready = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    output.append(line).append('\n');
                    if (line.contains("Ready to accept connections")) ready.complete(null);
                }
            } catch (IOException ignored) {
                // ended
            }
            ready.completeExceptionally(new IOException("redis-server exited:\n" + output));
        });
        try {
            ready.get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            close();
            throw new IOException("redis-server did not start: " + output, e);
        }
    }

    /** A plain server on a free port; {@code args} are added to redis-server's command line. */
    static RedisServerProcess plain(Path binary, String... args) throws IOException {
        int port = Ports.free();
        List<String> all = new ArrayList<>(List.of("--port", String.valueOf(port)));
        all.addAll(List.of(args));
        return new RedisServerProcess(binary, port, all);
    }

    /** A server that speaks only TLS, on a free port, with this certificate; clients need none. */
    static RedisServerProcess tls(dev.quorum.testing.TestCertificates certs, String... args) throws IOException {
        int port = Ports.free();
        List<String> all = new ArrayList<>(List.of("--port", "0", "--tls-port", String.valueOf(port),
                "--tls-cert-file", certs.serverCert().toString(), "--tls-key-file", certs.serverKey().toString(),
                "--tls-ca-cert-file", certs.ca().toString(), "--tls-auth-clients", "no"));
        all.addAll(List.of(args));
        return new RedisServerProcess(Path.of("/usr/bin/redis-server"), port, all);
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    /** SIGSTOP or SIGCONT: it stops answering and acknowledging replication, as a stalled host would, or goes on. */
    void pause(boolean paused) throws IOException, InterruptedException {
        int rc = new ProcessBuilder("kill", paused ? "-STOP" : "-CONT", String.valueOf(pid())).inheritIO().start().waitFor();
        if (rc != 0) throw new IOException("kill failed");
    }

    /** SIGKILL, and waits until it is gone: a crashed master, which says nothing to its replicas or sentinels. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** What the server has written to its log so far. */
    String output() {
        return output.toString();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
