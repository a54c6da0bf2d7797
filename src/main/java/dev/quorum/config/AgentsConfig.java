package dev.quorum.config;

import java.time.Duration;

/**
 * How Quorum runs its agents (research and coding requests).
 *
 * @param maxConcurrentRuns agent runs one instance executes at once; more wait in arrival order
 * @param budget            each request's limits unless {@code code --budget} raises the cost limit
 * @param maxBudget         the highest cost limit, in USD, that {@code code --budget <usd>} may ask for
 */
public record AgentsConfig(Integer maxConcurrentRuns, Budget budget, Double maxBudget) {
    public AgentsConfig {
        maxConcurrentRuns = maxConcurrentRuns == null ? 8 : maxConcurrentRuns;
        budget = budget == null ? Budget.defaults() : budget;
        maxBudget = maxBudget == null ? 10.0 : maxBudget;
    }

    public static AgentsConfig defaults() {
        return new AgentsConfig(null, null, null);
    }

    /**
     * The limits of one agent request; whichever is reached first stops it, and its work so far is kept.
     *
     * @param maxModelCalls model calls
     * @param maxTokens     input plus output tokens over all calls
     * @param timeout       wall time of the run
     * @param maxCost       USD, priced by {@code model.prices}
     */
    public record Budget(Integer maxModelCalls, Long maxTokens, Duration timeout, Double maxCost) {
        public Budget {
            maxModelCalls = maxModelCalls == null ? 30 : maxModelCalls;
            maxTokens = maxTokens == null ? 400_000L : maxTokens;
            timeout = timeout == null ? Duration.ofMinutes(20) : timeout;
            maxCost = maxCost == null ? 1.0 : maxCost;
        }

        public static Budget defaults() {
            return new Budget(null, null, null, null);
        }
    }
}
