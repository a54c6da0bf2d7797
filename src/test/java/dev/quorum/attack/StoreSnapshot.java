package dev.quorum.attack;

import io.lettuce.core.cluster.api.sync.RedisClusterCommands;

import java.util.List;

/**
 * What a command would change in Redis, to compare before and after an input that must be refused: requests opened,
 * audit entries, the console room's log, the freeze. Shared by the fuzz tests of every way in.
 */
final class StoreSnapshot {
    private StoreSnapshot() {}

    static List<Object> of(RedisClusterCommands<String, String> redis) {
        return List.of(String.valueOf(redis.get("{q}:seq:request")), String.valueOf(redis.get("{q}:audit:count")),
                redis.xlen("{q}:console:log"), redis.exists("{q}:freeze"));
    }
}
