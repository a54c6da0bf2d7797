package dev.quorum.agent.model;

/**
 * A model call that did not produce a usable reply. {@link #getMessage()} is a sentence fit for the requester: it
 * names what went wrong on each attempt and never contains a stack trace; the cause is kept for the log.
 */
public final class ModelCallException extends Exception {

    private final int attempts;
    private final boolean abandoned;

    ModelCallException(String message, int attempts, boolean abandoned, Throwable cause) {
        super(message, cause);
        this.attempts = attempts;
        this.abandoned = abandoned;
    }

    /** HTTP attempts made before giving up. */
    public int attempts() {
        return attempts;
    }

    /** True when the caller's stop condition (cancel, deadline) ended the retries, not the provider. */
    public boolean abandoned() {
        return abandoned;
    }
}
