package dev.quorum.action;

import dev.quorum.store.LuaScript;
import dev.quorum.store.Redis;
import io.lettuce.core.ScriptOutputType;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The execution record of each approved action, {@code {q}:exec:R12}: claimed before anything irreversible runs, in one
 * Redis step with what the execution is about to do (a deploy's fencing token; a merge's exact commit, expected base,
 * landing and token), so that a later delivery of the same execution (Quorum killed during it) finds the claim and its
 * intent together and never does the step a second time. Thread-safe; blocking.
 */
final class ExecutionRecords {
    private static final String KEY = "{q}:exec:";
    /** The claim's own field: when the execution started, epoch milliseconds ({@code HSETNX}-like: set once). */
    private static final String STARTED_AT = "started_at";
    /** Said after an outcome an interrupted delivery had recorded, which is reported and never tried a second time. */
    static final String NOT_AGAIN = " (It finished before Quorum stopped; it was not run again.)";

    private final Redis redis;
    private final LuaScript claim = LuaScript.load("execution_claim");

    ExecutionRecords(Redis redis) {
        this.redis = redis;
    }

    /**
     * Claims request {@code requestId}'s execution with {@code intent} (and {@link #STARTED_AT} now): empty when it is
     * claimed by this call, else the record an earlier delivery left, untouched.
     */
    Optional<Map<String, String>> claim(String requestId, Map<String, String> intent) {
        List<String> args = new ArrayList<>(List.of(STARTED_AT, String.valueOf(System.currentTimeMillis())));
        intent.forEach((field, value) -> {
            args.add(field);
            args.add(value);
        });
        List<Object> earlier = claim.run(redis.sync(), ScriptOutputType.MULTI, new String[]{KEY + requestId}, args.toArray(String[]::new));
        if (earlier.isEmpty()) {
            redis.durable(); // the claim that keeps an execution from running twice outlives a failover (store.Durability)
            return Optional.empty();
        }
        Map<String, String> record = new LinkedHashMap<>();
        for (int i = 0; i + 1 < earlier.size(); i += 2) record.put(String.valueOf(earlier.get(i)), String.valueOf(earlier.get(i + 1)));
        return Optional.of(record);
    }

    /** The record as stored; empty when the execution never started. */
    Map<String, String> get(String requestId) {
        return redis.sync().hgetall(KEY + requestId);
    }

    /** Records how the execution ended, with what it said ({@code output} may be empty). */
    void finish(String requestId, Execution result, String output) {
        String outcome = switch (result) {
            case Execution.Done d -> "done";
            case Execution.Failed f -> "failed";
            case Execution.Stale st -> "stale";
        };
        put(requestId, Map.of("finished_at", String.valueOf(System.currentTimeMillis()), "ok", String.valueOf(result instanceof Execution.Done),
                "outcome", outcome, "summary", summary(result), "output", output));
    }

    /** What an execution's end says in one line. */
    static String summary(Execution result) {
        return switch (result) {
            case Execution.Done d -> d.summary();
            case Execution.Failed f -> f.summary();
            case Execution.Stale st -> st.why();
        };
    }

    /** Adds to the record (an outcome, a later holder's token). */
    void put(String requestId, Map<String, String> fields) {
        redis.sync().hset(KEY + requestId, fields);
    }
}
