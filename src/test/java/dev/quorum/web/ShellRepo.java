package dev.quorum.web;

import dev.quorum.testing.QuorumHarness;
import dev.quorum.testing.TestRepo;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * A small repository whose tests and deploy are shell scripts that print in colour, as build tools
 * do: Quorum runs them for real (no Maven), so merges and deploys go through verification, votes and
 * execution in seconds. Its Quorum has one staging environment and a 1-approval merge rule. Not thread-safe.
 */
public final class ShellRepo implements AutoCloseable {
    public static final String ESC = "\u001B";

    /** Passes and prints ANSI colours, like a build tool writing to a terminal. */
    public static final String TESTS = "#!/bin/sh\nprintf '" + ESC + "[1;32mPASS" + ESC + "[0m app.CalcTest adds\\n'\nmkdir -p reports\n"
            + "cat > reports/TEST-app.xml <<'XML'\n<testsuite name='app.CalcTest'><testcase classname='app.CalcTest' name='adds'/></testsuite>\nXML\n";
    public static final String DEPLOY = "#!/bin/sh\nprintf '" + ESC + "[32mdeployed" + ESC + "[0m %s to %s\\n' \"$QUORUM_SHA\" \"$QUORUM_ENV\"\n";
    public static final String APP = "def add(a, b):\n    return a + b\n\n\ndef sub(a, b):\n    return a - b\n";

    private final TestRepo repo;
    private final QuorumHarness quorum;

    private ShellRepo(TestRepo repo, QuorumHarness quorum) {
        this.repo = repo;
        this.quorum = quorum;
    }

    /**
     * The repository in {@code dir/app} and its Quorum (data in {@code dir/data}): in demo mode, or with each user
     * signing in with {@link QuorumHarness#TOKENS}' token. alice, bob and carol are engineers; one approval merges or
     * deploys to staging.
     */
    public static ShellRepo start(Path dir, boolean demo) throws Exception {
        TestRepo repo = create(dir.resolve("app"));
        String console = demo ? "console: {demo: true, users: {alice: {}, bob: {}, carol: {}}}"
                : "console: {demo: false, users: {alice: {token: %s}, bob: {token: %s}, carol: {token: %s}}}".formatted(
                        QuorumHarness.TOKENS.get("alice"), QuorumHarness.TOKENS.get("bob"), QuorumHarness.TOKENS.get("carol"));
        try {
            return new ShellRepo(repo, QuorumHarness.start(dir.resolve("data"), console + """

                    groups: {engineers: [console:alice, console:bob, console:carol]}
                    repos:
                      app: {path: %s, test_command: sh run-tests.sh, reports: ["reports/*.xml"], test_timeout: 60s, sandbox: off}
                    environments:
                      staging: {repo: app, command: sh scripts/deploy.sh, timeout: 60s}
                    policies:
                      merge: {approvals: 1, eligible: [engineers]}
                      deploy.staging: {approvals: 1, eligible: [engineers]}
                    """.formatted(repo.dir()), Map.of(), Clock.systemUTC()));
        } catch (Exception e) {
            repo.close();
            throw e;
        }
    }

    /** A repository with the scripts and a small Python file, committed on main. */
    public static TestRepo create(Path dir) throws Exception {
        TestRepo repo = TestRepo.init(dir);
        repo.commit("app", Map.of("run-tests.sh", TESTS, "scripts/deploy.sh", DEPLOY, "src/app.py", APP, "README.md", "app\n"));
        return repo;
    }

    public TestRepo repo() {
        return repo;
    }

    public QuorumHarness quorum() {
        return quorum;
    }

    /** Commits {@code files} on a new branch off main, and goes back to main. */
    public String branch(String name, Map<String, String> files) throws Exception {
        repo.git().checkout().setCreateBranch(true).setName(name).call();
        String sha = repo.commit(name, files);
        repo.git().checkout().setName("main").call();
        return sha;
    }

    @Override
    public void close() {
        try {
            quorum.close();
        } finally {
            repo.close();
        }
    }
}
