package dev.quorum.github;

import dev.quorum.config.RepoConfig;
import dev.quorum.repo.CommitCheck;
import dev.quorum.repo.MergeOutcome;
import dev.quorum.repo.PullRequest;
import dev.quorum.repo.PullRequests;
import dev.quorum.repo.RefResolutionException;
import dev.quorum.repo.Sha;
import dev.quorum.repo.remote.RemoteGitHost;

import java.io.IOException;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The pull requests of one repository on GitHub, through {@link GitHubClient}; their heads are fetched from
 * {@code refs/pull/<n>/head} (a fork's commits too) into the host's mirror as {@code refs/quorum/pulls/<n>}, which a
 * refresh never prunes. GitHub's failures become {@link IOException}s with the client's text (the call and GitHub's
 * answer, never a token). Thread-safe.
 */
final class GitHubPullRequests implements PullRequests {
    /** Where a pull request's head is kept in the mirror: one of Quorum's own refs. */
    static String headRef(int number) {
        return "refs/quorum/pulls/" + number;
    }

    private final String name;
    private final RepoConfig.GitHub repo;
    private final GitHubClient client;
    private final RemoteGitHost host;
    private final Landing landing;
    private final MergeMethod method;

    GitHubPullRequests(String name, RepoConfig.GitHub repo, GitHubClient client, RemoteGitHost host) {
        this.name = name;
        this.repo = repo;
        this.client = client;
        this.host = host;
        this.landing = Landing.valueOf(repo.landing().toUpperCase(Locale.ROOT));
        this.method = MergeMethod.valueOf(repo.mergeMethod().toUpperCase(Locale.ROOT));
    }

    /**
     * GitHub's answer, then the head fetched. GitHub moves {@code refs/pull/<n>/head} a moment after a push, so a head
     * that differs from the answer is read once more; still different, the pull request is moving: try again later.
     */
    @Override
    public PullRequest find(int number) throws RefResolutionException {
        if (number < 1) throw new RefResolutionException("no pull request #" + number + " in repo " + name);
        PullRequest pr = read(number);
        if (fetchHead(number).equals(pr.headSha())) return pr;
        pr = read(number);
        if (fetchHead(number).equals(pr.headSha())) return pr;
        throw unreadable(number, "its head moved while Quorum read it; try again");
    }

    private PullRequest read(int number) throws RefResolutionException {
        try {
            return client.pullRequest(repo, number);
        } catch (GitHubException e) {
            if (e.status() == 404) throw new RefResolutionException("no pull request #" + number + " in repo " + name);
            throw unreadable(number, e.getMessage());
        }
    }

    private Sha fetchHead(int number) throws RefResolutionException {
        try {
            return host.fetchRef("refs/pull/" + number + "/head", headRef(number));
        } catch (IOException e) {
            throw unreadable(number, e.getMessage());
        }
    }

    private RefResolutionException unreadable(int number, String why) {
        return new RefResolutionException("cannot read pull request #" + number + " of repo " + name + ": " + why);
    }

    @Override
    public Landing landing() {
        return landing;
    }

    @Override
    public MergeOutcome merge(int number, Sha expectedHead, String title, String message) throws IOException {
        return call(() -> client.merge(repo, number, expectedHead, method, title, message));
    }

    @Override
    public PullRequest openOrUpdateDraft(String branch, String base, String title, String body) throws IOException {
        return call(() -> client.openOrUpdateDraft(repo, branch, base, title, body));
    }

    @Override
    public void publish(Sha commit, CommitCheck check) throws IOException {
        call(() -> {
            client.postCheck(repo, commit, check);
            return null;
        });
    }

    @Override
    public void comment(int number, String markdown) throws IOException {
        call(() -> client.comment(repo, number, markdown));
    }

    /** One of the client's calls; its failure is an I/O failure to the core, with the client's text. */
    private static <T> T call(Supplier<T> call) throws IOException {
        try {
            return call.get();
        } catch (GitHubException e) {
            throw new IOException(e.getMessage(), e);
        }
    }
}
