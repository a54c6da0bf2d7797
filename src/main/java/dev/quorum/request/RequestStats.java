package dev.quorum.request;

import java.util.Map;

/**
 * Totals over the history that matches a filter, for the managers' dashboard.
 *
 * @param count   requests that match
 * @param byState how many of them are in each state
 * @param costUsd their model cost together
 */
public record RequestStats(long count, Map<String, Long> byState, double costUsd) {
    public RequestStats {
        byState = Map.copyOf(byState);
    }
}
