package dev.quorum.sandbox;

import dev.quorum.config.Sizes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.stream.IntStream;

/**
 * Confines a run with bubblewrap ({@code bwrap}, 0.8 or newer; no {@code --overlay} needed):
 * <ul>
 *   <li>new user (root inside, no capabilities, no further user namespaces), PID, IPC, UTS and
 *       cgroup namespaces, and a network namespace with only its own loopback unless the policy
 *       says {@code host}; {@code /proc} shows the run's processes only;</li>
 *   <li>system and toolchain folders read-only ({@code /usr}, {@code /etc}, {@code /opt}, the
 *       {@code JAVA_HOME}, configured extras), with {@code /etc}'s secrets and every private path of
 *       Quorum's (data folder, configuration, repositories) masked where they lie inside them;</li>
 *   <li>the checkout at {@value #WORKSPACE} the only writable tree, with a private home ({@code /root})
 *       and {@code /tmp};</li>
 *   <li>dependency caches as kernel overlays mounted inside the sandbox's own mount namespace (the
 *       one step that briefly holds capabilities, in that namespace only, before it drops them all): Quorum's
 *       copy and the seed read-only below, the run's writes above, thrown away afterwards unless the
 *       run is trusted;</li>
 *   <li>processes and memory capped by a per-run control group where one can be made, and
 *       {@code RLIMIT_NPROC} in any case; bwrap dies with Quorum, and with it every process of the
 *       run, since they all live in its PID namespace.</li>
 * </ul>
 */
final class Bubblewrap implements Sandbox {
    static final String WORKSPACE = "/workspace";
    static final String HOME = "/root";
    private static final String OVERLAYS = "/run/quorum/overlay";
    private static final String LOWERS = "/run/quorum/lower";

    private final String repo;
    private final SandboxHost.Facts host;
    private final Network network;
    private final Network trustedNetwork;
    private final Limits limits;
    private final List<Path> readOnly;
    private final CacheStore cache;

    Bubblewrap(String repo, SandboxHost.Facts host, Network network, Network trustedNetwork, Limits limits,
               List<Path> readOnly, CacheStore cache) {
        this.repo = repo;
        this.host = host;
        this.network = network;
        this.trustedNetwork = trustedNetwork;
        this.limits = limits;
        this.readOnly = List.copyOf(readOnly);
        this.cache = cache;
    }

    @Override
    public Launch prepare(RunRequest run) throws SandboxException, IOException {
        Files.createDirectories(run.scratch());
        Network net = run.trust() == Trust.UNMERGED ? network : trustedNetwork;
        Map<String, String> env = environment(run.env());
        List<String> argv = new ArrayList<>(List.of(host.bwrap().toString()));
        namespaces(argv, net);
        argv.addAll(List.of("--proc", "/proc", "--dev", "/dev"));
        systemRoots(argv);
        argv.addAll(List.of("--bind", run.tmp().toString(), "/tmp",
                "--bind", run.home().toString(), HOME,
                "--bind", run.checkout().toString(), WORKSPACE));
        extrasAndMasks(argv, env, run.scratch());
        List<String> mounts = cacheMounts(argv, run.scratch());
        // the sandbox's own root folder (a tmpfs bwrap made) is read-only too: only the binds above write
        argv.addAll(List.of("--remount-ro", "/", "--chdir", WORKSPACE, "--cap-drop", "ALL"));
        if (host.setpriv().isPresent()) {
            // The first step needs these, in the sandbox's own user namespace only: to mount the cache
            // overlays (and make their work folders, mode 000), to forbid nested user namespaces, and
            // to drop every capability, the bounding set included, before the command starts.
            List<String> caps = new ArrayList<>(List.of("CAP_SETPCAP", "CAP_SYS_RESOURCE"));
            if (!mounts.isEmpty()) caps.addAll(List.of("CAP_SYS_ADMIN", "CAP_DAC_OVERRIDE", "CAP_CHOWN", "CAP_FOWNER"));
            caps.forEach(cap -> argv.addAll(List.of("--cap-add", cap)));
        } else if (host.disablesNestedUserns()) {
            argv.add("--disable-userns"); // bwrap's own way; it leaves no capability to mount with, so no caches
        }
        argv.addAll(List.of("--", "/bin/sh", "-c", init(mounts), "quorum-sandbox", run.command()));
        List<Path> uppers = cache == null ? List.of()
                : IntStream.range(0, cache.folders().size()).mapToObj(i -> upper(run.scratch(), i)).toList();
        boolean keepsCache = run.trust() == Trust.MERGED && !mounts.isEmpty();
        Optional<Cgroups.RunGroup> group = host.cgroups().create(limits); // last: nothing after it can fail
        group.ifPresent(g -> argv.addAll(0, joinFirst(g.procsFiles())));
        return new Launch(argv, env, run.checkout(), true, completed -> {
            List<String> problems = group.map(Cgroups.RunGroup::problems).orElse(List.of());
            group.ifPresent(Cgroups.RunGroup::close);
            if (completed && keepsCache) cache.addFrom(uppers);
            return problems;
        });
    }

    @Override
    public boolean confines() {
        return true;
    }

    @Override
    public boolean cacheCold() {
        return cache != null && !cache.warmed();
    }

    @Override
    public void cacheWarmed() {
        if (cache != null) cache.markWarmed();
    }

    @Override
    public String describe() {
        return host.version() + ", network " + network.wire() + " (" + trustedNetwork.wire() + " for the default branch and deploys)"
                + ", at most " + limits.maxProcesses() + " processes and " + Sizes.format(limits.maxMemoryBytes())
                + (host.cgroups().enforced() ? "" : " (memory not enforced: " + host.cgroups().describe() + ")")
                + (cache == null ? "" : ", caches " + String.join(", ", cache.folders().stream().map(CacheFolder::path).toList()));
    }

    /** The run's environment as seen inside: home, temp and PATH are the sandbox's own. */
    private Map<String, String> environment(Map<String, String> given) {
        Map<String, String> env = new HashMap<>(given);
        env.put("HOME", HOME);
        env.put("TMPDIR", "/tmp");
        env.put("USER", "root");
        List<Path> visible = visibleTrees(env);
        StringJoiner path = new StringJoiner(":");
        for (String entry : given.getOrDefault("PATH", "").split(":")) {
            if (!entry.isBlank() && SandboxHost.under(Path.of(entry), visible)) path.add(entry);
        }
        env.put("PATH", path.length() == 0 ? "/usr/local/bin:/usr/bin:/bin" : path.toString());
        return env;
    }

    /** The host trees a run reads: the system roots (links like {@code /bin} too) and {@link #extraTrees}. */
    private List<Path> visibleTrees(Map<String, String> env) {
        List<Path> trees = new ArrayList<>(host.rootEntries().stream().map(SandboxHost.Root::path).toList());
        trees.addAll(extraTrees(env));
        return trees;
    }

    /** Beyond the system roots: the run's JAVA_HOME and the configured {@code read_only} folders. */
    private List<Path> extraTrees(Map<String, String> env) {
        List<Path> trees = new ArrayList<>();
        String javaHome = env.get("JAVA_HOME");
        if (javaHome != null && !javaHome.isBlank() && Path.of(javaHome).isAbsolute()) trees.add(Path.of(javaHome));
        trees.addAll(readOnly);
        return trees;
    }

    /**
     * The words before bwrap's: a tiny shell that joins the run's control groups and then becomes
     * bwrap, so that every process of the run (bwrap's first fork included) is born inside them.
     */
    private static List<String> joinFirst(List<Path> procsFiles) {
        List<String> words = new ArrayList<>(List.of("/bin/sh", "-c",
                "n=$1; shift; while [ \"$n\" -gt 0 ]; do echo $$ > \"$1\" || exit 125; shift; n=$((n-1)); done; exec \"$@\"",
                "quorum-cgroup", Integer.toString(procsFiles.size())));
        procsFiles.forEach(p -> words.add(p.toString()));
        return words;
    }

    private void namespaces(List<String> argv, Network net) {
        argv.addAll(List.of("--unshare-user", "--uid", "0", "--gid", "0", "--unshare-pid", "--unshare-ipc",
                "--unshare-uts", "--unshare-cgroup-try", "--hostname", "quorum-sandbox",
                "--die-with-parent", "--new-session"));
        if (net == Network.NONE) argv.add("--unshare-net");
    }

    private void systemRoots(List<String> argv) {
        for (SandboxHost.Root root : host.rootEntries()) {
            if (root.linkTarget() != null) argv.addAll(List.of("--symlink", root.linkTarget(), root.path().toString()));
            else argv.addAll(List.of("--ro-bind", root.path().toString(), root.path().toString()));
        }
    }

    /** After the run's own folders, so that none of them hides these: extra trees, then what they must not show. */
    private void extrasAndMasks(List<String> argv, Map<String, String> env, Path scratch) throws IOException {
        List<Path> visible = visibleTrees(env);
        for (Path extra : extraTrees(env)) {
            if (Files.exists(extra) && !SandboxHost.under(extra, host.roots())) {
                argv.addAll(List.of("--ro-bind", extra.toString(), extra.toString()));
            }
        }
        Path empty = scratch.resolve("empty");
        Files.write(empty, new byte[0]);
        for (Path hidden : host.masked(visible)) {
            if (Files.isDirectory(hidden)) argv.addAll(List.of("--tmpfs", hidden.toString()));
            else argv.addAll(List.of("--ro-bind", empty.toString(), hidden.toString()));
        }
        if (Files.isDirectory(Path.of("/etc"))) {
            // Not the host's accounts: root (whose home is the run's) and nobody, nothing else.
            Path passwd = scratch.resolve("passwd");
            Path group = scratch.resolve("group");
            Files.writeString(passwd, "root:x:0:0:root:" + HOME + ":/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n");
            Files.writeString(group, "root:x:0:\nnogroup:x:65534:\n");
            argv.addAll(List.of("--ro-bind", passwd.toString(), "/etc/passwd", "--ro-bind", group.toString(), "/etc/group"));
        }
    }

    /** Binds what the overlays need and returns the mount commands the sandbox's first step runs. */
    private List<String> cacheMounts(List<String> argv, Path scratch) throws IOException {
        if (cache == null || !host.overlays() || host.setpriv().isEmpty()) return List.of();
        cache.ensureExists();
        Path overlays = scratch.resolve("overlay");
        List<String> mounts = new ArrayList<>();
        for (int i = 0; i < cache.folders().size(); i++) {
            CacheFolder folder = cache.folders().get(i);
            Files.createDirectories(upper(scratch, i));
            Files.createDirectories(overlays.resolve(i + "/work"));
            List<Path> lowers = new ArrayList<>(List.of(folder.store()));
            folder.seed().filter(Files::isDirectory).ifPresent(lowers::add);
            StringJoiner lowerdir = new StringJoiner(":");
            for (int j = 0; j < lowers.size(); j++) {
                String inside = LOWERS + "/" + i + "-" + j;
                argv.addAll(List.of("--ro-bind", lowers.get(j).toString(), inside));
                lowerdir.add(inside);
            }
            String target = HOME + "/" + folder.path();
            argv.addAll(List.of("--dir", target));
            mounts.add("mount -t overlay quorum-cache -o lowerdir=" + lowerdir + ",upperdir=" + OVERLAYS + "/" + i
                    + "/upper,workdir=" + OVERLAYS + "/" + i + "/work " + target);
        }
        argv.addAll(List.of("--bind", overlays.toString(), OVERLAYS));
        return mounts;
    }

    private static Path upper(Path scratch, int index) {
        return scratch.resolve("overlay").resolve(index + "/upper");
    }

    /**
     * The sandbox's first step: mount the cache overlays, forbid further user namespaces (fewer kernel
     * paths within reach), then drop every capability for good and start the command under its
     * process limit. Any failure stops the run before the command starts.
     */
    private String init(List<String> mounts) {
        StringBuilder script = new StringBuilder("set -e\n");
        mounts.forEach(m -> script.append(m).append('\n'));
        StringBuilder exec = new StringBuilder("exec");
        host.setpriv().ifPresent(p -> {
            script.append("echo 0 > /proc/sys/user/max_user_namespaces\n");
            exec.append(' ').append(p).append(" --inh-caps=-all --ambient-caps=-all --bounding-set=-all --");
        });
        host.prlimit().ifPresent(p -> exec.append(' ').append(p)
                .append(" --nproc=").append(limits.maxProcesses()).append(" --core=0 --"));
        return script.append(exec).append(" /bin/sh -c \"$1\"\n").toString();
    }
}
