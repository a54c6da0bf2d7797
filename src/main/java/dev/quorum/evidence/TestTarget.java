package dev.quorum.evidence;

import dev.quorum.repo.RepoHost;
import dev.quorum.sandbox.Sandbox;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the configuration says about testing one repository. Validated on construction, so a
 * config loader can turn the {@link IllegalArgumentException} (which names the field and the
 * value) into its start-up error. Immutable and thread-safe.
 *
 * @param repo           the repository's configured name, e.g. {@code demo}
 * @param host           where its commits are checked out from; never written to
 * @param testCommand    run with {@code /bin/sh -c} in the checked-out workspace
 * @param reportGlobs    where the command leaves JUnit XML, relative to the workspace, e.g.
 *                       {@code target/surefire-reports/*.xml}; no {@code ..}, not absolute
 * @param timeout        how long the command may run before its process tree is killed
 * @param allowedEnv     names of Quorum's environment variables the command may see, beyond the
 *                       minimal base; never one of {@link ScrubbedEnvironment#NEVER_PASSED}
 * @param secretValues   extra values to mask in logs and evidence (the service adds the values
 *                       of Quorum's own secret variables itself)
 * @param defaultBranch  the branch whose commits passed the merge rule: runs of them are trusted
 * @param sandbox        where the command runs
 */
public record TestTarget(String repo, RepoHost host, String testCommand, List<String> reportGlobs,
                         Duration timeout, Set<String> allowedEnv, List<String> secretValues, String defaultBranch,
                         Sandbox sandbox) {

    private static final Pattern REPO_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    public TestTarget {
        Objects.requireNonNull(repo, "repo");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(testCommand, "test_command");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(defaultBranch, "default_branch");
        Objects.requireNonNull(sandbox, "sandbox");
        if (!REPO_NAME.matcher(repo).matches()) {
            throw new IllegalArgumentException("repo name '" + repo + "' must be letters, digits, . _ - (at most 100)");
        }
        if (testCommand.isBlank()) {
            throw new IllegalArgumentException("test_command of repo " + repo + " is empty");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout of repo " + repo + " must be positive, got " + timeout);
        }
        reportGlobs = List.copyOf(reportGlobs);
        if (reportGlobs.isEmpty()) {
            throw new IllegalArgumentException("report globs of repo " + repo + " are empty: evidence needs JUnit XML");
        }
        for (String glob : reportGlobs) {
            if (glob.isBlank() || glob.startsWith("/") || glob.contains("\\")
                    || List.of(glob.split("/")).contains("..")) {
                throw new IllegalArgumentException("report glob '" + glob + "' of repo " + repo
                        + " must be relative to the workspace, without .. or backslashes");
            }
        }
        allowedEnv = Set.copyOf(allowedEnv);
        for (String name : allowedEnv) {
            if (!ENV_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("allowed env '" + name + "' of repo " + repo + " is not a variable name");
            }
            if (ScrubbedEnvironment.NEVER_PASSED.contains(name)) {
                throw new IllegalArgumentException("allowed env " + name + " of repo " + repo
                        + " is one of Quorum's own secrets and never reaches a test command");
            }
        }
        secretValues = List.copyOf(secretValues);
    }
}
