package dev.quorum.insights;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * Where the insights rollups live, for the atomic steps of other capabilities that keep them: each script that
 * changes a request's state is loaded with the {@link #LIBRARY} before it and names the request's {@link #dayKey}
 * in its KEYS (every key a script touches is named there: one slot on a Redis Cluster).
 */
public final class Rollup {
    /** The Lua library ({@code lua/rollup.lua}) with {@code roll_state}, loaded before the scripts that keep rollups. */
    public static final String LIBRARY = "rollup";
    /** Open incidents: environment to {@code <epoch ms>|<deploy id>} of the first deploy marked failed since the last good one. */
    public static final String INCIDENTS = "{q}:roll:incidents";
    static final String DAY = "{q}:roll:day:";
    /** Set once the rollups hold every request (after a backfill, or from the first request on). */
    static final String VERSION = "{q}:roll:version";

    private Rollup() {}

    /** The day hash of the UTC day a request was asked, where every figure about it is counted. */
    public static String dayKey(Instant asked) {
        return DAY + LocalDate.ofInstant(asked, ZoneOffset.UTC);
    }
}
