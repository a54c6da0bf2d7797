package dev.quorum.action;

import dev.quorum.testing.TestRepo;

import java.nio.file.Path;
import java.util.Map;

/** A repo whose tests pass and whose {@code deploy.sh} a test writes, and the config that deploys it to production. */
final class DeployFixture {
    private DeployFixture() {}

    /** Commits a passing suite and {@code deploy.sh}; returns the commit. */
    static String commit(TestRepo repo, String deployScript) throws Exception {
        return repo.commit("app", Map.of(
                "run-tests.sh", "#!/bin/sh\nmkdir -p reports\necho \"<testsuite name='t'><testcase classname='t' name='a'/></testsuite>\" > reports/TEST-t.xml\n",
                "deploy.sh", deployScript));
    }

    /** alice proposes, bob approves (one approval deploys); {@code extra} is appended. */
    static String yaml(TestRepo repo, String extra) {
        return """
                console: {demo: true, users: {alice: {}, bob: {}}}
                groups: {engineers: [console:alice, console:bob]}
                repos:
                  # the deploy script records what it did in the test's folder, which a sandbox rightly hides
                  app: {path: %s, test_command: sh run-tests.sh, reports: ["reports/*.xml"], test_timeout: 60s, sandbox: off}
                environments:
                  production: {repo: app, command: sh deploy.sh, timeout: 10m}
                policies:
                  deploy.production: {approvals: 1, eligible: [engineers]}
                """.formatted(repo.dir()) + extra;
    }
}
