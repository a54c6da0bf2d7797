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
    static final String CURRENT = "1";
    private static final int PAGE = 1000;

    private Backfill() {}

    /** Rebuilds the rollups unless their version key says they are kept. @return how many requests were counted */
    public static long ifMissing(Redis redis) throws InterruptedException {
        var sync = redis.sync();
        while (sync.exists(Rollup.VERSION) == 0) {
            if (!"OK".equals(sync.set(LOCK, "1", SetArgs.Builder.nx().ex(600)))) {
                Thread.sleep(200); // another instance rebuilds them
                continue;
            }
            try {
                long n = rebuild(redis);
                sync.set(Rollup.VERSION, CURRENT);
                if (n > 0) LOG.info("Insights: counted {} existing requests into the rollups", n);
                return n;
            } finally {
                sync.del(LOCK);
            }
        }
        return 0;
    }

    /** Counts every request again into emptied day hashes. */
    static long rebuild(Redis redis) {
        var sync = redis.sync();
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            KeyScanCursor<String> page = sync.scan(cursor, ScanArgs.Builder.matches(Rollup.DAY + "*").limit(500));
            if (!page.getKeys().isEmpty()) sync.del(page.getKeys().toArray(String[]::new));
            cursor = page;
        } while (!cursor.isFinished());
        LuaScript script = LuaScript.load("rollup_rebuild", Rollup.LIBRARY);
        long counted = 0;
        for (long start = 0; ; start += PAGE) {
            List<String> ids = sync.zrange(BY_TIME, start, start + PAGE - 1);
            for (String id : ids) {
                String created = sync.hget(RequestStore.key(id), "created_at");
                if (created == null) continue;
                Long done = script.run(sync, ScriptOutputType.INTEGER, new String[]{RequestStore.key(id),
                        Rollup.dayKey(Instant.ofEpochMilli(Long.parseLong(created))), RequestStore.key(id) + ":inputs",
                        ActionStore.votesKey(id), ActionStore.actionKey(id)});
                counted += done == null ? 0 : done;
            }
            if (ids.size() < PAGE) return counted;
        }
    }
}
