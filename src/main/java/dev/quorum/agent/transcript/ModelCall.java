package dev.quorum.agent.transcript;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * A model call that returned a reply.
 *
 * @param seq            position in the transcript
 * @param at             when the call started
 * @param model          model name as the provider reported it (else the configured one)
 * @param inputTokens    prompt tokens (0 when the provider reported none)
 * @param outputTokens   completion tokens
 * @param latencyMs      wall time including retries
 * @param attempts       HTTP attempts (more than 1 means retries happened)
 * @param cost           dollars for this call
 * @param finishReason   the provider's finish reason, lower case ("stop", "tool_execution", "length", ...)
 * @param toolsRequested names of the tools the model asked for, in order; empty for a final answer
 */
public record ModelCall(
        int seq,
        Instant at,
        String model,
        long inputTokens,
        long outputTokens,
        long latencyMs,
        int attempts,
        BigDecimal cost,
        String finishReason,
        List<String> toolsRequested) implements TranscriptEntry {

    public ModelCall {
        toolsRequested = List.copyOf(toolsRequested);
    }

    @Override
    public String kind() {
        return "model_call";
    }
}
