package dev.quorum.agent;

/**
 * Port: receives a run's short status lines ("thinking (call 2)", "reading src/App.java", "running tests", "done").
 * The lead's implementation turns them into one chat message edited in place; the agent does not throttle.
 *
 * <p>Called on the run's own thread, in order. Implementations must be quick or hand off, and must be safe for
 * concurrent use by different runs. An exception thrown here is logged and ignored: progress never breaks a run.
 */
@FunctionalInterface
public interface ProgressListener {

    /** Discards every event. */
    ProgressListener NONE = (requestId, status) -> { };

    void onProgress(String requestId, String status);
}
