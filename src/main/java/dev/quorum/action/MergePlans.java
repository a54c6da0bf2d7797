package dev.quorum.action;

import dev.quorum.store.Redis;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * How each merge's tested result was written ({@code {q}:merge-plan:R12}): the time and message of its merge commit and
 * whether a fast-forward was allowed. A remote host's mirror is each instance's own, so the merge commit one instance
 * verified is not in another's copy; with its plan, the instance that executes writes the very same commit (same
 * parents, tree, author, time and message: the same SHA) before it lands it. Thread-safe; blocking.
 */
final class MergePlans {
    private static final String KEY = "{q}:merge-plan:";

    /** What {@code RepoHost.planMerge} was given, besides the two commits. */
    record Plan(Instant at, String message, boolean fastForward) {}

    private final Redis redis;

    MergePlans(Redis redis) {
        this.redis = redis;
    }

    void save(String requestId, Plan plan) {
        redis.sync().hset(KEY + requestId, Map.of("at", plan.at().toString(), "message", plan.message(),
                "fast_forward", String.valueOf(plan.fastForward())));
    }

    /** Empty for a merge verified before plans were kept, or whose plan is not readable. */
    Optional<Plan> find(String requestId) {
        Map<String, String> stored = redis.sync().hgetall(KEY + requestId);
        try {
            return stored.containsKey("at") && stored.containsKey("message")
                    ? Optional.of(new Plan(Instant.parse(stored.get("at")), stored.get("message"), Boolean.parseBoolean(stored.get("fast_forward"))))
                    : Optional.empty();
        } catch (java.time.format.DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
