package dev.quorum.request;

/**
 * A submission was refused because the shared work queue holds {@code limits.max_queued_jobs} jobs:
 * nothing was written. The command router answers it as the load limit it is.
 */
public final class QueueFullException extends RuntimeException {
    private final int cap;

    public QueueFullException(int cap) {
        super("the work queue holds " + cap + " jobs", null, false, false); // a refusal, not a failure: no stack trace
        this.cap = cap;
    }

    /** The cap that was reached. */
    public int cap() {
        return cap;
    }
}
