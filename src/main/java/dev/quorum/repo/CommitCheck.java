package dev.quorum.repo;

/**
 * Quorum's verdict on one commit, posted on the code host (GitHub: the check run of an App, or the commit status of a token) named
 * {@link PullRequests#CHECK_NAME}, so that branch protection can require it.
 *
 * @param line the evidence line (SPEC §6), e.g. {@code passed: 42 passed, 0 failed · abc1234 · 12.3 s · evidence 9f2c41d0}
 * @param link the evidence record in the console
 */
public record CommitCheck(State state, String line, String link) {
    public enum State { PENDING, SUCCESS, FAILURE, ERROR }
}
