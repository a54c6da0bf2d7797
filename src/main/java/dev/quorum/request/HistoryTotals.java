package dev.quorum.request;

import dev.quorum.insights.Rollup;
import dev.quorum.store.LuaScript;
import dev.quorum.store.Redis;
import io.lettuce.core.Range;
import io.lettuce.core.ScoredValue;
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
 *   <li>no filter at all (the History page's default): the state indexes' sizes, and the cost summed from the
 *       insights rollups' day hashes (one field each, pipelined);</li>
 *   <li>no filter, or only the requester, the repository or the environment, over whole UTC days: the insights
 *       rollups, which count every request by the day it was asked and the state it is in now (also by who asked and
 *       what it works on), in the same step as each change: one pipelined read of the days' counts whatever the
 *       history's size;</li>
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
        List<List<String>> filters = new ArrayList<>(RequestStore.indexesFor(q));
        Optional<Rollup.Slice> slice = wholeDays(q) ? slice(q) : Optional.empty();
        if (slice.isPresent()) {
            Optional<RequestStats> rolled = fromRollups(q, slice.get());
            if (rolled.isPresent()) return rolled.get();
        }
        return byWalking(q, filters);
    }

    /**
     * The rollups' slice that is exactly the filter's requests, if there is one: no filter, or only the requester
     * (one person's identities), the repository or the environment. Type and state are counted in the rollups too, but
     * not the cost by them, and an approver not at all.
     */
    private static Optional<Rollup.Slice> slice(RequestQuery q) {
        if (q.state() != null || q.type() != null || q.approver() != null) return Optional.empty();
        int named = (q.user() != null ? 1 : 0) + (q.repo() != null ? 1 : 0) + (q.environment() != null ? 1 : 0);
        if (named == 0) return Optional.of(Rollup.Slice.all());
        if (named > 1) return Optional.empty();
        if (q.user() != null) return Optional.of(Rollup.Slice.requestedBy(q.user().stream().map(Object::toString).toList()));
        if (q.repo() != null) return Optional.of(Rollup.Slice.repository(q.repo()));
        return Optional.of(Rollup.Slice.environment(q.environment()));
    }

    /** Whether the date range is whole UTC days, the rollups' unit; an open end is whole. */
    private static boolean wholeDays(RequestQuery q) {
        return midnight(q.since()) && midnight(q.until());
    }

    private static boolean midnight(Instant at) {
        return at == null || at.atOffset(ZoneOffset.UTC).toLocalTime().equals(LocalTime.MIDNIGHT);
    }

    private Optional<RequestStats> fromRollups(RequestQuery q, Rollup.Slice slice) {
        var sync = redis.sync();
        // An open end is the first or the last request's day: the rollups have no day before the first request
        LocalDate first = q.since() != null ? day(q.since()) : firstCreated(sync.zrangeWithScores(RequestStore.BY_CREATED, 0, 0));
        LocalDate last = q.until() != null ? day(q.until()).minusDays(1) : firstCreated(sync.zrangeWithScores(RequestStore.BY_CREATED, -1, -1));
        if (first == null || last == null || last.isBefore(first)) return Optional.of(new RequestStats(0, Map.of(), 0));
        if (q.since() == null && q.until() == null && slice.equals(Rollup.Slice.all())) {
            // The whole history: its counts are the state indexes' sizes, and only the cost is summed over the days
            Optional<BigDecimal> cost = Rollup.cost(redis, first, last);
            if (cost.isEmpty()) return Optional.empty();
            List<io.lettuce.core.RedisFuture<Long>> sizes = new ArrayList<>();
            for (RequestState st : RequestState.values()) sizes.add(redis.async().zcard(RequestStore.stateIndex(st)));
            Map<String, Long> byState = new TreeMap<>();
            for (int i = 0; i < sizes.size(); i++) {
                long n = Redis.await(sizes.get(i));
                if (n > 0) byState.put(RequestState.values()[i].wire(), n);
            }
            return Optional.of(stats(byState, cost.get()));
        }
        return Rollup.asked(redis, first, last, slice).map(a -> stats(a.byState(), a.costUsd()));
    }

    private static LocalDate firstCreated(List<ScoredValue<String>> one) {
        return one.isEmpty() ? null : day(Instant.ofEpochMilli((long) one.getFirst().getScore()));
    }

    private static LocalDate day(Instant at) {
        return LocalDate.ofInstant(at, ZoneOffset.UTC);
    }

    private RequestStats byWalking(RequestQuery q, List<List<String>> filters) {
        Optional<HistorySearch.Numbers> numbers = HistorySearch.Numbers.of(redis, q);
        if (numbers.isEmpty()) return new RequestStats(0, Map.of(), 0);
        List<String> walk = filters.isEmpty() ? List.of(RequestStore.allIndex()) : HistorySearch.smallest(redis, filters);
        filters.remove(walk);
        List<String> head = new ArrayList<>();
        head.add(String.valueOf(filters.size()));
        List<String> indexes = new ArrayList<>();
        for (List<String> group : filters) {
            head.add(String.valueOf(group.size()));
            indexes.addAll(group);
        }
        head.add(q.since() == null ? "" : String.valueOf(q.since().toEpochMilli()));
        head.add(q.until() == null ? "" : String.valueOf(q.until().toEpochMilli()));
        Map<String, Long> byState = new TreeMap<>();
        BigDecimal cost = BigDecimal.ZERO;
        double high = numbers.get().high();
        // These indexes are scored by request number, one per request: a batch goes on after the last number it saw
        Range<Double> range = Range.create(numbers.get().low(), high);
        while (true) {
            List<ScoredValue<String>> got = HistorySearch.entries(redis, walk, range, 0, BATCH, true);
            if (got.isEmpty()) break;
            String[] keys = new String[indexes.size() + got.size()];
            String[] args = new String[head.size() + got.size()];
            for (int i = 0; i < indexes.size(); i++) keys[i] = indexes.get(i);
            for (int i = 0; i < head.size(); i++) args[i] = head.get(i);
            for (int i = 0; i < got.size(); i++) {
                keys[indexes.size() + i] = RequestStore.key(got.get(i).getValue());
                args[head.size() + i] = got.get(i).getValue();
            }
            List<Object> out = batch.run(redis.sync(), ScriptOutputType.MULTI, keys, args);
            for (int i = 0; i + 1 < out.size(); i += 2) {
                String name = String.valueOf(out.get(i));
                if (name.equals("cost")) cost = cost.add(new BigDecimal(String.valueOf(out.get(i + 1))));
                else byState.merge(name, ((Number) out.get(i + 1)).longValue(), Long::sum);
            }
            if (got.size() < BATCH) break;
            range = Range.from(Range.Boundary.excluding(got.getLast().getScore()), Range.Boundary.including(high));
        }
        return stats(byState, cost);
    }

    /** Every page of the list in turn: for a text filter, which only the rows themselves can answer. */
    private RequestStats byReading(RequestQuery q) {
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
