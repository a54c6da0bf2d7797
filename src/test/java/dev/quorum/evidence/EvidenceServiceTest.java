package dev.quorum.evidence;

import dev.quorum.sandbox.Sandbox;
import dev.quorum.sandbox.SandboxHost;
import dev.quorum.repo.RefResolutionException;
import dev.quorum.repo.RepoHosts;
import dev.quorum.testing.HostProcesses;
import dev.quorum.testing.TestRepo;
import dev.quorum.testing.TestSandboxes;

import dev.quorum.request.Cancellation;

import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The whole run as a caller meets it: real repositories, real shell scripts that write JUnit XML,
 * real processes.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class EvidenceServiceTest {

    private static final String REPORT_GLOB = "target/surefire-reports/*.xml";
    private static final String TOKEN = "ghp_" + "Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0FeDcBa98";
    private static final String CONFIGURED_SECRET = "db-Passw0rd-for-tests";
    private static final String QUORUM_KEY = "sk-" + "proj-QuorumOwnKeyNeverForTests12345";

    @TempDir
    Path tmp;

    private TestRepo repo;

    @BeforeEach
    void createRepo() throws Exception {
        repo = TestRepo.init(tmp.resolve("repos/demo"));
    }

    @AfterEach
    void closeRepo() {
        repo.close();
    }

    // ---- fixtures -------------------------------------------------------------------------

    private static String report(String cases) {
        return "mkdir -p target/surefire-reports\n"
                + "cat > target/surefire-reports/TEST-demo.GreeterTest.xml <<'XML'\n"
                + "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<testsuite name=\"demo.GreeterTest\">\n" + cases + "</testsuite>\nXML\n";
    }

    private static final String PASSING_SCRIPT = "#!/bin/sh\nset -e\necho 'compiling'\n" + report("""
            <testcase classname="demo.GreeterTest" name="greets" time="0.010"/>
            <testcase classname="demo.GreeterTest" name="greetsTwice" time="0.020"/>
            <testcase classname="demo.GreeterTest" name="greetsInFrench" time="0"><skipped/></testcase>
            """) + "echo 'Tests run: 3, Failures: 0, Errors: 0, Skipped: 1'\n";

    private static final String FAILING_SCRIPT = "#!/bin/sh\n" + report("""
            <testcase classname="demo.GreeterTest" name="greets" time="0.010"/>
            <testcase classname="demo.GreeterTest" name="greetsLoudly" time="0.010"><failure message="expected: &lt;HELLO&gt; but was: &lt;hello&gt;">stack</failure></testcase>
            <testcase classname="demo.GreeterTest" name="greetsNobody" time="0.010"><error message="NullPointerException: name">stack</error></testcase>
            """) + "echo 'Tests run: 3, Failures: 1, Errors: 1'\nexit 1\n";

    private String commitScript(String script) throws Exception {
        return repo.commit("tests", Map.of("run-tests.sh", script));
    }

    private TestTarget target(Duration timeout) {
        return new TestTarget("demo", repo.host("demo"), "sh ./run-tests.sh", List.of(REPORT_GLOB), timeout,
                Set.of("ALLOWED_VAR"), List.of(CONFIGURED_SECRET), "main", TestSandboxes.confined("demo", tmp.resolve("caches")));
    }

    private Map<String, String> hostEnv() {
        Map<String, String> env = new HashMap<>();
        env.put("PATH", System.getenv("PATH"));
        env.put("ALLOWED_VAR", "visible-to-tests");
        env.put("HIDDEN_VAR", "not-for-tests");
        env.put("OPENAI_API_KEY", QUORUM_KEY);
        return env;
    }

    private EvidenceService service(int concurrentRuns, boolean keepFailed) {
        return new EvidenceService(new EvidenceSettings(tmp.resolve("work"), tmp.resolve("logs"), concurrentRuns,
                Duration.ofMillis(200), Duration.ofSeconds(1), keepFailed, hostEnv()));
    }

    private EvidenceService service() {
        return service(2, false);
    }

    private EvidenceRecord run(EvidenceService service, String commit) {
        return service.run(target(Duration.ofSeconds(30)), commit, RunListener.NONE, new Cancellation());
    }

    private List<Path> workspaces() throws IOException {
        Path work = tmp.resolve("work");
        if (!Files.exists(work)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(work)) {
            return entries.toList();
        }
    }

    // ---- verdicts ---------------------------------------------------------------------------

    @Test
    void aPassingSuiteGivesPassedEvidenceBoundToTheCommit() throws Exception {
        String commit = commitScript(PASSING_SCRIPT);
        EvidenceService service = service();

        EvidenceRecord record = run(service, commit);

        assertThat(record.status()).isEqualTo(EvidenceStatus.PASSED);
        assertThat(record.problems()).isEmpty();
        assertThat(record.commit()).isEqualTo(commit);
        assertThat(record.repo()).isEqualTo("demo");
        assertThat(record.command()).isEqualTo("sh ./run-tests.sh");
        assertThat(record.exitCode()).isZero();
        assertThat(record.tests()).isEqualTo(new TestCounts(3, 2, 0, 1, 0));
        assertThat(record.failures()).isEmpty();
        assertThat(record.logTail()).isEqualTo("compiling\nTests run: 3, Failures: 0, Errors: 0, Skipped: 1");
        assertThat(record.verifyDigest()).isTrue();
        assertThat(EvidenceLine.of(record)).isEqualTo("passed: 2 passed, 0 failed, 1 skipped · " + commit.substring(0, 7)
                + " · " + EvidenceLine.duration(record.durationMs()) + " · evidence " + record.digest().substring(0, 8));
        assertThat(service.logFile(record)).hasContent("compiling\nTests run: 3, Failures: 0, Errors: 0, Skipped: 1");
    }

    @Test
    void theRunNeverTouchesTheRepositoryAndLeavesNoWorkspaceBehind() throws Exception {
        String commit = commitScript(PASSING_SCRIPT);

        run(service(), commit);

        assertThat(repo.dir().resolve("target")).doesNotExist();
        try (Git git = Git.open(repo.dir().toFile())) {
            assertThat(git.status().call().isClean()).isTrue();
        }
        assertThat(workspaces()).isEmpty();
    }

    @Test
    void runsTheExactCommitAskedForNotTheBranchTip() throws Exception {
        String passing = commitScript(PASSING_SCRIPT);
        commitScript(FAILING_SCRIPT);

        EvidenceRecord record = run(service(), passing);

        assertThat(record.status()).isEqualTo(EvidenceStatus.PASSED);
        assertThat(record.commit()).isEqualTo(passing);
    }

    @Test
    void aFailingSuiteNamesTheFailingTestsAndTheirMessages() throws Exception {
        String commit = commitScript(FAILING_SCRIPT);

        EvidenceRecord record = run(service(), commit);

        assertThat(record.status()).isEqualTo(EvidenceStatus.FAILED);
        assertThat(record.exitCode()).isEqualTo(1);
        assertThat(record.tests()).isEqualTo(new TestCounts(3, 1, 1, 0, 1));
        assertThat(record.failures()).containsExactly(
                new TestFailure("demo.GreeterTest.greetsLoudly", "expected: <HELLO> but was: <hello>"),
                new TestFailure("demo.GreeterTest.greetsNobody", "NullPointerException: name"));
        assertThat(record.problems()).isEmpty();
        assertThat(EvidenceLine.of(record)).startsWith("failed: 1 passed, 1 failed, 0 skipped, 1 error · ");
    }

    @Test
    void aSuiteThatWritesNoReportFailsAndSaysWhy() throws Exception {
        String commit = commitScript("#!/bin/sh\necho 'all good, trust me'\n");

        EvidenceRecord record = run(service(), commit);

        assertThat(record.status()).isEqualTo(EvidenceStatus.FAILED);
        assertThat(record.exitCode()).isZero();
        assertThat(record.tests()).isEqualTo(TestCounts.NONE);
        assertThat(record.problems()).containsExactly("no JUnit XML report matched " + REPORT_GLOB);
        assertThat(EvidenceLine.of(record)).startsWith("failed: no JUnit XML report matched " + REPORT_GLOB + " · ");
    }

    @Test
    void aCorruptReportFailsEvenWhenTheCommandExitsZero() throws Exception {
        String commit = commitScript("#!/bin/sh\nmkdir -p target/surefire-reports\n"
                + "printf '<testsuite><testcase name=\"a\"/>' > target/surefire-reports/TEST-cut.xml\n");

        EvidenceRecord record = run(service(), commit);

        assertThat(record.status()).isEqualTo(EvidenceStatus.FAILED);
        assertThat(record.problems()).singleElement().asString()
                .startsWith("corrupt report target/surefire-reports/TEST-cut.xml: line 1: ");
    }

    @Test
    void aNonZeroExitFailsEvenWhenEveryTestPassed() throws Exception {
        String commit = commitScript(PASSING_SCRIPT + "exit 3\n");

        EvidenceRecord record = run(service(), commit);

        assertThat(record.status()).isEqualTo(EvidenceStatus.FAILED);
        assertThat(record.problems()).containsExactly("the command exited with code 3 though no test failed");
    }

    // ---- processes ------------------------------------------------------------------------

    private static final String HANGING_SCRIPT = """
            #!/bin/sh
            # a grandchild that ignores SIGTERM, so that only the forced kill stops it
            (trap '' TERM; exec sleep 3017) &
            echo "background pid $!"
            echo "shell pid $$"
            sleep 3019
            """;

    private static long pidIn(String log, String label) {
        Matcher m = Pattern.compile(label + " pid (\\d+)").matcher(log);
        assertThat(m.find()).as("log names the %s pid: %s", label, log).isTrue();
        return Long.parseLong(m.group(1));
    }

    @Test
    void aHangingSuiteIsKilledAtTheTimeLimitWithItsWholeProcessTree() throws Exception {
        String commit = commitScript(HANGING_SCRIPT);
        EvidenceService service = service();

        EvidenceRecord record = service.run(target(Duration.ofSeconds(2)), commit, RunListener.NONE, new Cancellation());

        assertThat(record.status()).isEqualTo(EvidenceStatus.TIMED_OUT);
        assertThat(record.problems()).startsWith("killed after the 2 s time limit");
        assertThat(record.durationMs()).isBetween(2_000L, 10_000L);
        pidIn(record.logTail(), "background");
        pidIn(record.logTail(), "shell");
        assertThat(HostProcesses.running("sleep 3017")).as("grandchild runs").isFalse();
        assertThat(HostProcesses.running("sleep 3019")).as("test script runs").isFalse();
        assertThat(EvidenceLine.of(record)).startsWith("timed_out: killed after the 2 s time limit · ");
        assertThat(record.verifyDigest()).isTrue();
    }

    @Test
    void cancellingARunningSuiteKillsItsProcessTreeAndSaysWhoCancelled() throws Exception {
        String commit = commitScript(HANGING_SCRIPT);
        EvidenceService service = service();
        Cancellation cancellation = new Cancellation();
        CountDownLatch running = new CountDownLatch(1);

        Future<EvidenceRecord> result;
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            result = threads.submit(() -> service.run(target(Duration.ofSeconds(60)), commit, event -> {
                if (event instanceof RunEvent.StillRunning) {
                    running.countDown();
                }
            }, cancellation));
            assertThat(running.await(20, TimeUnit.SECONDS)).isTrue();
            // the suite's processes are seen from here too: cancel only once both run, however slow the machine
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!(HostProcesses.running("sleep 3017") && HostProcesses.running("sleep 3019")) && System.nanoTime() < deadline) Thread.sleep(20);
            assertThat(HostProcesses.running("sleep 3017") && HostProcesses.running("sleep 3019")).as("the suite started its processes").isTrue();
            cancellation.cancel("by console:alice");
        }
        EvidenceRecord record = result.get();

        assertThat(record.status()).isEqualTo(EvidenceStatus.CANCELLED);
        assertThat(record.problems().getFirst()).matches("cancelled after \\d+\\.\\d s \\(by console:alice\\)");
        assertThat(record.durationMs()).isLessThan(20_000);
        pidIn(record.logTail(), "background");
        assertThat(HostProcesses.running("sleep 3017")).as("grandchild runs").isFalse();
        assertThat(HostProcesses.running("sleep 3019")).as("test script runs").isFalse();
    }

    @Test
    void theListenerHearsStartedThenHeartbeatsThenFinishedWithTheSameRecord() throws Exception {
        String commit = commitScript("#!/bin/sh\nsleep 1\n" + report("<testcase name=\"slow\"/>"));
        List<RunEvent> events = new CopyOnWriteArrayList<>();

        EvidenceRecord record = service().run(target(Duration.ofSeconds(30)), commit, events::add, new Cancellation());

        assertThat(events.getFirst()).isInstanceOf(RunEvent.Started.class);
        assertThat(events.subList(1, events.size() - 1)).isNotEmpty().allSatisfy(e ->
                assertThat(e).isInstanceOf(RunEvent.StillRunning.class));
        assertThat(events.getLast()).isEqualTo(new RunEvent.Finished(record));
    }

    @Test
    void aListenerThatThrowsCannotSpoilTheEvidence() throws Exception {
        String commit = commitScript(PASSING_SCRIPT);

        EvidenceRecord record = service().run(target(Duration.ofSeconds(30)), commit, event -> {
            throw new IllegalStateException("chat is down");
        }, new Cancellation());

        assertThat(record.status()).isEqualTo(EvidenceStatus.PASSED);
    }

    // ---- secrets and environment -------------------------------------------------------------

    @Test
    void secretsPrintedBySuiteNeverReachTheRecordTheLogOrTheTail() throws Exception {
        String commit = commitScript("#!/bin/sh\n"
                + "echo 'using token " + TOKEN + "'\n"
                + "echo 'db password is " + CONFIGURED_SECRET + "'\n"
                + "echo '-----BEGIN PRIVATE KEY-----'\necho 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC'\necho '-----END PRIVATE KEY-----'\n"
                + report("<testcase classname=\"demo.Api\" name=\"auth\"><failure message=\"rejected " + TOKEN
                        + " with " + CONFIGURED_SECRET + "\"/></testcase>"));
        EvidenceService service = service();

        EvidenceRecord record = run(service, commit);

        String log = Files.readString(service.logFile(record));
        for (String text : List.of(record.toJson(), log, record.logTail())) {
            assertThat(text).doesNotContain(TOKEN).doesNotContain(CONFIGURED_SECRET).doesNotContain("MIIEvQIBADANBg");
        }
        assertThat(record.logTail()).isEqualTo("using token [REDACTED]\ndb password is [REDACTED]\n"
                + "[REDACTED]\n[REDACTED]\n[REDACTED]");
        assertThat(record.failures()).containsExactly(new TestFailure("demo.Api.auth", "rejected [REDACTED] with [REDACTED]"));
    }

    @Test
    void theSuiteSeesOnlyTheBaseEnvironmentAndAllowedVariables() throws Exception {
        String commit = commitScript("#!/bin/sh\nenv | sort\n" + report("<testcase name=\"env\"/>"));

        EvidenceRecord record = run(service(), commit);

        assertThat(record.logTail())
                .contains("ALLOWED_VAR=visible-to-tests", "CI=true", "LANG=", "HOME=/root\n", "TMPDIR=/tmp\n")
                .containsPattern("PATH=(.*:)?/usr/bin(:.*)?\n")
                .doesNotContainPattern("PATH=.*/root/") // the host PATH, less what the sandbox does not show
                .doesNotContain("HIDDEN_VAR", "OPENAI_API_KEY", QUORUM_KEY);
    }

    @Test
    void quorumsOwnSecretValuesAreMaskedEvenIfASuiteFindsThem() throws Exception {
        String commit = commitScript("#!/bin/sh\necho 'found " + QUORUM_KEY.substring(0, 10) + "'\"" + QUORUM_KEY.substring(10)
                + "\"\n" + report("<testcase name=\"t\"/>"));

        EvidenceRecord record = run(service(), commit);

        assertThat(record.logTail()).isEqualTo("found [REDACTED]");
    }

    @Test
    void withoutASandboxNothingRunsAndTheEvidenceSaysWhyAndWhatToDo() throws Exception {
        String commit = commitScript("#!/bin/sh\ntouch " + tmp.resolve("ran") + "\n" + report("<testcase name=\"t\"/>"));
        Sandbox none = SandboxHost.probe(Map.of("QUORUM_BWRAP", tmp.resolve("no-such-bwrap").toString()), List.of(), tmp.resolve("probe"))
                .forRepo("demo", dev.quorum.config.SandboxConfig.defaults(), tmp.resolve("caches"));
        TestTarget target = new TestTarget("demo", repo.host("demo"), "sh ./run-tests.sh", List.of(REPORT_GLOB), Duration.ofSeconds(30),
                Set.of(), List.of(), "main", none);

        EvidenceRecord record = service().run(target, commit, RunListener.NONE, new Cancellation());

        assertThat(record.status()).isEqualTo(EvidenceStatus.ERROR);
        assertThat(record.exitCode()).isNull();
        assertThat(record.problems()).containsExactly("Quorum runs repository code only in a sandbox, and none can be made here: "
                + tmp.resolve("no-such-bwrap") + " is not an executable bwrap. Fix that, or set repos.demo.sandbox: off to run this "
                + "repository's code unsandboxed.");
        assertThat(tmp.resolve("ran")).doesNotExist();
        assertThat(workspaces()).isEmpty();
    }

    @Test
    void aQuorumSecretCannotBeAllowedIntoTheEnvironment() {
        assertThatThrownBy(() -> new TestTarget("demo", repo.host("demo"), "true", List.of(REPORT_GLOB), Duration.ofSeconds(1),
                Set.of("GITHUB_TOKEN"), List.of(), "main", TestSandboxes.confined("demo", tmp.resolve("caches"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("allowed env GITHUB_TOKEN of repo demo is one of Quorum's own secrets and never reaches a test command");
    }

    @Test
    void aLongLogIsStreamedToTheFileWhileTheTailStaysSmall() throws Exception {
        String commit = commitScript("#!/bin/sh\ni=0\nwhile [ $i -lt 20000 ]; do echo \"line $i\"; i=$((i+1)); done\n"
                + "head -c 100000 /dev/zero | tr '\\0' 'x'\necho\necho last\n" + report("<testcase name=\"t\"/>"));
        EvidenceService service = service();

        EvidenceRecord record = run(service, commit);

        assertThat(record.logTail()).endsWith("\nlast").hasSizeLessThanOrEqualTo(CommandRunner.TAIL_CHARS);
        try (Stream<String> lines = Files.lines(service.logFile(record))) {
            assertThat(lines.filter(l -> l.startsWith("line ")).count()).isEqualTo(20_000);
        }
        assertThat(Files.size(service.logFile(record))).isGreaterThan(100_000 + 20_000 * 6);
    }

    // ---- concurrency -----------------------------------------------------------------------

    private static final String OVERLAP_CHECK = """
            #!/bin/sh
            # fails when another run shares this workspace
            test ! -e marker || exit 9
            touch marker
            sleep 1
            """;

    @Test
    void twoRunsOnTheSameRepositoryAtOnceDoNotInterfere() throws Exception {
        String passing = commitScript(OVERLAP_CHECK + PASSING_SCRIPT.substring(PASSING_SCRIPT.indexOf('\n') + 1));
        String failing = commitScript(OVERLAP_CHECK + FAILING_SCRIPT.substring(FAILING_SCRIPT.indexOf('\n') + 1));
        EvidenceService service = service(2, false);
        CountDownLatch bothStarted = new CountDownLatch(2);
        RunListener listener = event -> {
            if (event instanceof RunEvent.Started) {
                bothStarted.countDown();
            }
        };

        Future<EvidenceRecord> first;
        Future<EvidenceRecord> second;
        Future<EvidenceRecord> third;
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            first = threads.submit(() -> service.run(target(Duration.ofSeconds(30)), passing, listener, new Cancellation()));
            second = threads.submit(() -> service.run(target(Duration.ofSeconds(30)), failing, listener, new Cancellation()));
            third = threads.submit(() -> {
                bothStarted.await();
                return service.run(target(Duration.ofSeconds(30)), passing, RunListener.NONE, new Cancellation());
            });
        }

        assertThat(first.get().status()).isEqualTo(EvidenceStatus.PASSED);
        assertThat(first.get().tests()).isEqualTo(new TestCounts(3, 2, 0, 1, 0));
        assertThat(second.get().status()).isEqualTo(EvidenceStatus.FAILED);
        assertThat(second.get().tests()).isEqualTo(new TestCounts(3, 1, 1, 0, 1));
        assertThat(third.get().status()).isEqualTo(EvidenceStatus.PASSED);
        assertThat(third.get().digest()).isNotEqualTo(first.get().digest());
        assertThat(workspaces()).isEmpty();
    }

    @Test
    void runsBeyondTheLimitQueueInOrderAndHearTheirPosition() throws Exception {
        String commit = commitScript("#!/bin/sh\nsleep 1\n" + report("<testcase name=\"t\"/>"));
        EvidenceService service = service(1, false);
        List<RunEvent> secondEvents = new CopyOnWriteArrayList<>();
        CountDownLatch firstStarted = new CountDownLatch(1);
        CountDownLatch secondQueued = new CountDownLatch(1);

        Future<EvidenceRecord> first;
        Future<EvidenceRecord> second;
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            first = threads.submit(() -> service.run(target(Duration.ofSeconds(30)), commit, event -> {
                if (event instanceof RunEvent.Started) {
                    firstStarted.countDown();
                }
            }, new Cancellation()));
            firstStarted.await();
            second = threads.submit(() -> service.run(target(Duration.ofSeconds(30)), commit, event -> {
                secondEvents.add(event);
                if (event instanceof RunEvent.Queued) {
                    secondQueued.countDown();
                }
            }, new Cancellation()));
            secondQueued.await();
            // a third run, cancelled while it waits, leaves the queue without running
            Cancellation third = new Cancellation();
            third.cancel("by console:bob");
            EvidenceRecord cancelled = service.run(target(Duration.ofSeconds(30)), commit, RunListener.NONE, third);
            assertThat(cancelled.status()).isEqualTo(EvidenceStatus.CANCELLED);
            assertThat(cancelled.problems()).containsExactly("cancelled while queued (by console:bob)");
            assertThat(cancelled.exitCode()).isNull();
        }

        assertThat(secondEvents.getFirst()).isEqualTo(new RunEvent.Queued(1));
        assertThat(secondEvents.get(1)).isInstanceOf(RunEvent.Started.class);
        Instant firstEnded = Instant.parse(first.get().startedAt()).plusMillis(first.get().durationMs());
        assertThat(Instant.parse(second.get().startedAt())).as("the second command starts after the first ended")
                .isAfterOrEqualTo(firstEnded);
    }

    // ---- refs and commits ------------------------------------------------------------------

    @Test
    void aUserRefIsResolvedThenRunAtItsCommit() throws Exception {
        String commit = commitScript(PASSING_SCRIPT);
        repo.branch("feature/greeting", commit);

        EvidenceRecord record = run(service(), repo.host("demo").resolve("feature/greeting").hex());

        assertThat(record.commit()).isEqualTo(commit);
        assertThat(record.status()).isEqualTo(EvidenceStatus.PASSED);
    }

    @Test
    void anUnknownRefOrOneWithShellSyntaxNeverGetsToRun() throws Exception {
        commitScript(PASSING_SCRIPT);

        assertThatThrownBy(() -> repo.host("demo").resolve("nope"))
                .isInstanceOf(RefResolutionException.class).hasMessage("unknown ref 'nope' in repo demo");
        assertThatThrownBy(() -> repo.host("demo").resolve("main;touch pwned"))
                .isInstanceOf(RefResolutionException.class).hasMessageStartingWith("invalid ref 'main;touch pwned'");
        assertThatThrownBy(() -> run(service(), "$(touch pwned)"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("commit must be a full lower-case SHA, got $(touch pwned); resolve refs with RepoHost.resolve first");
        assertThat(repo.dir().resolve("pwned")).doesNotExist();
    }

    @Test
    void aCommitMissingFromTheRepositoryGivesErrorEvidence() throws Exception {
        commitScript(PASSING_SCRIPT);
        String missing = "0123456789abcdef0123456789abcdef01234567";

        EvidenceRecord record = run(service(), missing);

        assertThat(record.status()).isEqualTo(EvidenceStatus.ERROR);
        assertThat(record.problems()).containsExactly("commit " + missing + " not found in repo demo");
        assertThat(record.exitCode()).isNull();
        assertThat(workspaces()).isEmpty();
    }

    @Test
    void aRunFromABareRepositoryWorksAlike() throws Exception {
        String commit = commitScript(PASSING_SCRIPT);
        Path bare = tmp.resolve("repos/demo.git");
        repo.bareCopy(bare);
        TestTarget target = new TestTarget("demo", RepoHosts.local("demo", bare), "sh ./run-tests.sh", List.of(REPORT_GLOB), Duration.ofSeconds(30),
                Set.of(), List.of(), "main", TestSandboxes.confined("demo", tmp.resolve("caches")));

        EvidenceRecord record = service().run(target, commit, RunListener.NONE, new Cancellation());

        assertThat(record.status()).isEqualTo(EvidenceStatus.PASSED);
    }

    @Test
    void aFailedWorkspaceIsKeptWhenConfiguredSo() throws Exception {
        String commit = commitScript(FAILING_SCRIPT);

        run(service(2, true), commit);

        assertThat(workspaces()).singleElement().satisfies(ws ->
                assertThat(ws.resolve("checkout/target/surefire-reports/TEST-demo.GreeterTest.xml")).exists());
    }

    // ---- stored evidence -------------------------------------------------------------------

    @Test
    void storedEvidenceVerifiesAndATamperedCopyDoesNot() throws Exception {
        String commit = commitScript(FAILING_SCRIPT);
        String stored = run(service(), commit).toJson();

        assertThat(EvidenceService.verify(stored)).isTrue();
        assertThat(EvidenceService.verify(stored.replace("\"status\":\"failed\"", "\"status\":\"passed\""))).isFalse();
        assertThat(EvidenceRecord.fromJson(stored).verifyDigest()).isTrue();
    }
}
