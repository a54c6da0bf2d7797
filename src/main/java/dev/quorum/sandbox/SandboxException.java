package dev.quorum.sandbox;

/** A run could not be confined, so it did not start; the message says why, for the person who asked. */
public final class SandboxException extends Exception {
    public SandboxException(String message) {
        super(message);
    }

    public SandboxException(String message, Throwable cause) {
        super(message, cause);
    }
}
