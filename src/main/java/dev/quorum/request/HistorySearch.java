package dev.quorum.request;

import dev.quorum.store.Redis;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScoredValue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * One page of history found on the sorted-set indexes, never by scanning keys.
 *
 * <p>How filters combine: the page walks ONE index in the query's order (by creation: the smallest of the
 * indexes the filter names, or every request; by update: the index by update) in batches, keeps the ids that are
 * in every other named index (one pipelined ZMSCORE per index and batch), loads only those hashes and checks the
 * rest there (date range exactly, text last). This rather than ZINTERSTORE into a temporary key: an intersection
 * costs the sum of the sets' sizes on every page and blocks Redis for all of it (tens of ms at 100,000 requests),
 * and its key must be written, expired and cleaned; the walk costs what the page reads, each command is a small
 * batch so Redis never stalls, and it needs no writes (a read-only replica could serve it).
 *
 * <p>The text filter comes last: on the candidates the indexes left, their text fields alone (HMGET) are read and
 * matched, and only the rows that have the words are loaded whole.
 *
 * <p>The walk is bounded: after {@link #EXAMINED} index entries or {@link #LOADED} candidates read a page ends with what it
 * found and a {@code next} cursor where it stopped, so a filter that matches nearly nothing (a rare word in
 * {@code q} over the whole history) costs a bounded time per page and goes on with {@code next}, instead of one
 * request reading every row.
 */
final class HistorySearch {
    static final int EXAMINED = 20_000;
    static final int LOADED = 2_000;
    private static final int BATCH_MAX = 1_000;
    private final Redis redis;
    private final Function<List<String>, List<Request>> load;
    private static final dev.quorum.store.LuaScript text = dev.quorum.store.LuaScript.load("history_text");

    HistorySearch(Redis redis, Function<List<String>, List<Request>> load) {
        this.redis = redis;
        this.load = load;
    }

    RequestPage page(RequestQuery q) {
        List<List<String>> filters = new ArrayList<>(RequestStore.indexesFor(q));
        boolean ascending = q.sort().ascending();
        List<String> walk;
        double low = Double.NEGATIVE_INFINITY;
        double high = Double.POSITIVE_INFINITY;
        if (q.sort().byUpdate()) {
            walk = List.of(RequestStore.BY_UPDATED);
            // A request changes after it is created, so one created since then was updated since then too
            if (q.since() != null) low = q.since().toEpochMilli();
        } else {
            walk = filters.isEmpty() ? List.of(RequestStore.allIndex()) : smallest(redis, filters);
            filters.remove(walk);
            Optional<Numbers> numbers = Numbers.of(redis, q);
            if (numbers.isEmpty()) return new RequestPage(List.of(), null);
            low = numbers.get().low();
            high = numbers.get().high();
        }
        // Where the walk stands: the last entry passed (score, id) and how many entries of that score to skip
        double boundScore = Double.NaN;
        String boundId = null;
        if (q.cursor() != null) {
            boundScore = q.cursor().score();
            boundId = RequestIds.of(q.cursor().number());
        }
        long offset = 0;
        int batch = Math.min(BATCH_MAX, (q.limit() + 1) * 2 + 10);
        int examined = 0;
        int loaded = 0;
        List<Request> found = new ArrayList<>();
        Map<String, Double> scores = new HashMap<>();
        while (true) {
            Range<Double> range = range(low, high, boundScore, ascending);
            List<ScoredValue<String>> got = entries(redis, walk, range, offset, batch, ascending);
            List<ScoredValue<String>> fresh = new ArrayList<>(got.size());
            for (ScoredValue<String> e : got) {
                if (boundId == null || e.getScore() != boundScore || after(e.getValue(), boundId, ascending)) fresh.add(e);
            }
            if (fresh.isEmpty() && got.size() == batch) { // a run of equal scores already passed: step over it
                offset += batch;
                continue;
            }
            examined += got.size();
            List<String> ids = new ArrayList<>(fresh.size());
            for (ScoredValue<String> e : fresh) {
                ids.add(e.getValue());
                scores.put(e.getValue(), e.getScore());
            }
            List<String> candidates = inAll(ids, filters);
            loaded += candidates.size(); // read, as text or whole: what the window bounds
            ids = mentioning(q, candidates);
            for (Request r : load.apply(ids)) {
                if (!q.matches(r)) continue;
                found.add(r);
                if (found.size() > q.limit()) { // one past the page: there is a next page, after the page's last row
                    Request last = found.get(q.limit() - 1);
                    return new RequestPage(found.subList(0, q.limit()), cursor(last, scores));
                }
            }
            if (got.size() < batch) return new RequestPage(found, null);
            ScoredValue<String> end = got.getLast();
            offset = end.getScore() == boundScore ? offset + got.size() : 0;
            boundScore = end.getScore();
            boundId = end.getValue();
            if (examined >= EXAMINED || loaded >= LOADED) {
                return new RequestPage(found, new RequestQuery.Cursor((long) boundScore, RequestIds.number(boundId)));
            }
            batch = Math.min(BATCH_MAX, batch * 2); // a selective filter: read further at a time
        }
    }

    /**
     * The request numbers a filter's date range spans: numbers are given in creation order (one counter), so a date
     * range is a range of numbers, its ends found on the index by creation time. Clock skew between instances could
     * misplace an end by a request or two, so whoever walks it checks {@code created_at} too, which keeps the answer
     * exact inside the range. Empty: no request was created in it.
     */
    record Numbers(double low, double high) {
        static Optional<Numbers> of(Redis redis, RequestQuery q) {
            double low = Double.NEGATIVE_INFINITY;
            double high = Double.POSITIVE_INFINITY;
            if (q.since() != null) {
                List<String> first = redis.sync().zrangebyscore(RequestStore.BY_CREATED,
                        Range.create((double) q.since().toEpochMilli(), Double.POSITIVE_INFINITY), Limit.create(0, 1));
                if (first.isEmpty()) return Optional.empty();
                low = RequestIds.number(first.getFirst());
            }
            if (q.until() != null) {
                List<String> last = redis.sync().zrevrangebyscore(RequestStore.BY_CREATED,
                        Range.from(Range.Boundary.unbounded(), Range.Boundary.excluding((double) q.until().toEpochMilli())), Limit.create(0, 1));
                if (last.isEmpty()) return Optional.empty();
                high = RequestIds.number(last.getFirst());
            }
            return low > high ? Optional.empty() : Optional.of(new Numbers(low, high));
        }
    }

    /** The walk's range from where it stands on: the bound's own score is included, its ties are sorted out by id. */
    private static Range<Double> range(double low, double high, double bound, boolean ascending) {
        if (Double.isNaN(bound)) return Range.create(low, high);
        return ascending ? Range.create(Math.max(low, bound), high) : Range.create(low, Math.min(high, bound));
    }

    /** Whether an id comes after the bound's among equal scores, in the order Redis gives them (by member, bytewise). */
    private static boolean after(String id, String bound, boolean ascending) {
        int c = id.compareTo(bound);
        return ascending ? c > 0 : c < 0;
    }

    private static RequestQuery.Cursor cursor(Request r, Map<String, Double> scores) {
        return new RequestQuery.Cursor(scores.get(r.id()).longValue(), r.number());
    }

    /** The filter group with the fewest members (its indexes' together): walking it reads least. */
    static List<String> smallest(Redis redis, List<List<String>> groups) {
        List<List<RedisFuture<Long>>> sizes = new ArrayList<>();
        for (List<String> g : groups) sizes.add(g.stream().map(k -> redis.async().zcard(k)).toList());
        List<String> best = groups.getFirst();
        long min = Long.MAX_VALUE;
        for (int i = 0; i < groups.size(); i++) {
            long n = sizes.get(i).stream().mapToLong(Redis::await).sum();
            if (n < min) {
                min = n;
                best = groups.get(i);
            }
        }
        return best;
    }

    /**
     * {@code count} entries of a group of indexes from {@code offset} on, in score order (ties by member, as Redis
     * orders them), each id once: one index is read as it is; several (one person's identities) are each read up to
     * {@code offset + count} and merged, as a union in that order would give them.
     */
    static List<ScoredValue<String>> entries(Redis redis, List<String> group, Range<Double> range, long offset, int count, boolean ascending) {
        if (group.size() == 1) {
            Limit limit = Limit.create(offset, count);
            return ascending ? redis.sync().zrangebyscoreWithScores(group.getFirst(), range, limit)
                    : redis.sync().zrevrangebyscoreWithScores(group.getFirst(), range, limit);
        }
        Limit upTo = Limit.create(0, offset + count);
        List<RedisFuture<List<ScoredValue<String>>>> reads = new ArrayList<>();
        for (String k : group) {
            reads.add(ascending ? redis.async().zrangebyscoreWithScores(k, range, upTo) : redis.async().zrevrangebyscoreWithScores(k, range, upTo));
        }
        java.util.TreeSet<ScoredValue<String>> merged = new java.util.TreeSet<>((a, b) -> {
            int c = Double.compare(a.getScore(), b.getScore());
            if (c == 0) c = a.getValue().compareTo(b.getValue());
            return ascending ? c : -c;
        });
        for (RedisFuture<List<ScoredValue<String>>> r : reads) merged.addAll(Redis.await(r));
        return merged.stream().skip(offset).limit(count).toList();
    }

    /** The ids that are members of every group (of any index in it), in their order: one pipelined ZMSCORE per index. */
    private List<String> inAll(List<String> ids, List<List<String>> groups) {
        if (ids.isEmpty() || groups.isEmpty()) return ids;
        String[] members = ids.toArray(String[]::new);
        List<List<RedisFuture<List<Double>>>> answers = new ArrayList<>();
        for (List<String> group : groups) answers.add(group.stream().map(index -> redis.async().zmscore(index, members)).toList());
        boolean[] keep = new boolean[members.length];
        java.util.Arrays.fill(keep, true);
        for (List<RedisFuture<List<Double>>> group : answers) {
            boolean[] inGroup = new boolean[members.length];
            for (RedisFuture<List<Double>> a : group) {
                List<Double> in = Redis.await(a);
                for (int i = 0; i < members.length; i++) inGroup[i] |= in.get(i) != null;
            }
            for (int i = 0; i < members.length; i++) keep[i] &= inGroup[i];
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < members.length; i++) if (keep[i]) out.add(members[i]);
        return out;
    }

    /**
     * With a text filter, the ids whose id or text fields have its words. An ASCII needle (nearly every one) is matched
     * inside Redis ({@code history_text.lua}, one call per batch), so the candidates' texts never cross the wire; what
     * the script cannot judge exactly (fields with other characters, which only Java lowers right) and every other
     * needle are read with one pipelined HMGET of those fields each and matched here. A whole row is several times
     * their size.
     */
    private List<String> mentioning(RequestQuery q, List<String> ids) {
        if (q.text() == null || ids.isEmpty()) return ids;
        String needle = q.text().toLowerCase(java.util.Locale.ROOT);
        if (!needle.chars().allMatch(c -> c < 0x80)) return matchedHere(q, ids);
        String[] keys = ids.stream().map(RequestStore::key).toArray(String[]::new);
        List<String> args = new ArrayList<>(List.of(needle, String.valueOf(RequestQuery.TEXT_FIELDS.length)));
        args.addAll(List.of(RequestQuery.TEXT_FIELDS));
        args.addAll(ids);
        List<Long> judged = text.run(redis.sync(), io.lettuce.core.ScriptOutputType.MULTI, keys, args.toArray(String[]::new));
        java.util.Set<String> matched = new java.util.HashSet<>();
        List<String> undecided = new ArrayList<>();
        for (long at : judged) {
            if (at > 0) matched.add(ids.get((int) at - 1));
            else undecided.add(ids.get((int) -at - 1));
        }
        if (!undecided.isEmpty()) matched.addAll(matchedHere(q, undecided));
        return ids.stream().filter(matched::contains).toList(); // in the walk's order
    }

    /** The ids whose text fields, read with one pipelined HMGET each, have the filter's words by Java's rule. */
    private List<String> matchedHere(RequestQuery q, List<String> ids) {
        List<RedisFuture<List<io.lettuce.core.KeyValue<String, String>>>> texts = new ArrayList<>(ids.size());
        for (String id : ids) texts.add(redis.async().hmget(RequestStore.key(id), RequestQuery.TEXT_FIELDS));
        List<String> out = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            List<String> fields = Redis.await(texts.get(i)).stream().map(kv -> kv.getValueOrElse(null)).toList();
            if (q.saysText(ids.get(i), fields)) out.add(ids.get(i));
        }
        return out;
    }
}
