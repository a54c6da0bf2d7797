package dev.quorum.insights;

import dev.quorum.store.Redis;

/** A process that changes requests as fast as it can until it is killed: {@link RollupCrashTest} SIGKILLs it. */
public final class RollupChurn {
    private RollupChurn() {}

    public static void main(String[] args) {
        Redis redis = Redis.connect(args[0]);
        System.out.println("churning");
        System.out.flush();
        SeededHistory.seed(redis, 1_000_000, Long.parseLong(args[1]));
    }
}
