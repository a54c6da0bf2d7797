package dev.quorum.request;

import dev.quorum.insights.Rollup;
import dev.quorum.store.LuaScript;
import dev.quorum.store.Redis;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.ScriptOutputType;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The history's totals over everything a filter matches (count, count by state, cost), from the cheapest source
 * that answers them exactly, never by loading every matching row:
 * <ol>
 *   <li>no filter but whole UTC days (the History page's default): the insights rollups, which count every request
 *       by the day it was asked and the state it is in now, in the same step as each change: one pipelined read of
 *       the days' hashes whatever the history's size;</li>
 *   <li>any other filter without text: a walk of the smallest index the filter names (or of every request by number
 *       inside the date range) in batches of {@link #BATCH}, each batch checked and summed inside Redis by
 *       {@code history_totals.lua} (membership of the other indexes, date, state and cost), so only ids and a few
 *       numbers cross the wire and no call holds Redis for long;</li>
 *   <li>text ({@code q}): the matching rows are read page by page, as the list finds them, since words are in no index.</li>
 * </ol>
 * Cost is rounded to a billionth of a dollar, so that the three sums (Redis' float increments, Lua's doubles,
 * decimals here) give the same figure for the same requests.
 */
final class HistoryTotals {
    static final int BATCH = 2_000;
    private static final int COST_SCALE = 9;
    private final Redis redis;
    private final RequestStore store;
    private final LuaScript batch = LuaScript.load("history_totals");

    HistoryTotals(Redis redis, RequestStore store) {
        this.redis = redis;
        this.store = store;
    }

    RequestStats of(RequestQuery q) {
        if (q.text() != null) return byReading(q);
        List<String> filters = new ArrayList<>(RequestStore.indexesFor(q));
        if (filters.isEmpty() && wholeDays(q)) {
            Optional<RequestStats> rolled = fromRollups(q);
            if (rolled.isPresent()) return rolled.get();
        }
        return byWalking(q, filters);
    }

    /** Whether the date range is whole UTC days, the rollups' unit; an open end is whole. */
    private static boolean wholeDays(RequestQuery q) {
        return midnight(q.since()) && midnight(q.until());
    }

    private static boolean midnight(Instant at) {
        return at == null || at.atOffset(ZoneOffset.UTC).toLocalTime().equals(LocalTime.MIDNIGHT);
    }

    private Optional<RequestStats> fromRollups(RequestQuery q) {
        var sync = redis.sync();
        // An open end is the first or the last request's day: the rollups have no day before the first request
        LocalDate first = q.since() != null ? day(q.since()) : firstCreated(sync.zrangeWithScores(RequestStore.BY_CREATED, 0, 0));
        LocalDate last = q.until() != null ? day(q.until()).minusDays(1) : firstCreated(sync.zrangeWithScores(RequestStore.BY_CREATED, -1, -1));
        if (first == null || last == null || last.isBefore(first)) return Optional.of(new RequestStats(0, Map.of(), 0));
        return Rollup.asked(redis, first, last).map(a -> stats(a.byState(), a.costUsd()));
    }

    private static LocalDate firstCreated(List<io.lettuce.core.ScoredValue<String>> one) {
        return one.isEmpty() ? null : day(Instant.ofEpochMilli((long) one.getFirst().getScore()));
    }

    private static LocalDate day(Instant at) {
        return LocalDate.ofInstant(at, ZoneOffset.UTC);
    }

    private RequestStats byWalking(RequestQuery q, List<String> filters) {
        Optional<HistorySearch.Numbers> numbers = HistorySearch.Numbers.of(redis, q);
        if (numbers.isEmpty()) return new RequestStats(0, Map.of(), 0);
        String walk = filters.isEmpty() ? RequestStore.allIndex() : HistorySearch.smallest(redis, filters);
        filters.remove(walk);
        String since = q.since() == null ? "" : String.valueOf(q.since().toEpochMilli());
        String until = q.until() == null ? "" : String.valueOf(q.until().toEpochMilli());
        Map<String, Long> byState = new TreeMap<>();
        BigDecimal cost = BigDecimal.ZERO;
        Range<Double> range = Range.create(numbers.get().low(), numbers.get().high());
        // Batches by offset over a fixed score range: an index only grows at its end (numbers rise) or loses members
        // that change state, and a total is a snapshot of a history that moves anyway
        for (long offset = 0; ; offset += BATCH) {
            List<String> ids = redis.sync().zrangebyscore(walk, range, Limit.create(offset, BATCH));
            if (ids.isEmpty()) break;
            String[] keys = new String[filters.size() + ids.size()];
            String[] args = new String[3 + ids.size()];
            for (int i = 0; i < filters.size(); i++) keys[i] = filters.get(i);
            args[0] = String.valueOf(filters.size());
            args[1] = since;
            args[2] = until;
            for (int i = 0; i < ids.size(); i++) {
                keys[filters.size() + i] = RequestStore.key(ids.get(i));
                args[3 + i] = ids.get(i);
            }
            List<Object> out = batch.run(redis.sync(), ScriptOutputType.MULTI, keys, args);
            for (int i = 0; i + 1 < out.size(); i += 2) {
                String name = String.valueOf(out.get(i));
                if (name.equals("cost")) cost = cost.add(new BigDecimal(String.valueOf(out.get(i + 1))));
                else byState.merge(name, ((Number) out.get(i + 1)).longValue(), Long::sum);
            }
            if (ids.size() < BATCH) break;
        }
        return stats(byState, cost);
    }

    /** Every page of the list in turn: for a text filter, which only the rows themselves can answer. */
    RequestStats byReading(RequestQuery q) {
        Map<String, Long> byState = new TreeMap<>();
        BigDecimal cost = BigDecimal.ZERO;
        RequestQuery.Cursor at = null;
        do {
            RequestPage page = store.list(q.from(at, RequestQuery.MAX_LIMIT));
            for (Request r : page.requests()) {
                byState.merge(r.state().wire(), 1L, Long::sum);
                cost = cost.add(BigDecimal.valueOf(r.costUsd()));
            }
            at = page.next();
        } while (at != null);
        return stats(byState, cost);
    }

    private static RequestStats stats(Map<String, Long> byState, BigDecimal cost) {
        long count = byState.values().stream().mapToLong(Long::longValue).sum();
        return new RequestStats(count, byState, cost.setScale(COST_SCALE, RoundingMode.HALF_EVEN).doubleValue());
    }
}
