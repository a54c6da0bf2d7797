package dev.quorum.evidence;

/** A workspace could not be prepared; the message names the repo and commit, the cause says why. */
public final class WorkspaceException extends Exception {

    WorkspaceException(String message, Throwable cause) {
        super(message, cause);
    }

    WorkspaceException(String message) {
        super(message);
    }
}
