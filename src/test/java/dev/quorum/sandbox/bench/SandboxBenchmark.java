package dev.quorum.sandbox.bench;

import dev.quorum.config.SandboxConfig;
import dev.quorum.evidence.EvidenceRecord;
import dev.quorum.evidence.EvidenceService;
import dev.quorum.evidence.EvidenceSettings;
import dev.quorum.evidence.EvidenceStatus;
import dev.quorum.evidence.RunListener;
import dev.quorum.evidence.TestTarget;
import dev.quorum.repo.DemoRepository;
import dev.quorum.repo.RepoHosts;
import dev.quorum.request.Cancellation;
import dev.quorum.sandbox.Launch;
import dev.quorum.sandbox.RunRequest;
import dev.quorum.sandbox.Sandbox;
import dev.quorum.sandbox.SandboxHost;
import dev.quorum.sandbox.Trust;
import dev.quorum.testing.TestRepo;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What confining repository code costs: the same test runs through Quorum's evidence runner, in the
 * sandbox (bubblewrap, no network, the dependency cache as an overlay) and with {@code sandbox: off},
 * alternating in one JVM on one machine, so that the unsandboxed run is the floor. Three workloads:
 * the start-up of one sandbox (a command that does nothing), the demo repository's Maven tests, and
 * a generated Maven project of 200 tests. Run with {@code bench/run.sh sandbox}.
 */
public final class SandboxBenchmark {
    private static final int STARTS = 40;
    private static final int MAVEN_ROUNDS = 3;

    private SandboxBenchmark() {}

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("quorum-sandbox-bench");
        SandboxHost host = SandboxHost.probe(System.getenv(), List.of(), dir.resolve("probe"));
        if (!host.available()) throw new IllegalStateException("no sandbox here: " + host.whyUnavailable());
        SandboxConfig confined = new SandboxConfig(false, "none", "host",
                List.of(new SandboxConfig.Cache(".m2/repository", System.getProperty("user.home") + "/.m2/repository")),
                null, null, null);
        SandboxConfig off = new SandboxConfig(true, null, null, null, null, null, null);

        startUp(host, dir);

        Path demo = dir.resolve("demo.git");
        DemoRepository.createIfMissing(demo);
        Map<String, Double> rows = new LinkedHashMap<>();
        maven("demo repository (4 tests)", demo, RepoHosts.local("bench", demo).head("main").orElseThrow().hex(), host, confined, off, dir, rows);

        Path generated = dir.resolve("generated");
        String sha;
        try (TestRepo repo = TestRepo.init(generated)) {
            sha = repo.commit("200 tests", generatedProject(20, 10));
        }
        maven("generated project (200 tests)", generated, sha, host, confined, off, dir, rows);
        System.out.println();
        rows.forEach((name, ratio) -> System.out.printf(Locale.ROOT, "ratio sandboxed/unsandboxed, %s: %.3fx%n", name, ratio));
    }

    /** The cost of making one sandbox: {@code true} in a sandbox against {@code true} unsandboxed. */
    private static void startUp(SandboxHost host, Path dir) throws Exception {
        Sandbox confined = host.forRepo("bench", SandboxConfig.defaults(), dir.resolve("caches/start"));
        Sandbox off = host.forRepo("bench", new SandboxConfig(true, null, null, null, null, null, null), dir.resolve("caches/off"));
        Path ws = Files.createDirectories(dir.resolve("start"));
        for (String sub : List.of("checkout", "home", "tmp")) Files.createDirectories(ws.resolve(sub));
        long[] sandboxed = new long[STARTS];
        long[] plain = new long[STARTS];
        for (int i = -5; i < STARTS; i++) { // five rounds of warm-up
            long s = once(confined, ws);
            long p = once(off, ws);
            if (i >= 0) {
                sandboxed[i] = s;
                plain[i] = p;
            }
        }
        double ms = median(sandboxed) / 1e6;
        double floor = median(plain) / 1e6;
        System.out.printf(Locale.ROOT, "start-up of one run of `true` (median of %d):%n", STARTS);
        System.out.printf(Locale.ROOT, "  %-28s %8.1f ms%n  %-28s %8.1f ms%n  %-28s %8.1f ms (%.1fx)%n%n",
                "sandboxed (bwrap + cgroup)", ms, "unsandboxed (/bin/sh -c)", floor, "sandbox start-up cost", ms - floor, ms / floor);
    }

    private static long once(Sandbox sandbox, Path ws) throws Exception {
        long start = System.nanoTime();
        Launch launch = sandbox.prepare(new RunRequest("true", ws.resolve("checkout"), ws.resolve("home"), ws.resolve("tmp"),
                ws.resolve("scratch"), Map.of("PATH", "/usr/bin:/bin"), Trust.UNMERGED));
        ProcessBuilder pb = new ProcessBuilder(launch.argv()).directory(launch.directory().toFile())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().clear();
        pb.environment().putAll(launch.env());
        int exit = pb.start().waitFor();
        launch.finish(true);
        if (exit != 0) throw new IllegalStateException("`true` exited " + exit + " in " + sandbox.describe());
        return System.nanoTime() - start;
    }

    /** Whole test runs through the evidence runner, alternating sandboxed and unsandboxed, after one warm-up each. */
    private static void maven(String name, Path repo, String sha, SandboxHost host, SandboxConfig confinedConfig, SandboxConfig offConfig,
                              Path dir, Map<String, Double> rows) throws Exception {
        Sandbox confined = host.forRepo("bench", confinedConfig, dir.resolve("caches/" + repo.getFileName()));
        confined.cacheWarmed(); // the seed is the machine's warm ~/.m2: no warm-up run on the default branch
        Sandbox off = host.forRepo("bench", offConfig, dir.resolve("caches/off"));
        EvidenceService service = new EvidenceService(new EvidenceSettings(dir.resolve("work"), dir.resolve("logs"), 1,
                Duration.ofSeconds(10), Duration.ofSeconds(5), false, System.getenv()));
        List<Long> sandboxed = new ArrayList<>();
        List<Long> plain = new ArrayList<>();
        for (int i = -1; i < MAVEN_ROUNDS; i++) {
            long s = run(service, target(repo, "feature", confined), sha);
            long p = run(service, target(repo, "feature", off), sha);
            if (i >= 0) {
                sandboxed.add(s);
                plain.add(p);
            }
        }
        double s = median(sandboxed.stream().mapToLong(Long::longValue).toArray()) / 1e6;
        double p = median(plain.stream().mapToLong(Long::longValue).toArray()) / 1e6;
        System.out.printf(Locale.ROOT, "%s, `mvn -B -q test`, median of %d after a warm-up:%n", name, MAVEN_ROUNDS);
        System.out.printf(Locale.ROOT, "  %-28s %8.0f ms   (runs: %s)%n  %-28s %8.0f ms   (runs: %s)%n%n",
                "sandboxed, no network", s, millis(sandboxed), "unsandboxed", p, millis(plain));
        rows.put(name, s / p);
    }

    /** The repo as an unmerged proposal would be tested (its branch is not the default one). */
    private static TestTarget target(Path repo, String defaultBranch, Sandbox sandbox) {
        return new TestTarget("bench", RepoHosts.local("bench", repo), "mvn -B -q test", List.of("target/surefire-reports/*.xml"), Duration.ofMinutes(10),
                Set.of("JAVA_HOME"), List.of(), defaultBranch, sandbox);
    }

    private static long run(EvidenceService service, TestTarget target, String sha) {
        long start = System.nanoTime();
        EvidenceRecord record = service.run(target, sha, RunListener.NONE, new Cancellation());
        long took = System.nanoTime() - start;
        if (record.status() != EvidenceStatus.PASSED) {
            throw new IllegalStateException("the run did not pass (" + target.sandbox().describe() + "): " + record.problems()
                    + "\n" + record.logTail());
        }
        return took;
    }

    /** A Maven project like the demo's, with {@code classes} test classes of {@code tests} tests each. */
    private static Map<String, String> generatedProject(int classes, int tests) throws Exception {
        Map<String, String> files = new HashMap<>();
        try (var in = SandboxBenchmark.class.getResourceAsStream("/demo-repo/main/pom.xml")) {
            files.put("pom.xml", new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        }
        files.put("src/main/java/gen/Calc.java", "package gen;\npublic final class Calc {\n    public static int add(int a, int b) { return a + b; }\n}\n");
        for (int c = 0; c < classes; c++) {
            StringBuilder body = new StringBuilder("package gen;\nimport org.junit.jupiter.api.Test;\n"
                    + "import static org.junit.jupiter.api.Assertions.assertEquals;\nclass Calc" + c + "Test {\n");
            for (int t = 0; t < tests; t++) {
                body.append("    @Test void adds").append(t).append("() { assertEquals(").append(c + t).append(", Calc.add(")
                        .append(c).append(", ").append(t).append(")); }\n");
            }
            files.put("src/test/java/gen/Calc" + c + "Test.java", body.append("}\n").toString());
        }
        return files;
    }

    private static String millis(List<Long> nanos) {
        return String.join(", ", nanos.stream().map(n -> Long.toString(Math.round(n / 1e6))).toList());
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
