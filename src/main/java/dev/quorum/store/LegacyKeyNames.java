package dev.quorum.store;

import dev.quorum.config.ConfigException;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.ScriptOutputType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Every Quorum key starts with the hash tag {@code {q}:}, so that on a Redis Cluster all of them
 * share one slot and every Lua step stays one atomic step over keys on one node. Quorum's data is
 * small (requests, votes, evidence records): a Cluster gives it failover, not sharding. Stores
 * written before the tag (keys {@code q:…}) are renamed at start, once, in one script.
 */
public final class LegacyKeyNames {
    private static final Logger LOG = LoggerFactory.getLogger(LegacyKeyNames.class);
    private static final LuaScript RENAME = LuaScript.load("keys_legacy_rename");

    private LegacyKeyNames() {
    }

    /**
     * An ACL user made for an older Quorum ({@code ~q:*}) may not touch the tagged names: said at
     * start, with the fix, rather than as NOPERM on the first vote.
     */
    private static void mayUseTaggedKeys(Redis redis) {
        try {
            redis.sync().exists("{q}:seq:request");
        } catch (RedisCommandExecutionException e) {
            if (!noPermission(e)) throw e;
            throw new ConfigException("redis.url", "(its user)", "the Redis user may not use Quorum's keys, which are named {q}:* since "
                    + "Redis Cluster support; add ~{q}:* to its ACL (README, \"Redis\")");
        }
    }

    private static boolean noPermission(RedisCommandExecutionException e) {
        return String.valueOf(e.getMessage()).startsWith("NOPERM");
    }

    /** Renames {@code q:*} keys to {@code {q}:*}; returns how many moved. Pub/sub channels are not keys and keep their names. */
    public static long upgrade(Redis redis) {
        mayUseTaggedKeys(redis);
        // Every old store that holds anything worth keeping has one of these; checking them costs one
        // command where KEYS q:* would walk the whole keyspace at every start.
        try {
            if (redis.sync().exists("q:seq:request", "q:audit", "q:console:log", "q:console:seq") == 0) return 0;
        } catch (RedisCommandExecutionException e) {
            if (!noPermission(e)) throw e;
            return 0; // a user kept from the old names has no old store to move
        }
        List<Long> counts = RENAME.run(redis.sync(), ScriptOutputType.MULTI, new String[0]);
        long moved = counts.get(0);
        long left = counts.get(1);
        LOG.info("Renamed {} keys of an older Quorum store from q:* to {q}:* (one hash slot for a Redis Cluster)", moved);
        if (left > 0) {
            LOG.warn("{} keys named q:* were left in place because a {q}:* key of the same name exists; "
                    + "Quorum reads only the {q}:* ones", left);
        }
        return moved;
    }
}
