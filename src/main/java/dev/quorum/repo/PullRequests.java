package dev.quorum.repo;

import java.io.IOException;

/**
 * The pull requests of one repository whose host has them (GitHub), for the core: the port merges,
 * evidence and the coding agent use, never the host's client. A {@link RepoHost} offers it through
 * {@link RepoHost#pullRequests()}. Every method blocks (virtual threads only) and is thread-safe.
 * Failures talking to the host are {@link IOException}s whose message may be shown to users (it
 * names the call and the host's answer, never a credential).
 */
public interface PullRequests {
    /** The name of Quorum's check run or commit status: what branch protection requires. */
    String CHECK_NAME = "quorum";

    /** How a merge of a pull request lands after quorum ({@code repos.<name>.github.landing}). */
    enum Landing {
        /**
         * bors-style: the base branch is fast-forwarded, without force, to the exact merge result
         * Quorum tested ({@link RepoHost#compareAndSet}); the host then marks the pull request merged.
         * Branch protection must let Quorum push.
         */
        PUSH,
        /**
         * The host's merge API with the head SHA the votes saw and {@code merge_method}; what landed
         * is then compared with the tested tree ({@link RepoHost#sameTree}).
         */
        MERGE_API
    }

    /**
     * Pull request {@code number} now, with its head commit fetched into the host's copy (so that
     * {@link RepoHost#planMerge} and {@link RepoHost#checkout} can read {@code headSha}).
     *
     * @throws RefResolutionException {@code no pull request #12 in repo r} (the text users see), or
     *                                {@code cannot read pull request #12 of repo r: …}
     */
    PullRequest find(int number) throws RefResolutionException;

    /** How merges of this repository's pull requests land. */
    Landing landing();

    /**
     * Lands pull request {@code number} through the host's merge API only if its head is still
     * {@code expectedHead}, with the configured method ({@code merge}, {@code squash}, {@code rebase}).
     */
    MergeOutcome merge(int number, Sha expectedHead, String title, String message) throws IOException;

    /**
     * The open draft pull request from {@code branch} into {@code base}: opened on the first call,
     * its title and description replaced on later ones.
     */
    PullRequest openOrUpdateDraft(String branch, String base, String title, String body) throws IOException;

    /** Posts Quorum's verdict on {@code commit} as the check (or status) {@link #CHECK_NAME}; the newest one shows. */
    void publish(Sha commit, CommitCheck check) throws IOException;

    /** Adds a comment to pull request {@code number}'s conversation (Markdown). */
    void comment(int number, String markdown) throws IOException;
}
