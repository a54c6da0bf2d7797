package dev.quorum.agent.transcript;

import java.time.Instant;

/**
 * A model call that produced no usable reply after its retries.
 *
 * @param message the sentence shown to the requester
 */
public record ModelCallFailure(int seq, Instant at, long latencyMs, int attempts, String message)
        implements TranscriptEntry {

    @Override
    public String kind() {
        return "model_call_failure";
    }
}
