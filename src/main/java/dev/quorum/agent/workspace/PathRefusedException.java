package dev.quorum.agent.workspace;

/** A path a tool may not use; the message says why, in words meant for the model. */
public final class PathRefusedException extends Exception {

    public PathRefusedException(String message) {
        super(message, null, false, false);
    }
}
