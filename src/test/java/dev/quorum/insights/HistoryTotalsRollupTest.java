package dev.quorum.insights;

import dev.quorum.conversation.Identity;
import dev.quorum.request.RequestQuery;
import dev.quorum.request.RequestStats;
import dev.quorum.request.RequestStore;
import dev.quorum.store.Redis;
import dev.quorum.testing.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The history's totals by requester, repository and environment come from the rollups every state-changing script
 * keeps (creation, transitions, votes through vote_tally, expiry, incidents, cost): over a seeded history driven
 * through those steps they equal the walk over the indexes, and after the one-time rebuild they still do.
 */
class HistoryTotalsRollupTest {
    private Redis redis;

    @BeforeEach
    void setUp() throws InterruptedException {
        redis = TestRedis.fresh();
        assertThat(Backfill.ifMissing(redis)).isZero(); // kept from the first request on
    }

    @AfterEach
    void tearDown() {
        redis.close();
    }

    @Test
    void theRollupsOfEveryRequesterAndEnvironmentAreWhatTheIndexesHold() throws Exception {
        SeededHistory.seed(redis, 500, 11);
        RequestStore store = new RequestStore(redis);
        List<RequestQuery> queries = queries();
        List<RequestStats> rolled = new ArrayList<>();
        for (RequestQuery q : queries) rolled.add(store.stats(q));
        assertThat(rolled).anySatisfy(st -> assertThat(st.costUsd()).isPositive());
        assertThat(rolled).allSatisfy(st -> assertThat(st.byState().values()).allSatisfy(n -> assertThat(n).isPositive()));

        // the same questions with the rollups set aside: the walk over the indexes answers
        redis.sync().del(Rollup.VERSION);
        for (int i = 0; i < queries.size(); i++) assertThat(store.stats(queries.get(i))).as("%s", queries.get(i)).isEqualTo(rolled.get(i));

        // rebuilt from the requests, as an upgraded store's are: the same again
        assertThat(Backfill.ifMissing(redis)).isEqualTo(500);
        for (int i = 0; i < queries.size(); i++) assertThat(store.stats(queries.get(i))).as("rebuilt: %s", queries.get(i)).isEqualTo(rolled.get(i));
    }

    @Test
    void aVersionOneStoreGetsItsTotalsBySliceOnceAndKeepsEverythingElse() throws Exception {
        SeededHistory.seed(redis, 300, 5);
        java.util.Map<String, java.util.Map<String, String>> kept = dayHashes();
        asVersionOne();
        assertThat(redis.sync().hget(RequestStore.key("R1"), "state")).isNotNull();

        assertThat(Backfill.addSlices(redis)).isEqualTo(300);
        assertThat(Backfill.addSlices(redis)).as("cut off and run again: nothing twice").isZero();
        redis.sync().del("{q}:roll:slices-at");
        asVersionOne();
        assertThat(Backfill.ifMissing(redis)).isEqualTo(300);

        java.util.Map<String, java.util.Map<String, String>> now = dayHashes();
        assertThat(now.keySet()).isEqualTo(kept.keySet());
        for (String day : kept.keySet()) {
            assertThat(now.get(day).keySet()).as(day).isEqualTo(kept.get(day).keySet());
            kept.get(day).forEach((field, value) -> {
                if (field.startsWith("c")) { // sums of costs: the same to a billionth, whatever order they were added in
                    assertThat(new java.math.BigDecimal(now.get(day).get(field))).as(day + " " + field)
                            .isCloseTo(new java.math.BigDecimal(value), org.assertj.core.data.Offset.offset(new java.math.BigDecimal("1e-9")));
                } else {
                    assertThat(now.get(day).get(field)).as(day + " " + field).isEqualTo(value);
                }
            });
        }
        assertThat(redis.sync().get(Rollup.VERSION)).isEqualTo(Rollup.CURRENT);
        assertThat(redis.sync().exists("{q}:roll:slices-at")).isZero();
    }

    /** The store as version 1 left it: no slices hashes (the totals by requester, repository, environment), no inputs' copies. */
    private void asVersionOne() {
        for (String key : redis.sync().keys(Rollup.SLICES + "*")) redis.sync().del(key);
        for (String id : redis.sync().zrange("{q}:idx:time", 0, -1)) redis.sync().hdel(RequestStore.key(id), "in_repo", "in_environment");
        redis.sync().set(Rollup.VERSION, "1");
    }

    private java.util.Map<String, java.util.Map<String, String>> dayHashes() {
        java.util.Map<String, java.util.Map<String, String>> out = new java.util.TreeMap<>();
        List<String> keys = new ArrayList<>(redis.sync().keys(Rollup.DAY + "*"));
        keys.addAll(redis.sync().keys(Rollup.SLICES + "*"));
        for (String key : keys) {
            java.util.Map<String, String> h = new java.util.TreeMap<>(redis.sync().hgetall(key));
            h.values().removeIf("0"::equals); // a count that went up and down again is none: the step to 2 writes no zeros
            out.put(key, h);
        }
        return out;
    }

    private static List<RequestQuery> queries() {
        Instant day3 = SeededHistory.FIRST_DAY.plusDays(3).atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant day7 = SeededHistory.FIRST_DAY.plusDays(7).atStartOfDay(ZoneOffset.UTC).toInstant();
        List<RequestQuery> out = new ArrayList<>();
        for (String who : SeededHistory.REQUESTERS) {
            out.add(query(Set.of(Identity.parse(who)), null, null, null));
            out.add(query(Set.of(Identity.parse(who)), null, day3, day7));
        }
        out.add(query(Set.of(Identity.console("bob"), Identity.parse("slack:UBOB")), null, null, null)); // one person on two platforms
        for (String env : SeededHistory.ENVS) {
            out.add(query(null, env, null, null));
            out.add(query(null, env, day3, null));
        }
        return out;
    }

    private static RequestQuery query(Set<Identity> user, String env, Instant since, Instant until) {
        return new RequestQuery(null, null, user, null, null, env, since, until, null, null, null, 50);
    }
}
