package dev.quorum.sandbox;

import dev.quorum.config.SandboxConfig;
import dev.quorum.config.Sizes;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * What this machine offers for confining runs, found once at start: bubblewrap and its version,
 * whether it can make the namespaces Quorum needs, whether overlays can be mounted inside them (for
 * dependency caches), and whether per-run control groups can be made. Gives each repository its
 * {@link Sandbox}. Immutable and thread-safe.
 */
public final class SandboxHost {
    private static final Logger LOG = LoggerFactory.getLogger(SandboxHost.class);

    /** Read-only system trees every run sees, where they exist. */
    static final List<String> SYSTEM_ROOTS = List.of("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc", "/opt");

    /** Secrets of the host inside those trees, never shown to a run. */
    static final List<String> ETC_SECRETS = List.of("/etc/shadow", "/etc/shadow-", "/etc/gshadow", "/etc/gshadow-",
            "/etc/sudoers", "/etc/sudoers.d", "/etc/ssh", "/etc/ssl/private", "/etc/krb5.keytab", "/etc/security/opasswd",
            "/etc/redis", "/etc/docker", "/etc/containerd", "/etc/kubernetes", "/etc/quorum");

    /** One system tree: bound read-only, or (like {@code /bin -> usr/bin}) recreated as the same link. */
    record Root(Path path, String linkTarget) {}

    /**
     * The machine's facts, as bwrap runs need them.
     *
     * @param privatePaths Quorum's own files and folders, masked wherever a run could otherwise see them
     */
    record Facts(Path bwrap, String version, boolean disablesNestedUserns, boolean overlays, Optional<Path> setpriv,
                 Optional<Path> prlimit, Cgroups cgroups, List<Root> rootEntries, List<Path> privatePaths) {

        List<Path> roots() {
            return rootEntries.stream().filter(r -> r.linkTarget() == null).map(Root::path).toList();
        }

        /** What to hide from a run that sees {@code visible}: secrets and private paths inside them. */
        List<Path> masked(List<Path> visible) {
            List<Path> out = new ArrayList<>();
            for (String secret : ETC_SECRETS) {
                Path p = Path.of(secret);
                if (Files.exists(p, LinkOption.NOFOLLOW_LINKS) && under(p, visible)) out.add(p);
            }
            for (Path p : privatePaths) {
                if (Files.exists(p, LinkOption.NOFOLLOW_LINKS) && under(p, visible) && !visible.contains(p)) out.add(p);
            }
            out.sort(Comparator.comparingInt(Path::getNameCount)); // outer first, so that inner masks stay on top
            return out;
        }
    }

    private final Facts facts; // null when unavailable
    private final String unavailable;

    private SandboxHost(Facts facts, String unavailable) {
        this.facts = facts;
        this.unavailable = unavailable;
    }

    /**
     * Looks at the machine. Never throws: what is missing makes every confined repository's runs
     * refused, with the reason.
     *
     * @param hostEnv      Quorum's environment ({@code QUORUM_BWRAP} names bwrap when it is not on {@code PATH})
     * @param privatePaths what runs must never see (Quorum's data folder, configuration, repositories)
     * @param scratch      a folder for the probe runs
     */
    public static SandboxHost probe(Map<String, String> hostEnv, List<Path> privatePaths, Path scratch) {
        if (!System.getProperty("os.name", "").toLowerCase().contains("linux")) {
            return new SandboxHost(null, "bubblewrap needs Linux, and this is " + System.getProperty("os.name"));
        }
        Optional<Path> bwrap = Optional.ofNullable(hostEnv.get("QUORUM_BWRAP")).map(Path::of).or(() -> onPath("bwrap", hostEnv));
        if (bwrap.isEmpty() || !Files.isExecutable(bwrap.get())) {
            return new SandboxHost(null, bwrap.map(b -> b + " is not an executable bwrap")
                    .orElse("bubblewrap is not installed (apt-get install bubblewrap)"));
        }
        try {
            Run version = run(List.of(bwrap.get().toString(), "--version"));
            Run help = run(List.of(bwrap.get().toString(), "--help"));
            Optional<Path> setpriv = onPath("setpriv", hostEnv).or(() -> existing("/usr/bin/setpriv"));
            Optional<Path> prlimit = onPath("prlimit", hostEnv).or(() -> existing("/usr/bin/prlimit"));
            Cgroups cgroups = Cgroups.detect();
            List<Path> privates = privatePaths.stream().map(p -> p.toAbsolutePath().normalize()).distinct().toList();
            Facts plain = new Facts(bwrap.get(), version.out().strip(), help.out().contains("--disable-userns"), false,
                    setpriv, prlimit, cgroups, rootEntries(), privates);
            Optional<String> broken = tryRun(plain, scratch.resolve("plain"), null);
            if (broken.isPresent()) {
                return new SandboxHost(null, "bwrap cannot make the sandbox here (" + broken.get() + "); on a container host allow "
                        + "user namespaces (e.g. sysctl kernel.unprivileged_userns_clone=1, or run the container with a seccomp "
                        + "profile that allows unshare and mount)");
            }
            Facts withOverlays = new Facts(plain.bwrap(), plain.version(), plain.disablesNestedUserns(), true, setpriv, prlimit,
                    cgroups, plain.rootEntries(), privates);
            Optional<String> noOverlay = setpriv.isEmpty() ? Optional.of("setpriv (util-linux) is missing")
                    : tryRun(withOverlays, scratch.resolve("overlay"), Path.of(".cache"));
            noOverlay.ifPresent(why -> LOG.warn("Dependency caches are off: overlays cannot be mounted in the sandbox ({})", why));
            SandboxHost host = new SandboxHost(noOverlay.isEmpty() ? withOverlays : plain, null);
            LOG.info("Sandbox: {}; {}", plain.version(), cgroups.enforced() ? "limits by " + cgroups.describe()
                    : "per-process limits only (" + cgroups.describe() + ")");
            return host;
        } catch (IOException e) {
            return new SandboxHost(null, "bwrap could not be started: " + e.getMessage());
        } finally {
            deleteTree(scratch);
        }
    }

    /** Whether runs can be confined here. */
    public boolean available() {
        return facts != null;
    }

    /** Why they cannot, when {@link #available()} is false. */
    public String whyUnavailable() {
        return unavailable;
    }

    /**
     * The sandbox of one repository.
     *
     * @param cacheRoot where this repository's dependency caches live ({@code data/caches/<repo>})
     * @throws IllegalArgumentException when the settings are unusable (the config validator checks first)
     */
    public Sandbox forRepo(String repo, SandboxConfig config, Path cacheRoot) {
        if (config.off()) return new Unsandboxed(repo);
        if (facts == null) return new Unavailable(repo, unavailable);
        List<CacheFolder> folders = new ArrayList<>();
        for (SandboxConfig.Cache c : config.cache()) {
            folders.add(new CacheFolder(c.path(), cacheRoot.resolve(c.path()).normalize(),
                    Optional.ofNullable(c.seed()).map(SandboxHost::expandHome)));
        }
        return new Bubblewrap(repo, facts, Network.parse(config.network()), Network.parse(config.trustedNetwork()),
                new Limits(config.maxProcesses(), Sizes.parse(config.maxMemory())),
                config.readOnly().stream().map(SandboxHost::expandHome).toList(),
                folders.isEmpty() ? null : new CacheStore(cacheRoot, folders));
    }

    /** {@code ~/x} is the Quorum process's home. */
    static Path expandHome(String path) {
        if (path.equals("~") || path.startsWith("~/")) return Path.of(System.getProperty("user.home") + path.substring(1));
        return Path.of(path);
    }

    /** Whether {@code path} is one of {@code trees} or inside one. */
    static boolean under(Path path, List<Path> trees) {
        Path p = path.toAbsolutePath().normalize();
        return trees.stream().anyMatch(t -> p.startsWith(t.toAbsolutePath().normalize()));
    }

    private static List<Root> rootEntries() throws IOException {
        List<Root> roots = new ArrayList<>();
        for (String name : SYSTEM_ROOTS) {
            Path p = Path.of(name);
            if (Files.isSymbolicLink(p)) roots.add(new Root(p, Files.readSymbolicLink(p).toString()));
            else if (Files.isDirectory(p)) roots.add(new Root(p, null));
        }
        return roots;
    }

    /** Runs {@code true} in a sandbox (with one cache when {@code cache} is given); empty when it worked. */
    private static Optional<String> tryRun(Facts facts, Path dir, Path cache) throws IOException {
        Path checkout = Files.createDirectories(dir.resolve("checkout"));
        Path home = Files.createDirectories(dir.resolve("home"));
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        Path store = dir.resolve("store");
        CacheStore caches = cache == null ? null
                : new CacheStore(store, List.of(new CacheFolder(cache.toString(), store.resolve(cache), Optional.empty())));
        Bubblewrap probe = new Bubblewrap("probe", facts, Network.NONE, Network.NONE, new Limits(64, 256L << 20), List.of(), caches);
        String check = cache == null ? "test -d " + Bubblewrap.WORKSPACE : "touch /root/.cache/written";
        try {
            Launch launch = probe.prepare(new RunRequest(check, checkout, home, tmp, dir.resolve("scratch"),
                    Map.of("PATH", "/usr/bin:/bin"), Trust.UNMERGED));
            Run result = run(launch.argv(), launch.env());
            launch.finish(true);
            return result.exit() == 0 ? Optional.empty()
                    : Optional.of(result.out().isBlank() ? "exit code " + result.exit() : result.out().strip().lines().findFirst().orElse(""));
        } catch (SandboxException e) {
            return Optional.of(e.getMessage());
        }
    }

    private record Run(int exit, String out) {}

    private static Run run(List<String> argv) throws IOException {
        return run(argv, Map.of("PATH", "/usr/bin:/bin"));
    }

    private static Run run(List<String> argv, Map<String, String> env) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().clear();
        builder.environment().putAll(env);
        Process p = builder.start();
        try {
            byte[] out = p.getInputStream().readNBytes(64 * 1024);
            if (!p.waitFor(Duration.ofSeconds(20).toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                return new Run(-1, "timed out");
            }
            return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted", e);
        }
    }

    private static Optional<Path> onPath(String name, Map<String, String> env) {
        String path = env.getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isBlank()) continue;
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) return Optional.of(p);
        }
        return Optional.empty();
    }

    private static Optional<Path> existing(String path) {
        Path p = Path.of(path);
        return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) return;
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException | java.io.UncheckedIOException e) {
            LOG.debug("Could not remove {}: {}", dir, e.toString());
        }
    }
}
