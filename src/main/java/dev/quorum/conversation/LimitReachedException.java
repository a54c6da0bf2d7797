package dev.quorum.conversation;

import java.time.Duration;

/**
 * A command was refused by a load limit and its sender has been told {@link #getMessage()} in chat;
 * an adapter that answers with the outcome (the console's {@code POST}) answers with it too.
 */
public final class LimitReachedException extends RuntimeException {
    private final Duration retryAfter;

    public LimitReachedException(String reply, Duration retryAfter) {
        super(reply, null, false, false); // a refusal, not a failure: no stack trace to fill
        this.retryAfter = retryAfter;
    }

    /** How long until a command would be taken again; at least a second. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
