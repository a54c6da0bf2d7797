package dev.quorum.github;

import dev.quorum.repo.Sha;

/**
 * What a GitHub webhook delivery means to Quorum, already authenticated and deduplicated. Each
 * names the Quorum repo ({@code repos.<name>}) it concerns and GitHub's delivery id. Deliveries
 * Quorum has no use for (labels, other repositories, comments without {@code /quorum}, bots)
 * never become events.
 */
public sealed interface GitHubEvent {
    /** The Quorum repo name the repository is configured under. */
    String repo();

    /** {@code X-GitHub-Delivery}, for logs and the audit. */
    String delivery();

    /** A pull request changed under a request about it: it is stale, or failed, at once. */
    record PullRequestChanged(String repo, String delivery, int number, Change change) implements GitHubEvent {}

    /** What changed on the pull request. */
    sealed interface Change {
        /** Closed without merging. */
        record Closed() implements Change {}

        /** Merged elsewhere (on GitHub, or by another tool); {@code mergeCommit} is {@code null} when GitHub names none. */
        record Merged(Sha mergeCommit) implements Change {}

        /** New commits on its head: {@code head} is the new head SHA. */
        record Synchronized(Sha head) implements Change {}

        /** Its base branch was changed from {@code from} to {@code to}. */
        record BaseChanged(String from, String to) implements Change {}
    }

    /**
     * A person's comment on a pull request that starts with {@code /quorum}; {@code command} is
     * the rest of that first line ({@code approve R12}), {@code body} the whole comment.
     */
    record IssueComment(String repo, String delivery, int number, String login, long commentId, String command, String body)
            implements GitHubEvent {}

    /** A person's review was submitted: {@code state} {@code approved}, {@code changes_requested} or {@code commented}. */
    record Review(String repo, String delivery, int number, String login, String state, Sha commitId) implements GitHubEvent {}

    /** A branch or tag moved: {@code before} is all zeros when it was created, {@code after} when deleted. */
    record Push(String repo, String delivery, String ref, Sha before, Sha after, boolean forced) implements GitHubEvent {}
}
