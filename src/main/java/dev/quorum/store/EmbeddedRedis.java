package dev.quorum.store;

import dev.quorum.config.RedisConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real redis-server that Quorum starts itself when no Redis URL is configured: the one on
 * PATH if there is one, else the binary shipped in the {@code embedded-redis} artifact. Data is
 * persisted with an append-only file under the given folder, so a restart keeps all history.
 *
 * <p>Nothing reaches it without a password that is new at every start: an ACL user
 * {@value #USER} (the {@code default} user is switched off) on Redis 6.2 or later,
 * {@code requirepass} on older ones. The configuration goes to the server on its standard input,
 * never on its command line (readable by every local user in {@code /proc}); the ACL rule
 * carries only the password's SHA-256, so the server itself never holds the password. The URI
 * with the password is for this process; the CLI finds it in the owner-only credentials file
 * next to the port file.
 *
 * <p>Run like a managed service: one owner per data folder ({@link FolderLock}), a server left
 * by a killed Quorum shut down at start ({@link PidFile}), and a server that dies while Quorum
 * runs restarted by a supervisor thread. Start and close are synchronized with the supervisor.
 */
public final class EmbeddedRedis implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedRedis.class);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration MAX_RESTART_PAUSE = Duration.ofSeconds(5);
    static final String USER = "quorum";
    /**
     * Commands that reach past Redis's own data (the file system through CONFIG SET dir, loaded
     * code, replication to another server, the ACL itself): denied even to Quorum's user, which
     * never needs them, so a leaked password cannot be turned into a file write on this machine.
     */
    static final List<String> DENIED = List.of("config", "module", "debug", "acl", "replicaof", "slaveof",
            "migrate", "sync", "psync", "shutdown");
    private static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern VERSION = Pattern.compile("\\bv=(\\d+)\\.(\\d+)");

    /** How the server checks who connects. */
    enum Auth { ACL_USER, REQUIREPASS }

    private final Path dir;
    private final int requestedPort;
    private final Path forcedBinary;
    private final Auth forcedAuth;
    private final RedisConfig.Fsync fsync;
    private FolderLock folderLock;
    private Process process;
    private int port;
    private Path binary;
    private Auth auth;
    private Credentials credentials;
    /** Set first thing by {@link #close()}, so that the supervisor does not restart a server being stopped. */
    private volatile boolean closing;
    private volatile int restarts;
    /** Whether this server's port and credentials files are in {@code dir}, to remove on close. */
    private boolean published;

    /** Who Quorum connects as; {@code user} is absent with {@code requirepass}. */
    record Credentials(Optional<String> user, String password) {
        String uri(int port) {
            return "redis://" + user.orElse("") + ":" + password + "@127.0.0.1:" + port;
        }
    }

    /**
     * @param dir  the data folder for the AOF and RDB files (created if missing, made owner-only)
     * @param port the port to listen on, or 0 for a free one
     */
    public EmbeddedRedis(Path dir, int port) {
        this(dir, port, RedisConfig.Fsync.ALWAYS);
    }

    /** @param fsync when the AOF is made durable (config {@code redis.embedded_fsync}) */
    public EmbeddedRedis(Path dir, int port, RedisConfig.Fsync fsync) {
        this(dir, port, null, null, fsync);
    }

    /** With the binary and the way of authentication fixed (each {@code null} for the usual choice), for tests. */
    EmbeddedRedis(Path dir, int port, Path binary, Auth auth) {
        this(dir, port, binary, auth, RedisConfig.Fsync.ALWAYS);
    }

    private EmbeddedRedis(Path dir, int port, Path binary, Auth auth, RedisConfig.Fsync fsync) {
        this.dir = dir.toAbsolutePath();
        this.requestedPort = port;
        this.forcedBinary = binary;
        this.forcedAuth = auth;
        this.fsync = fsync;
    }

    /**
     * Takes the data folder (see {@link FolderLock}), starts the server and waits until it
     * answers; returns its URI, credentials included.
     *
     * @throws IOException naming the other process when another one holds the data folder
     */
    public synchronized String start() throws IOException {
        Files.createDirectories(dir);
        ownerOnly(dir);
        folderLock = FolderLock.take(dir);
        try {
            PidFile.stopOrphan(dir);
            return launch();
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private String launch() throws IOException {
        port = requestedPort != 0 ? requestedPort : freePort();
        binary = forcedBinary != null ? forcedBinary : findBinary();
        auth = forcedAuth != null ? forcedAuth : authFor(version(binary));
        Credentials next = new Credentials(auth == Auth.ACL_USER ? Optional.of(USER) : Optional.empty(), newPassword());
        LOG.info("Starting embedded Redis ({}) on port {} with data in {}, {}, appendfsync {}", binary, port, dir,
                auth == Auth.ACL_USER ? "ACL user " + USER : "requirepass", fsync.word());
        process = spawn(next);
        credentials = next;
        published = true;
        writeOwnerOnly(credentialsFile(dir), credentialsText(next));
        Files.writeString(portFile(dir), String.valueOf(port));
        supervise(process);
        return uri();
    }

    /** Runs a redis-server on {@link #port} that admits {@code who}, once it answers and refuses strangers. */
    private Process spawn(Credentials who) throws IOException {
        byte[] config = config(auth, who).getBytes(StandardCharsets.UTF_8);
        Process server = new ProcessBuilder(binary.toString(), "-").redirectErrorStream(true).start();
        CompletableFuture<Void> ready = watchOutput(server.getInputStream(), who.password());
        try (OutputStream stdin = server.getOutputStream()) {
            stdin.write(config);
        } catch (IOException e) {
            stop(server); // a server that read half its configuration must not run
            throw new IOException("embedded redis-server did not take its configuration: " + e.getMessage(), e);
        }
        try {
            ready.get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            stop(server);
            throw new IOException("embedded redis-server did not become ready on port " + port
                    + " (see the log above for its output)", e);
        }
        try {
            refusesStrangers();
        } catch (IOException e) {
            stop(server);
            throw e;
        }
        PidFile.write(dir, server.pid());
        return server;
    }

    /**
     * Restarts the server whenever it dies while Quorum runs (killed, out of memory): on the same
     * port with the same credentials, so that Lettuce's reconnect finds it again by itself; the
     * first attempt at once, then with a growing pause (up to 5 s) while it keeps failing.
     */
    private void supervise(Process server) {
        server.onExit().thenRun(() -> {
            if (!closing) Thread.ofVirtual().name("embedded-redis-supervisor").start(() -> restart(server));
        });
    }

    private void restart(Process dead) {
        LOG.error("Embedded redis-server (pid {}) died with exit code {}; restarting it on port {}", dead.pid(), dead.exitValue(), port);
        Duration pause = Duration.ofMillis(100);
        while (!closing) {
            synchronized (this) {
                if (closing) return;
                try {
                    process = spawn(credentials);
                    restarts++;
                    LOG.warn("Embedded redis-server restarted (pid {}), its AOF replayed", process.pid());
                    supervise(process);
                    return;
                } catch (IOException e) {
                    LOG.error("Restarting the embedded redis-server failed ({}); trying again in {} ms", e.getMessage(), pause.toMillis());
                }
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                return;
            }
            pause = pause.multipliedBy(2).compareTo(MAX_RESTART_PAUSE) > 0 ? MAX_RESTART_PAUSE : pause.multipliedBy(2);
        }
    }

    /** How often the supervisor brought the server back, for tests and the log. */
    int restarts() {
        return restarts;
    }

    /** The running server's pid, for tests that kill it. */
    synchronized long pid() {
        return process.pid();
    }

    /** Checks what matters most before anyone uses it: a client without the password gets nothing. */
    private void refusesStrangers() throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(5_000);
            s.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            String answer = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine();
            if (answer == null || !answer.startsWith("-NOAUTH")) {
                throw new IOException("redis-server on port " + port + " answered a client without password: " + answer);
            }
        }
    }

    /** The server's configuration, as redis.conf text. */
    private String config(Auth auth, Credentials who) throws IOException {
        StringBuilder c = new StringBuilder()
                .append("port ").append(port).append('\n')
                .append("bind 127.0.0.1\n")
                .append("protected-mode yes\n")
                .append("dir ").append(quoted(dir.toString())).append('\n')
                .append(persistence(fsync))
                .append("save \"\"\n")
                .append("daemonize no\n")
                .append("logfile \"\"\n");
        switch (auth) {
            case ACL_USER -> {
                // Off, with no password: nobody can log in as default. Its permissions stay whole because
                // Redis 7.0 checks the transactions it replays from the AOF against them (a default user
                // without them silently loses every MULTI/EXEC and script effect at the next start).
                c.append("user default off resetpass ~* &* +@all\n");
                c.append("user ").append(USER).append(" on #").append(sha256(who.password())).append(" ~* &* +@all");
                DENIED.forEach(command -> c.append(" -").append(command));
                c.append('\n');
            }
            case REQUIREPASS -> {
                c.append("requirepass ").append(who.password()).append('\n');
                // commands every Redis version has; renaming one it lacks would stop it from starting
                for (String command : List.of("CONFIG", "DEBUG", "SLAVEOF")) c.append("rename-command ").append(command).append(" \"\"\n");
            }
        }
        return c.toString();
    }

    /**
     * Append-only persistence with the chosen fsync; no RDB snapshots (the AOF holds everything).
     * {@code always}: Redis fsyncs the AOF before it answers a write, so a vote, a state change or
     * the marker that keeps a deploy from running twice is on disk when Quorum acknowledges it.
     */
    static String persistence(RedisConfig.Fsync fsync) {
        return "appendonly yes\nappendfsync " + fsync.word() + "\n";
    }

    /** ACL users with channel rules ({@code &*}) came with 6.2; {@code user default off} with 6.0. */
    static Auth authFor(Optional<int[]> version) {
        return version.filter(v -> v[0] > 6 || v[0] == 6 && v[1] >= 2).isPresent() ? Auth.ACL_USER : Auth.REQUIREPASS;
    }

    /** Major and minor version from {@code redis-server --version} ("Redis server v=7.0.15 sha=..."). */
    static Optional<int[]> version(Path binary) {
        try {
            Process p = new ProcessBuilder(binary.toString(), "--version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(10, TimeUnit.SECONDS);
            return parseVersion(out);
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    static Optional<int[]> parseVersion(String versionOutput) {
        Matcher m = VERSION.matcher(versionOutput);
        return m.find() ? Optional.of(new int[]{Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))}) : Optional.empty();
    }

    /** 32 random bytes, URL-safe so that the URI needs no escaping. */
    private static String newPassword() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String sha256(String password) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(password.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** A redis.conf string: the data folder's path may hold spaces or quotes, never a line break. */
    private static String quoted(String value) throws IOException {
        if (value.chars().anyMatch(ch -> ch < 0x20 || ch == 0x7f)) {
            throw new IOException("the Redis data folder's path contains a control character: " + value.replaceAll("\\p{Cntrl}", "?"));
        }
        return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    /**
     * The URI of an embedded server that another Quorum process runs on this data folder, if it
     * is up: lets {@code quorum audit verify} read the same data while Quorum serves.
     *
     * @throws IOException when a server is up but its credentials cannot be read (another user's
     *                     Quorum, say): starting a second server on the same files would corrupt them
     */
    public static Optional<String> running(Path dir) throws IOException {
        Path abs = dir.toAbsolutePath();
        int p;
        try {
            p = Integer.parseInt(Files.readString(portFile(abs)).strip());
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
        if (!listening(p)) return Optional.empty();
        Properties file = new Properties();
        try (var in = Files.newBufferedReader(credentialsFile(abs), StandardCharsets.UTF_8)) {
            file.load(in);
        } catch (IOException e) {
            throw new IOException("an embedded Redis runs on port " + p + " for " + abs + ", but its credentials ("
                    + credentialsFile(abs) + ") cannot be read: run this as the user that runs Quorum", e);
        }
        String password = file.getProperty("password");
        if (password == null) throw new IOException("no password in " + credentialsFile(abs));
        return Optional.of(new Credentials(Optional.ofNullable(file.getProperty("user")), password).uri(p));
    }

    private static String credentialsText(Credentials who) {
        return "# The embedded redis-server's credentials, new at each start of Quorum. Owner-only: keep it so.\n"
                + who.user().map(u -> "user=" + u + "\n").orElse("")
                + "password=" + who.password() + "\n";
    }

    /** Writes a file that is owner-only from its first byte, then moves it into place. */
    private static void writeOwnerOnly(Path target, String text) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        try {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE));
        } catch (UnsupportedOperationException e) {
            Files.createFile(tmp); // not a POSIX file system: its folder's access rules apply
        }
        Files.writeString(tmp, text);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The AOF holds every vote and audit entry: no other local user may read it. */
    private static void ownerOnly(Path folder) throws IOException {
        try {
            Files.setPosixFilePermissions(folder, OWNER_ONLY_DIR);
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: its folder's access rules apply
        }
    }

    private static Path portFile(Path dir) {
        return dir.resolve("quorum-redis.port");
    }

    static Path credentialsFile(Path dir) {
        return dir.resolve("quorum-redis.credentials");
    }

    public String uri() {
        return credentials.uri(port);
    }

    public int port() {
        return port;
    }

    /**
     * Stops the server gracefully (SIGTERM makes Redis flush the AOF), forcibly after a grace
     * period, then lets go of the data folder.
     */
    @Override
    public void close() {
        closing = true;
        synchronized (this) {
            closeNow();
        }
    }

    private void closeNow() {
        stopServer();
        if (folderLock != null) {
            folderLock.close();
            folderLock = null;
        }
    }

    private void stopServer() {
        if (process == null) return;
        if (published) {
            published = false;
            try {
                Files.deleteIfExists(portFile(dir));
                Files.deleteIfExists(credentialsFile(dir));
            } catch (IOException ignored) {
                // a stale port file is checked for a listener before use, and its password dies with this server
            }
        }
        if (process.isAlive()) {
            stop(process);
            LOG.info("Embedded Redis stopped");
        }
        if (!process.isAlive()) {
            try {
                Files.deleteIfExists(PidFile.file(dir));
            } catch (IOException ignored) {
                // the next start checks what a stale pid names before it signals anything
            }
        }
    }

    /** SIGTERM (Redis flushes its AOF), SIGKILL after a grace period. */
    private static void stop(Process server) {
        server.destroy();
        try {
            if (!server.waitFor(10, TimeUnit.SECONDS)) {
                server.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.destroyForcibly();
        }
    }

    /** Logs redis-server's output and completes when it reports being ready. */
    private CompletableFuture<Void> watchOutput(InputStream out, String password) {
        CompletableFuture<Void> ready = new CompletableFuture<>();
        Thread.ofVirtual().name("redis-server-output").start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(out, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    line = line.replace(password, "***"); // Redis quotes a configuration line it cannot read
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
    static synchronized Path extractBundled() throws IOException {
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
