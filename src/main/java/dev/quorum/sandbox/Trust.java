package dev.quorum.sandbox;

/**
 * Whose code a run executes, which decides what the run may reach. Quorum's rule: code on the
 * default branch passed the merge rule (a quorum of humans approved it); anything else did not.
 */
public enum Trust {
    /** A branch, a merge result or an agent's work: the repository's {@code network}; the cache is read-only. */
    UNMERGED,
    /** A commit on the default branch: the {@code trusted_network}; what it adds to the cache is kept. */
    MERGED,
    /** A deploy of an approved commit: the {@code trusted_network}; the cache is read-only. */
    DEPLOY
}
