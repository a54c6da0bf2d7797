package dev.quorum.config;

import java.util.List;

/**
 * How Quorum runs tests.
 *
 * @param maxConcurrentRuns test runs at once; more wait in line
 * @param secrets           literal values masked in every log, besides the built-in token shapes
 * @param keepWorkspaces    keep the checkout of a failed run for inspection
 */
public record EvidenceConfig(Integer maxConcurrentRuns, List<String> secrets, Boolean keepWorkspaces) {
    public EvidenceConfig {
        maxConcurrentRuns = maxConcurrentRuns == null ? 2 : maxConcurrentRuns;
        secrets = secrets == null ? List.of() : List.copyOf(secrets);
        keepWorkspaces = keepWorkspaces != null && keepWorkspaces;
    }

    public static EvidenceConfig defaults() {
        return new EvidenceConfig(null, null, null);
    }
}
