package dev.quorum.config;

import java.time.Duration;
import java.util.List;

/**
 * A git repository Quorum tests, merges and deploys. Its test command and policies come from
 * Quorum's config only, never from the repository itself.
 *
 * @param path          the repository (bare or not); relative paths resolve against the data folder
 * @param defaultBranch target of merges and default ref of {@code test} and {@code deploy}
 * @param testCommand   run with {@code /bin/sh -c} in a clean checkout
 * @param reports       globs, relative to the checkout, of the JUnit XML reports
 * @param testTimeout   the whole test run is killed after this
 * @param env           names of environment variables passed to the test process; nothing else is
 * @param mergeStyle    {@code merge} (always a merge commit) or {@code fast-forward} (when possible)
 * @param demo          create the repository from Quorum's bundled demo project when it does not exist
 * @param sandbox       how the repository's code is confined when Quorum runs it
 * @param url           instead of {@code path}: a git server's address (https or ssh); Quorum keeps a mirror in the data folder
 * @param credentials   for {@code url}: where the token or {@code user:password} is kept, {@code env:NAME} or
 *                      {@code file:/path}; never the secret itself
 * @param github        the repository on GitHub ({@code github: {owner, repo}}), or {@code null}
 */
public record RepoConfig(String path, String defaultBranch, String testCommand, List<String> reports,
                         Duration testTimeout, List<String> env, String mergeStyle, Boolean demo, SandboxConfig sandbox,
                         String url, String credentials, GitHub github) {
    public RepoConfig {
        defaultBranch = defaultBranch == null ? "main" : defaultBranch;
        testCommand = testCommand == null ? "mvn -B -q test" : testCommand;
        reports = reports == null ? List.of("target/surefire-reports/*.xml") : List.copyOf(reports);
        testTimeout = testTimeout == null ? Duration.ofMinutes(10) : testTimeout;
        env = env == null ? List.of() : List.copyOf(env);
        mergeStyle = mergeStyle == null ? "merge" : mergeStyle;
        demo = demo != null && demo;
        sandbox = sandbox == null ? SandboxConfig.defaults() : sandbox;
    }

    /**
     * A repository on GitHub, {@code https://github.com/<owner>/<repo>}.
     *
     * @param landing     how an approved merge of a pull request lands: {@code push} (default; bors-style, the base
     *                    is fast-forwarded without force to the tested merge result) or {@code merge_api}
     *                    (GitHub's merge API with the voted head SHA and {@code mergeMethod})
     * @param mergeMethod for {@code merge_api}: {@code merge} (default), {@code squash} or {@code rebase}
     */
    public record GitHub(String owner, String repo, String landing, String mergeMethod) {
        public GitHub {
            landing = landing == null ? "push" : landing;
            mergeMethod = mergeMethod == null ? "merge" : mergeMethod;
        }

        public GitHub(String owner, String repo) {
            this(owner, repo, null, null);
        }
    }
}
