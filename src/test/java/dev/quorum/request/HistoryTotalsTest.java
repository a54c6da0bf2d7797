package dev.quorum.request;

import dev.quorum.conversation.Identity;
import dev.quorum.insights.Backfill;
import dev.quorum.store.Redis;
import dev.quorum.testing.TestRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The history's totals ({@code GET /api/requests/stats}) against a brute-force count of the seeded rows, for every
 * kind of filter, and which source answers: the rollups for the default view, a batched walk inside Redis for the
 * rest, the rows themselves only for text.
 */
class HistoryTotalsTest {
    private static final int COUNT = 700;
    private static Redis redis;
    private static RequestStore store;
    private static List<HistorySeed.Row> rows;
    private static final Map<String, BigDecimal> COST = new HashMap<>();

    @BeforeAll
    static void seed() throws InterruptedException {
        redis = TestRedis.fresh();
        store = new RequestStore(redis);
        assertThat(Backfill.ifMissing(redis)).isZero(); // an empty store: the rollups are kept from the first request on
        rows = HistorySeed.viaStore(redis, store, COUNT);
        Random random = new Random(7);
        for (HistorySeed.Row row : rows) {
            if (row.type().isAction() || row.type() == RequestType.TEST) continue;
            for (int i = random.nextInt(3); i > 0; i--) { // some agent runs cost nothing, some several model calls
                double usd = random.nextInt(100_000) / 1_000_000.0;
                store.addCost(row.id(), usd);
                COST.merge(row.id(), BigDecimal.valueOf(usd), BigDecimal::add);
            }
        }
    }

    @AfterAll
    static void close() {
        redis.close();
    }

    @Test
    void everyKindOfFilterTotalsWhatItsRowsAdd() {
        Instant dayTwo = HistorySeed.T0.plus(Duration.ofDays(2));
        List<RequestQuery> queries = new ArrayList<>(List.of(
                filter(null, null, null, null, null, null, null, null, null), // the default view: rollups
                filter(null, null, null, null, null, null, dayTwo, dayTwo.plus(Duration.ofDays(3)), null), // whole days: rollups
                filter(null, null, null, null, null, null, dayTwo.plusSeconds(3600), null, null), // a part of a day: walked
                filter(null, null, null, null, null, null, null, dayTwo.minusSeconds(1), null),
                filter(RequestState.DONE, null, null, null, null, null, null, null, null),
                filter(null, RequestType.CODE, null, null, null, null, null, null, null),
                filter(null, RequestType.MERGE, null, null, "acme/web", null, null, null, null),
                filter(null, null, Identity.console("alice"), null, null, null, null, null, null),
                filter(null, null, null, Identity.console("bob"), null, null, dayTwo, null, null),
                filter(null, RequestType.DEPLOY, null, null, null, "production", null, null, null),
                filter(RequestState.FAILED, RequestType.RESEARCH, Identity.console("carol"), null, null, null, null, null, null),
                filter(null, null, null, null, null, null, null, null, "flaky login"), // text: read
                filter(null, RequestType.CODE, null, null, null, null, dayTwo, null, "acme/api"),
                filter(null, null, null, null, null, null, HistorySeed.T0.plus(Duration.ofDays(400)), null, null), // after the last
                filter(null, null, null, null, null, "nowhere", null, null, null)));
        Random random = new Random(11);
        for (int i = 0; i < 150; i++) queries.add(randomFilter(random));
        for (RequestQuery q : queries) {
            assertThat(store.stats(q)).as("%s", q).isEqualTo(bruteForce(q));
        }
        assertThat(store.stats(queries.getFirst()).count()).isEqualTo(COUNT);
        assertThat(store.stats(queries.getFirst()).costUsd()).isPositive();
    }

    @Test
    void theDefaultViewIsReadFromTheRollupsAndOtherFiltersAreSummedInsideRedisWithoutLoadingRows() {
        RequestQuery all = filter(null, null, null, null, null, null, null, null, null);
        Map<String, Long> before = commands();
        RequestStats rolled = store.stats(all);
        Map<String, Long> after = commands();
        assertThat(delta(before, after, "evalsha")).isZero();
        assertThat(delta(before, after, "zrangebyscore")).isZero();
        assertThat(delta(before, after, "hgetall") + delta(before, after, "hmget")).as("no request read").isZero();
        assertThat(delta(before, after, "zcard")).isEqualTo(RequestState.values().length); // the counts: each state index's size
        long days = java.time.temporal.ChronoUnit.DAYS.between(HistorySeed.T0, rows.getLast().created()) + 1;
        assertThat(delta(before, after, "hget")).as("the cost: one field of each day's rollups").isEqualTo(days);

        RequestQuery week = filter(null, null, null, null, null, null, HistorySeed.T0.plus(Duration.ofDays(2)), HistorySeed.T0.plus(Duration.ofDays(9)), null);
        before = commands();
        store.stats(week);
        after = commands();
        assertThat(delta(before, after, "hmget")).as("the counts and cost of each of the 7 days").isEqualTo(7);
        assertThat(delta(before, after, "evalsha") + delta(before, after, "hgetall")).isZero();

        // one requester, one repository or one environment: their rollups too, a field or a few per day
        for (RequestQuery one : List.of(filter(null, null, Identity.console("alice"), null, null, null, null, null, null),
                filter(null, null, null, null, "acme/web", null, HistorySeed.T0.plus(Duration.ofDays(1)), null, null),
                filter(null, null, null, null, null, "production", null, null, null))) {
            before = commands();
            assertThat(store.stats(one)).isEqualTo(bruteForce(one));
            after = commands();
            assertThat(delta(before, after, "evalsha") + delta(before, after, "zrangebyscore")).as("%s", one).isZero();
            assertThat(delta(before, after, "hmget")).as("%s", one).isEqualTo(days - (one.since() == null ? 0 : 1));
        }

        // two of them together are in no rollup: walked, inside Redis, without loading a row
        RequestQuery aliceOnWeb = filter(null, null, Identity.console("alice"), null, "acme/web", null, null, null, null);
        before = commands();
        store.stats(aliceOnWeb);
        after = commands();
        assertThat(delta(before, after, "evalsha")).isEqualTo(1); // a few dozen of alice's requests: one batch
        assertThat(delta(before, after, "hgetall")).isZero();

        // While the rollups do not hold every request (an upgraded store before its backfill), the walk answers the same
        String version = redis.sync().get("{q}:roll:version");
        redis.sync().del("{q}:roll:version");
        try {
            before = commands();
            assertThat(store.stats(all)).isEqualTo(rolled);
            assertThat(delta(before, commands(), "evalsha")).isEqualTo(1);
        } finally {
            redis.sync().set("{q}:roll:version", version);
        }
    }

    @Test
    void aLargeHistoryIsWalkedInBoundedBatches() {
        try (Redis big = TestRedis.fresh()) {
            int count = HistoryTotals.BATCH * 2 + 13;
            HistorySeed.pipelined(big, count);
            RequestStore bigStore = new RequestStore(big);
            RequestQuery q = filter(null, null, null, null, null, null, HistorySeed.T0.plus(Duration.ofMinutes(31)), null, null);
            Map<String, Long> before = commandsOf(big);
            RequestStats st = bigStore.stats(q);
            assertThat(delta(before, commandsOf(big), "evalsha")).isEqualTo(3);
            assertThat(st.count()).isEqualTo(count - 1); // R1 was asked at T0 + 30 min, before the range
            assertThat(st.byState()).isEqualTo(HistorySeedCounts.byState(count, 2));
        }
    }

    private static RequestQuery randomFilter(Random r) {
        RequestState state = r.nextInt(3) == 0 ? pick(r, RequestState.values()) : null;
        RequestType type = r.nextInt(2) == 0 ? pick(r, RequestType.values()) : null;
        Identity user = r.nextInt(3) == 0 ? Identity.console(pick(r, HistorySeed.USERS.toArray(String[]::new))) : null;
        Identity approver = r.nextInt(4) == 0 ? Identity.console(pick(r, HistorySeed.USERS.toArray(String[]::new))) : null;
        String repo = r.nextInt(3) == 0 ? pick(r, HistorySeed.REPOS.toArray(String[]::new)) : null;
        String env = r.nextInt(4) == 0 ? pick(r, HistorySeed.ENVIRONMENTS.toArray(String[]::new)) : null;
        // whole days, parts of days, open ends
        Instant since = r.nextInt(2) == 0 ? HistorySeed.T0.plus(Duration.ofMinutes(r.nextInt(2) == 0 ? 1440L * r.nextInt(15) : r.nextInt(20_000))) : null;
        Instant until = r.nextInt(2) == 0 ? HistorySeed.T0.plus(Duration.ofMinutes(r.nextInt(2) == 0 ? 1440L * r.nextInt(15) : r.nextInt(20_000))) : null;
        String text = r.nextInt(6) == 0 ? pick(r, new String[]{"flaky", "TASK 1", "acme/web", "R12", "nothing like it"}) : null;
        return filter(state, type, user, approver, repo, env, since, until, text);
    }

    @SafeVarargs
    private static <T> T pick(Random r, T... of) {
        return of[r.nextInt(of.length)];
    }

    private static RequestQuery filter(RequestState state, RequestType type, Identity user, Identity approver, String repo, String env,
                                       Instant since, Instant until, String text) {
        return new RequestQuery(state, type, RequestQuery.one(user), RequestQuery.one(approver), repo, env, since, until, text, null, null, 50);
    }

    /** What the filter must total, from the rows as the seed made them and the cost this test added. */
    private static RequestStats bruteForce(RequestQuery q) {
        Map<String, Long> byState = new TreeMap<>();
        BigDecimal cost = BigDecimal.ZERO;
        for (HistorySeed.Row row : rows) {
            if (q.state() != null && row.state() != q.state()) continue;
            if (q.type() != null && row.type() != q.type()) continue;
            if (q.user() != null && !q.user().contains(row.requester())) continue;
            if (q.approver() != null && row.approvers().stream().noneMatch(q.approver()::contains)) continue;
            if (q.repo() != null && !q.repo().equals(row.repo())) continue;
            if (q.environment() != null && !q.environment().equals(row.environment())) continue;
            if (q.since() != null && row.created().isBefore(q.since())) continue;
            if (q.until() != null && !row.created().isBefore(q.until())) continue;
            if (q.text() != null && !(row.id() + "\n" + row.text() + "\n" + row.requester().id()).toLowerCase(Locale.ROOT)
                    .contains(q.text().toLowerCase(Locale.ROOT))) continue;
            byState.merge(row.state().wire(), 1L, Long::sum);
            cost = cost.add(COST.getOrDefault(row.id(), BigDecimal.ZERO));
        }
        long count = byState.values().stream().mapToLong(Long::longValue).sum();
        return new RequestStats(count, byState, cost.setScale(9, RoundingMode.HALF_EVEN).doubleValue());
    }

    private static Map<String, Long> commands() {
        return commandsOf(redis);
    }

    /** Calls per command so far, from {@code INFO commandstats}. */
    private static Map<String, Long> commandsOf(Redis r) {
        Map<String, Long> out = new HashMap<>();
        for (String line : r.sync().info("commandstats").split("\r?\n")) {
            if (!line.startsWith("cmdstat_")) continue;
            String name = line.substring("cmdstat_".length(), line.indexOf(':'));
            String calls = line.substring(line.indexOf("calls=") + 6);
            out.put(name, Long.parseLong(calls.substring(0, calls.indexOf(','))));
        }
        return out;
    }

    private static long delta(Map<String, Long> before, Map<String, Long> after, String command) {
        return after.getOrDefault(command, 0L) - before.getOrDefault(command, 0L);
    }

    /** The seeded rows' states counted by brute force, for a history written without the store's scripts. */
    private static final class HistorySeedCounts {
        static Map<String, Long> byState(int count, int from) {
            Map<String, Long> m = new TreeMap<>();
            for (long n = from; n <= count; n++) m.merge(HistorySeed.row(n).state().wire(), 1L, Long::sum);
            return m;
        }
    }
}
