package dev.quorum.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A real redis-server that Quorum starts itself when no Redis URL is configured: the one on
 * PATH if there is one, else the binary shipped in the {@code embedded-redis} artifact. Data is
 * persisted with an append-only file under the given folder, so a restart keeps all history.
 * Not thread-safe: start and stop from one thread.
 */
public final class EmbeddedRedis implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedRedis.class);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(20);

    private final Path dir;
    private final int requestedPort;
    private Process process;
    private int port;

    /**
     * @param dir  the data folder for the AOF and RDB files (created if missing)
     * @param port the port to listen on, or 0 for a free one
     */
    public EmbeddedRedis(Path dir, int port) {
        this.dir = dir.toAbsolutePath();
        this.requestedPort = port;
    }

    /** Starts the server and waits until it answers; returns its URI. */
    public String start() throws IOException {
        Files.createDirectories(dir);
        port = requestedPort != 0 ? requestedPort : freePort();
        Path binary = findBinary();
        List<String> cmd = new ArrayList<>(List.of(binary.toString(),
                "--port", String.valueOf(port),
                "--bind", "127.0.0.1",
                "--dir", dir.toString(),
                "--appendonly", "yes",
                "--appendfsync", "everysec",
                "--save", "",
                "--daemonize", "no",
                "--logfile", ""));
        LOG.info("Starting embedded Redis ({}) on port {} with data in {}", binary, port, dir);
        process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        CompletableFuture<Void> ready = watchOutput(process.getInputStream());
        try {
            ready.get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            close();
            throw new IOException("embedded redis-server did not become ready on port " + port
                    + " (see the log above for its output)", e);
        }
        Files.writeString(portFile(dir), String.valueOf(port));
        return uri();
    }

    /**
     * The URI of an embedded server that another Quorum process runs on this data folder, if it
     * is up: lets {@code quorum audit verify} read the same data while Quorum serves.
     */
    public static Optional<String> running(Path dir) {
        try {
            int p = Integer.parseInt(Files.readString(portFile(dir.toAbsolutePath())).strip());
            return listening(p) ? Optional.of("redis://127.0.0.1:" + p) : Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static Path portFile(Path dir) {
        return dir.resolve("quorum-redis.port");
    }

    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** Stops the server gracefully (SIGTERM makes Redis flush the AOF), forcibly after a grace period. */
    @Override
    public void close() {
        if (process == null || !process.isAlive()) return;
        try {
            Files.deleteIfExists(portFile(dir));
        } catch (IOException ignored) {
            // a stale port file is checked for a listener before use
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        LOG.info("Embedded Redis stopped");
    }

    /** Logs redis-server's output and completes when it reports being ready. */
    private CompletableFuture<Void> watchOutput(InputStream out) {
        CompletableFuture<Void> ready = new CompletableFuture<>();
        Thread.ofVirtual().name("redis-server-output").start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(out, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    LOG.debug("redis-server: {}", line);
                    if (line.contains("Ready to accept connections")) ready.complete(null);
                    if (line.contains("# Can't") || line.contains("FATAL") || line.contains("Fatal")) LOG.warn("redis-server: {}", line);
                }
            } catch (IOException ignored) {
                // the process ended; completion below tells the waiter
            }
            ready.completeExceptionally(new IOException("redis-server exited"));
        });
        return ready;
    }

    static Path findBinary() throws IOException {
        Optional<Path> onPath = onPath("redis-server");
        if (onPath.isPresent()) return onPath.get();
        return extractBundled();
    }

    private static Optional<Path> onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) return Optional.empty();
        for (String d : path.split(java.io.File.pathSeparator)) {
            Path p = Path.of(d, name);
            if (Files.isExecutable(p)) return Optional.of(p);
        }
        return Optional.empty();
    }

    /** Copies the platform's binary out of the embedded-redis jar into a temp folder, once per JVM. */
    private static synchronized Path extractBundled() throws IOException {
        String resource = bundledResourceName();
        Path target = Path.of(System.getProperty("java.io.tmpdir"), "quorum-" + resource);
        if (Files.isExecutable(target)) return target;
        try (InputStream in = EmbeddedRedis.class.getResourceAsStream("/" + resource)) {
            if (in == null) {
                throw new IOException("no redis-server on PATH and no bundled binary for this platform (" + resource
                        + "); install redis-server or set REDIS_URL");
            }
            Path tmp = Files.createTempFile(target.getParent(), "redis", ".part");
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        return target;
    }

    private static String bundledResourceName() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        boolean arm = arch.contains("aarch64") || arch.contains("arm64");
        if (os.contains("mac")) return arm ? "redis-server-6.2.6-v5-darwin-arm64" : "redis-server-6.2.6-v5-darwin-amd64";
        return arm ? "redis-server-6.2.7-linux-arm64" : "redis-server-6.2.6-v5-linux-amd64";
    }

    private static int freePort() {
        return dev.quorum.Ports.free();
    }

    /** True when something accepts connections on the port (used by tests and health). */
    static boolean listening(int port) {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
