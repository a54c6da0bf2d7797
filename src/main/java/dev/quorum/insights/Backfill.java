package dev.quorum.insights;

import dev.quorum.approval.ActionStore;
import dev.quorum.request.RequestStore;
import dev.quorum.store.LuaScript;
import dev.quorum.store.Redis;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.List;

/**
 * The one-time rebuild of the rollups from the requests, for a store from before them (the version key is missing):
 * each request is counted by {@code rollup_rebuild.lua}, the same {@code roll_state} that keeps them afterwards. Run at
 * start before any worker takes a job; with several instances the first to start does it (the others wait for its
 * lock to go, then find the version).
 */
public final class Backfill {
    private static final Logger LOG = LoggerFactory.getLogger(Backfill.class);
    private static final String LOCK = "{q}:roll:rebuilding";
    private static final String BY_TIME = "{q}:idx:time";
    private static final int PAGE = 1000;
    /** The number of the request the step to version 2 counted last, while it runs. */
    private static final String SLICES_AT = "{q}:roll:slices-at";

    private Backfill() {}

    /**
     * Rebuilds the rollups unless their version key says they are kept as this version keeps them (an older version's
     * are counted again: version 2 added the totals by requester, repository and environment).
     * @return how many requests were counted
     */
    public static long ifMissing(Redis redis) throws InterruptedException {
        var sync = redis.sync();
        while (!Rollup.CURRENT.equals(sync.get(Rollup.VERSION))) {
            if (!"OK".equals(sync.set(LOCK, "1", SetArgs.Builder.nx().ex(600)))) {
                Thread.sleep(200); // another instance rebuilds them
                continue;
            }
            try {
                // version 1 kept everything but the totals by requester, repository and environment: those are added
                // beside it, since a rebuild would lose the times to restore, which only the live steps saw
                boolean slicesOnly = "1".equals(sync.get(Rollup.VERSION));
                long n = slicesOnly ? addSlices(redis) : rebuild(redis);
                sync.set(Rollup.VERSION, Rollup.CURRENT);
                sync.del(SLICES_AT);
                if (n > 0) LOG.info(slicesOnly ? "Insights: counted {} existing requests into the totals by requester, repository and environment"
                        : "Insights: counted {} existing requests into the rollups", n);
                return n;
            } finally {
                sync.del(LOCK);
            }
        }
        return 0;
    }

    /** Counts every request, in number order, into the totals by requester, repository and environment (rollup_slices.lua). */
    static long addSlices(Redis redis) {
        var sync = redis.sync();
        LuaScript script = LuaScript.load("rollup_slices");
        long counted = 0;
        for (long start = 0; ; start += PAGE) {
            List<io.lettuce.core.ScoredValue<String>> ids = sync.zrangeWithScores(BY_TIME, start, start + PAGE - 1);
            for (io.lettuce.core.ScoredValue<String> entry : ids) {
                String id = entry.getValue();
                String created = sync.hget(RequestStore.key(id), "created_at");
                if (created == null) continue;
                Long done = script.run(sync, ScriptOutputType.INTEGER, new String[]{RequestStore.key(id),
                        Rollup.slicesKey(Instant.ofEpochMilli(Long.parseLong(created))), RequestStore.key(id) + ":inputs", SLICES_AT},
                        String.valueOf((long) entry.getScore()));
                counted += done == null ? 0 : done;
            }
            if (ids.size() < PAGE) return counted;
        }
    }

    /** Counts every request again into emptied day hashes. */
    static long rebuild(Redis redis) {
        var sync = redis.sync();
        for (String prefix : List.of(Rollup.DAY, Rollup.SLICES)) {
            ScanCursor cursor = ScanCursor.INITIAL;
            do {
                KeyScanCursor<String> page = sync.scan(cursor, ScanArgs.Builder.matches(prefix + "*").limit(500));
                if (!page.getKeys().isEmpty()) sync.del(page.getKeys().toArray(String[]::new));
                cursor = page;
            } while (!cursor.isFinished());
        }
        LuaScript script = LuaScript.load("rollup_rebuild", Rollup.LIBRARY);
        long counted = 0;
        for (long start = 0; ; start += PAGE) {
            List<String> ids = sync.zrange(BY_TIME, start, start + PAGE - 1);
            for (String id : ids) {
                String created = sync.hget(RequestStore.key(id), "created_at");
                if (created == null) continue;
                Long done = script.run(sync, ScriptOutputType.INTEGER, new String[]{RequestStore.key(id),
                        Rollup.dayKey(Instant.ofEpochMilli(Long.parseLong(created))), RequestStore.key(id) + ":inputs",
                        ActionStore.votesKey(id), ActionStore.actionKey(id), Rollup.slicesKey(Instant.ofEpochMilli(Long.parseLong(created)))});
                counted += done == null ? 0 : done;
            }
            if (ids.size() < PAGE) return counted;
        }
    }
}
