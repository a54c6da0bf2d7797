package dev.quorum.github;

/**
 * GitHub answered something Quorum cannot act on (an unknown pull request, refused credentials, a
 * rate limit longer than Quorum waits) or could not be reached. The message names the call and
 * GitHub's own message, never a token, a key or a request header.
 */
public final class GitHubException extends RuntimeException {
    private final int status;

    GitHubException(int status, String message) {
        super(message);
        this.status = status;
    }

    /** GitHub's HTTP status; 0 when no answer came. */
    public int status() {
        return status;
    }
}
