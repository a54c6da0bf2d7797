package dev.quorum.insights;

import dev.quorum.request.RequestState;
import dev.quorum.request.RequestType;
import dev.quorum.store.Redis;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisFuture;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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
    /** The day's counts and cost by requester, repository and environment, for the history's totals (not Insights'). */
    static final String SLICES = "{q}:roll:slices:";
    /** The day hash's field of the agent cost of the requests asked that day (USD); {@code c|<identity>} is each requester's. */
    private static final String COST = "c";
    /** Set once the rollups hold every request (after a backfill, or from the first request on), to {@link #CURRENT}. */
    static final String VERSION = "{q}:roll:version";
    /** What the rollups count in this version: 2 added the history's totals by requester, repository and environment. */
    static final String CURRENT = "2";

    private Rollup() {}

    /**
     * What the day hashes hold about the requests asked on some days, for the history's totals.
     *
     * @param byState how many of them are in each state now
     * @param costUsd their agent cost together
     */
    public record Asked(Map<String, Long> byState, BigDecimal costUsd) {
        public Asked {
            byState = Map.copyOf(byState);
        }
    }

    /**
     * Which requests of a day a total counts, as the day hash's fields name them: each count prefix followed by
     * {@code |<state>}, and the cost fields.
     */
    public record Slice(String hashes, List<String> counts, List<String> costs) {
        public Slice {
            counts = List.copyOf(counts);
            costs = List.copyOf(costs);
        }

        /** Every request. */
        public static Slice all() {
            return new Slice(DAY, java.util.Arrays.stream(RequestType.values()).map(t -> "n|" + t.wire()).toList(), List.of(COST));
        }

        /** The requests these identities asked for (one person's). */
        public static Slice requestedBy(java.util.Collection<String> identities) {
            return new Slice(SLICES, identities.stream().sorted().map(i -> "nu|" + i).toList(), identities.stream().sorted().map(i -> "cu|" + i).toList());
        }

        /** The requests that work on this repository (their {@code repo} input). */
        public static Slice repository(String repo) {
            return new Slice(SLICES, List.of("nr|" + repo), List.of("cr|" + repo));
        }

        /** The requests that deploy to this environment (their {@code environment} input). */
        public static Slice environment(String environment) {
            return new Slice(SLICES, List.of("ne|" + environment), List.of("ce|" + environment));
        }
    }

    /**
     * The requests of {@code slice} asked from {@code first} to {@code last} (UTC days, both included), summed from their
     * day hashes in one pipelined round of {@code HMGET}s of the counts and the cost (a day hash holds histograms too,
     * which these do not read); empty while the rollups do not hold every request as this version counts them yet
     * (a backfill has not finished).
     */
    public static Optional<Asked> asked(Redis redis, LocalDate first, LocalDate last, Slice slice) {
        if (!kept(redis)) return Optional.empty();
        List<String> fields = new ArrayList<>(slice.costs());
        for (String prefix : slice.counts()) for (RequestState st : RequestState.values()) fields.add(prefix + "|" + st.wire());
        String[] wanted = fields.toArray(String[]::new);
        java.util.Set<String> costs = new java.util.HashSet<>(slice.costs());
        List<RedisFuture<List<KeyValue<String, String>>>> days = new ArrayList<>();
        for (LocalDate d = first; !d.isAfter(last); d = d.plusDays(1)) days.add(redis.async().hmget(slice.hashes() + d, wanted));
        Map<String, Long> byState = new TreeMap<>();
        BigDecimal cost = BigDecimal.ZERO;
        for (RedisFuture<List<KeyValue<String, String>>> day : days) {
            for (KeyValue<String, String> kv : Redis.await(day)) {
                if (!kv.hasValue()) continue;
                if (costs.contains(kv.getKey())) cost = cost.add(new BigDecimal(kv.getValue()));
                else {
                    long n = Long.parseLong(kv.getValue());
                    if (n != 0) byState.merge(kv.getKey().substring(kv.getKey().lastIndexOf('|') + 1), n, Long::sum);
                }
            }
        }
        return Optional.of(new Asked(byState, cost));
    }

    private static boolean kept(Redis redis) {
        return CURRENT.equals(redis.sync().get(VERSION));
    }

    /** The agent cost of the requests asked from {@code first} to {@code last}, as {@link #asked} of every request but only the cost field. */
    public static Optional<BigDecimal> cost(Redis redis, LocalDate first, LocalDate last) {
        if (!kept(redis)) return Optional.empty();
        List<RedisFuture<String>> days = new ArrayList<>();
        for (LocalDate d = first; !d.isAfter(last); d = d.plusDays(1)) days.add(redis.async().hget(DAY + d, COST));
        BigDecimal cost = BigDecimal.ZERO;
        for (RedisFuture<String> day : days) {
            String c = Redis.await(day);
            if (c != null) cost = cost.add(new BigDecimal(c));
        }
        return Optional.of(cost);
    }

    /** The slices hash of the UTC day a request was asked, where the history's totals by requester, repository and environment count it. */
    public static String slicesKey(Instant asked) {
        return SLICES + LocalDate.ofInstant(asked, ZoneOffset.UTC);
    }

    /** The day hash of the UTC day a request was asked, where every figure about it is counted. */
    public static String dayKey(Instant asked) {
        return DAY + LocalDate.ofInstant(asked, ZoneOffset.UTC);
    }
}
