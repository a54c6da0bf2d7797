package dev.quorum.sandbox;

import dev.quorum.config.SandboxConfig;
import dev.quorum.testing.HostProcesses;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The sandbox as code under test meets it: real bwrap, real namespaces, real overlays and control
 * groups. Each test runs a shell command the way Quorum would and checks what it could and could not do.
 */
class BubblewrapTest {
    @TempDir
    Path dir;
    private Path checkout;
    private Path home;
    private Path tmp;
    private Path cacheRoot;
    private Path hostOnly;
    private SandboxHost host;

    @BeforeEach
    void setUp() throws IOException {
        checkout = Files.createDirectories(dir.resolve("ws/checkout"));
        home = Files.createDirectories(dir.resolve("ws/home"));
        tmp = Files.createDirectories(dir.resolve("ws/tmp"));
        cacheRoot = dir.resolve("caches/app");
        hostOnly = Files.createDirectories(dir.resolve("host"));
        Files.writeString(hostOnly.resolve("marker"), "outside");
        Files.createDirectories(dir.resolve("tools/private"));
        Files.writeString(dir.resolve("tools/bin.sh"), "echo tool");
        Files.writeString(dir.resolve("tools/private/quorum.key"), "the key");
        host = SandboxHost.probe(System.getenv(), List.of(dir.resolve("tools/private")), dir.resolve("probe"));
        assertThat(host.available()).as(host.whyUnavailable()).isTrue();
    }

    private record Result(int exit, String out, List<String> problems) {}

    private Result run(Sandbox sandbox, String command, Trust trust) throws Exception {
        Launch launch = sandbox.prepare(new RunRequest(command, checkout, home, tmp, dir.resolve("ws/scratch"),
                Map.of("PATH", System.getenv("PATH"), "JAVA_HOME", System.getProperty("java.home")), trust));
        ProcessBuilder pb = new ProcessBuilder(launch.argv()).directory(launch.directory().toFile()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().clear();
        pb.environment().putAll(launch.env());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        List<String> problems = launch.finish(true);
        return new Result(p.exitValue(), out, problems);
    }

    private Result run(String command) throws Exception {
        return run(host.forRepo("app", SandboxConfig.defaults(), cacheRoot), command, Trust.UNMERGED);
    }

    private static SandboxConfig config(String network, List<SandboxConfig.Cache> cache, Integer maxProcesses, String maxMemory,
                                        List<String> readOnly) {
        return new SandboxConfig(false, network, "host", cache, maxProcesses, maxMemory, readOnly);
    }

    @Test
    void theCheckoutIsTheOnlyWritableTreeAndHomeAndTmpArePrivate() throws Exception {
        Result r = run("pwd; echo made > result.txt; echo h > $HOME/h; echo t > /tmp/t; "
                + "for f in /usr/x /etc/x /x; do (echo x > $f) 2>/dev/null && echo \"WROTE $f\"; done; "
                + "ls " + hostOnly + " 2>&1; ls " + dir + " 2>&1; echo HOME=$HOME");

        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(r.out()).startsWith("/workspace\n").contains("HOME=/root").doesNotContain("WROTE")
                .contains("ls: cannot access '" + hostOnly + "': No such file or directory");
        assertThat(checkout.resolve("result.txt")).hasContent("made");
        assertThat(home.resolve("h")).hasContent("h");
        assertThat(tmp.resolve("t")).hasContent("t");
        assertThat(Path.of("/usr/x")).doesNotExist();
    }

    @Test
    void theRunHasNoCapabilitiesCannotNestUserNamespacesAndSeesOnlyItsOwnProcesses() throws Exception {
        long quorum = ProcessHandle.current().pid();
        Result r = run("grep -E '^Cap(Eff|Prm|Bnd|Amb)' /proc/self/status; "
                + "unshare -U true 2>/dev/null && echo NESTED; "
                + "umount /etc/passwd 2>/dev/null && echo UNMOUNTED; "
                + "echo procs=$(ls /proc | grep -c '^[0-9]'); test -e /proc/" + quorum + "/environ && echo SEES_QUORUM; id -u");

        assertThat(r.out()).contains("CapEff:\t0000000000000000", "CapPrm:\t0000000000000000",
                        "CapBnd:\t0000000000000000", "CapAmb:\t0000000000000000")
                .doesNotContain("NESTED", "UNMOUNTED", "SEES_QUORUM").endsWith("0\n");
        int procs = Integer.parseInt(r.out().replaceAll("(?s).*procs=(\\d+).*", "$1"));
        assertThat(procs).as(r.out()).isLessThan(8);
    }

    @Test
    void withoutNetworkNotEvenTheHostsLoopbackIsReachable() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            String connect = "bash -c 'exec 3<>/dev/tcp/127.0.0.1/" + server.getLocalPort() + "' 2>/dev/null && echo CONNECTED || echo refused";
            assertThat(run(connect).out()).isEqualTo("refused\n");

            Sandbox hostNet = host.forRepo("app", config("host", List.of(), null, null, List.of()), cacheRoot);
            assertThat(run(hostNet, connect, Trust.UNMERGED).out()).isEqualTo("CONNECTED\n");
            // a trusted run (a commit on the default branch) gets trusted_network, here host
            assertThat(run(host.forRepo("app", SandboxConfig.defaults(), cacheRoot), connect, Trust.MERGED).out()).isEqualTo("CONNECTED\n");
        }
    }

    @Test
    void etcSecretsHostAccountsAndQuorumsPrivatePathsAreHidden() throws Exception {
        Sandbox sandbox = host.forRepo("app", config("none", List.of(), null, null, List.of(dir.resolve("tools").toString())), cacheRoot);
        Result r = run(sandbox, "sh " + dir.resolve("tools/bin.sh") + "; ls -A " + dir.resolve("tools/private") + "; echo ---; "
                + "cat /etc/passwd; cat /etc/shadow; echo ---", Trust.UNMERGED);

        assertThat(r.out()).startsWith("tool\n---\n") // the extra folder is readable, its private part is empty
                .contains("root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n---")
                .doesNotContain("the key", "quorum.key", "root:$", "root:*");
        assertThat(r.out().lines().filter(l -> l.contains(":x:")).count()).isEqualTo(2);
    }

    @Test
    void processesLeftBehindDieWithTheRun() throws Exception {
        // Durations of this JVM alone (two per PID): with fixed ones, a suite running at the same time on the
        // machine saw this one's control processes, and its pkill killed them (a failed run on a shared machine).
        long first = 100_000 + 2 * ProcessHandle.current().pid();
        String a = "sleep " + first;
        String b = "sleep " + (first + 1);
        String leave = "setsid " + a + " > /dev/null 2>&1 & nohup " + b + " > /dev/null 2>&1 & echo started";
        Result control = run(host.forRepo("app", new SandboxConfig(true, null, null, null, null, null, null), cacheRoot), leave,
                Trust.UNMERGED);
        try {
            assertThat(control.out()).isEqualTo("started\n");
            // "started" is printed while the background shells may still be exec'ing sleep: wait for it, not for luck
            assertThat(within(() -> HostProcesses.running(a))).as("unsandboxed, they stay behind (and the check sees them)").isTrue();
        } finally {
            new ProcessBuilder("pkill", "-f", "^(" + a + "|" + b + ")$").start().waitFor();
        }

        Result r = run(leave);

        assertThat(r.out()).isEqualTo("started\n");
        // the kernel tears the PID namespace down as its first process exits, which takes a moment under load
        assertThat(within(() -> !HostProcesses.running(a) && !HostProcesses.running(b))).as("gone with the run").isTrue();
    }

    /** Whether the condition holds within 10 s, checked every 20 ms. */
    private static boolean within(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) return false;
            Thread.sleep(20);
        }
        return true;
    }

    @Test
    void aRunCannotStartMoreProcessesThanItsLimit() throws Exception {
        // RLIMIT_NPROC does not bind root, so as root only a control group can hold the line
        assumeTrue(Cgroups.detect().enforced() || !System.getProperty("user.name").equals("root"), "no way to limit root here");
        Sandbox sandbox = host.forRepo("app", config("none", List.of(), 32, null, List.of()), cacheRoot);
        Result r = run(sandbox, "i=0; while [ $i -lt 60 ]; do sleep 2 & i=$((i+1)); done; wait", Trust.UNMERGED);

        assertThat(r.out()).as("the shell could not fork past the limit").contains("Cannot fork");
        if (Cgroups.detect().enforced()) {
            assertThat(r.problems()).contains("the run reached its limit of 32 processes (sandbox.max_processes); some could not start");
        }
    }

    @Test
    void aRunThatOutgrowsItsMemoryIsStoppedAndTheEvidenceSaysWhy() throws Exception {
        assumeTrue(Cgroups.detect().enforced(), "memory limits need a writable cgroup on this machine");
        Sandbox sandbox = host.forRepo("app", config("none", List.of(), null, "64m", List.of()), cacheRoot);
        Result r = run(sandbox, "head -c 300000000 /dev/zero | tail > /dev/null; echo exit=$?", Trust.UNMERGED);

        assertThat(r.out()).doesNotContain("exit=0");
        assertThat(r.problems()).hasSize(1);
        assertThat(r.problems().getFirst()).startsWith("the run reached its memory limit of 64 MiB (sandbox.max_memory); the kernel stopped ");
    }

    @Test
    void cacheWritesOfAProposalVanishWhileATrustedRunAddsButNeverReplaces() throws Exception {
        Path seed = Files.createDirectories(dir.resolve("seed"));
        Files.writeString(seed.resolve("from-seed.jar"), "seed");
        Sandbox sandbox = host.forRepo("app", config("none", List.of(new SandboxConfig.Cache(".m2/repository", seed.toString())),
                null, null, List.of()), cacheRoot);
        Path store = cacheRoot.resolve(".m2/repository");
        assertThat(sandbox.cacheCold()).isTrue();

        Result proposal = run(sandbox, "cd ~/.m2/repository && cat from-seed.jar && echo poisoned > from-seed.jar && echo evil > new.jar && echo ok",
                Trust.UNMERGED);
        assertThat(proposal.out()).isEqualTo("seedok\n");
        assertThat(store.resolve("new.jar")).doesNotExist();
        assertThat(seed.resolve("from-seed.jar")).hasContent("seed");

        Result trusted = run(sandbox, "cd ~/.m2/repository && mkdir -p org/x && echo lib > org/x/x.jar && echo kept", Trust.MERGED);
        assertThat(trusted.out()).isEqualTo("kept\n");
        assertThat(store.resolve("org/x/x.jar")).hasContent("lib");

        Result later = run(sandbox, "cat ~/.m2/repository/org/x/x.jar; echo replaced > ~/.m2/repository/org/x/x.jar", Trust.MERGED);
        assertThat(later.out()).isEqualTo("lib\n");
        assertThat(store.resolve("org/x/x.jar")).as("additions never replace").hasContent("lib");
    }

    @Test
    void unavailableMeansRefusedWithTheReasonAndOffMeansAPlainShell() throws Exception {
        SandboxHost missing = SandboxHost.probe(Map.of("QUORUM_BWRAP", dir.resolve("no-bwrap").toString(), "PATH", "/usr/bin:/bin"),
                List.of(), dir.resolve("probe2"));
        assertThat(missing.available()).isFalse();
        Sandbox refused = missing.forRepo("app", SandboxConfig.defaults(), cacheRoot);
        assertThatThrownBy(() -> run(refused, "true", Trust.UNMERGED))
                .isInstanceOf(SandboxException.class)
                .hasMessage("Quorum runs repository code only in a sandbox, and none can be made here: " + dir.resolve("no-bwrap")
                        + " is not an executable bwrap. Fix that, or set repos.app.sandbox: off to run this repository's code unsandboxed.");

        Sandbox off = missing.forRepo("app", new SandboxConfig(true, null, null, null, null, null, null), cacheRoot);
        assertThat(off.confines()).isFalse();
        assertThat(run(off, "cat " + hostOnly.resolve("marker"), Trust.UNMERGED).out()).isEqualTo("outside");
    }
}
