package dev.quorum.agent;

import dev.quorum.agent.transcript.TranscriptEntry;

/**
 * Port: stores a run's transcript as it happens (the lead appends to Redis), so a crash or a long run still leaves
 * a record. The same entries are returned with the result.
 *
 * <p>Called on the run's own thread, in order, once per entry; it may block briefly (the thread is virtual).
 * Implementations must be safe for concurrent use by different runs. An exception thrown here is logged and the run
 * goes on: losing a stored line must not lose the work.
 */
@FunctionalInterface
public interface TranscriptSink {

    /** Keeps nothing. */
    TranscriptSink NONE = (requestId, entry) -> { };

    void append(String requestId, TranscriptEntry entry);
}
