package dev.quorum.request;

import java.util.Locale;

/** The states of SPEC §4. Which follow which is decided by {@link Lifecycle}, not here. */
public enum RequestState {
    QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED,
    VERIFYING, AWAITING_APPROVAL, EXECUTING, DONE, REJECTED, EXPIRED, STALE;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException for an unknown name */
    public static RequestState fromWire(String s) {
        return valueOf(s.toUpperCase(Locale.ROOT));
    }

    /** Nothing happens to a request in a terminal state any more. */
    public boolean isTerminal() {
        return switch (this) {
            case SUCCEEDED, FAILED, CANCELLED, DONE, REJECTED, EXPIRED, STALE -> true;
            case QUEUED, RUNNING, VERIFYING, AWAITING_APPROVAL, EXECUTING -> false;
        };
    }
}
