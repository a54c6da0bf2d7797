package dev.quorum.github;

import dev.quorum.repo.Sha;

/**
 * A pull request as GitHub reports it now.
 *
 * @param state    {@code open} or {@code closed}
 * @param headRepo {@code owner/repo} the head branch lives in (another one for a fork's pull request;
 *                 its commits are fetched from {@code refs/pull/<number>/head})
 * @param author   the login of who opened it; {@code authorIsBot} when that is an app or bot account
 */
public record PullRequest(int number, String state, boolean merged, boolean draft, Sha headSha, String headRef,
                          String headRepo, Sha baseSha, String baseRef, String author, boolean authorIsBot,
                          String htmlUrl) {
    public boolean open() {
        return "open".equals(state);
    }
}
