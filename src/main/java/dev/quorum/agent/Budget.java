package dev.quorum.agent;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Objects;

/**
 * The limits of one run. Whichever is reached first stops the run gracefully (see {@link RunOutcome.BudgetExhausted}).
 * The caller resolves overrides such as {@code --budget 2.50} against its ceilings before building this.
 *
 * @param maxModelCalls model calls allowed, at least 1
 * @param maxTokens     input plus output tokens allowed over all calls, at least 1
 * @param timeout       wall time allowed from the start of the run (time queued for a slot does not count); checked
 *                      between steps, so a model call in flight may overrun it by up to the model's HTTP timeout
 * @param maxCost       dollars allowed, priced by the model price table; zero-priced models never reach it
 */
public record Budget(int maxModelCalls, long maxTokens, Duration timeout, BigDecimal maxCost) {

    public Budget {
        if (maxModelCalls < 1) {
            throw new IllegalArgumentException("max_model_calls is " + maxModelCalls + ": it must be 1 or more");
        }
        if (maxTokens < 1) {
            throw new IllegalArgumentException("max_tokens is " + maxTokens + ": it must be 1 or more");
        }
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout is " + timeout + ": it must be positive");
        }
        Objects.requireNonNull(maxCost, "maxCost");
        if (maxCost.signum() <= 0) {
            throw new IllegalArgumentException("max cost is " + maxCost + ": it must be positive");
        }
    }

    public Budget withMaxCost(BigDecimal dollars) {
        return new Budget(maxModelCalls, maxTokens, timeout, dollars);
    }
}
