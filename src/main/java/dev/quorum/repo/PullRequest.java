package dev.quorum.repo;

/**
 * A pull request as its code host reports it now ({@link PullRequests#find}).
 *
 * @param state      {@code open} or {@code closed}
 * @param headSha    the commit its head branch points at; {@link PullRequests#find} has fetched it into the host's copy
 * @param headRef    its head branch's name, in {@code headRepo}
 * @param headRepo   {@code owner/repo} the head branch lives in (another one for a fork's pull request;
 *                   its commits are fetched from {@code refs/pull/<number>/head})
 * @param baseSha    the commit its base branch pointed at when the host last computed it (may lag; read the branch for now)
 * @param baseRef    the branch it merges into
 * @param author     who opened it, as Quorum names people: {@code github:<login>} (an {@code Identity}'s text)
 * @param authorIsBot when that is an app or bot account
 * @param htmlUrl    where people read it
 * @param mergeCommit the commit a merged pull request landed as in its base (GitHub's {@code merge_commit_sha});
 *                    null while it is not merged, or when the host does not say
 */
public record PullRequest(int number, String state, boolean merged, boolean draft, Sha headSha, String headRef,
                          String headRepo, Sha baseSha, String baseRef, String author, boolean authorIsBot,
                          String htmlUrl, Sha mergeCommit) {
    /** One whose merge commit is not known (not merged). */
    public PullRequest(int number, String state, boolean merged, boolean draft, Sha headSha, String headRef, String headRepo,
                       Sha baseSha, String baseRef, String author, boolean authorIsBot, String htmlUrl) {
        this(number, state, merged, draft, headSha, headRef, headRepo, baseSha, baseRef, author, authorIsBot, htmlUrl, null);
    }

    public boolean open() {
        return "open".equals(state);
    }

    /** {@code #123}: how users name it (SPEC §3). */
    public String shown() {
        return "#" + number;
    }
}
