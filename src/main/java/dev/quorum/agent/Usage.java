package dev.quorum.agent;

import java.math.BigDecimal;
import java.time.Duration;

/**
 * What a run consumed.
 *
 * @param modelCalls   model calls made (each counted once, however many HTTP retries it took)
 * @param inputTokens  prompt tokens over all calls, as the provider reported them
 * @param outputTokens completion tokens over all calls
 * @param cost         dollars, from the price table
 * @param elapsed      wall time of the run, not counting time queued for a slot
 */
public record Usage(int modelCalls, long inputTokens, long outputTokens, BigDecimal cost, Duration elapsed) {

    public static final Usage NONE = new Usage(0, 0, 0, BigDecimal.ZERO, Duration.ZERO);

    public long totalTokens() {
        return inputTokens + outputTokens;
    }
}
