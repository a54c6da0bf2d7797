package dev.quorum.insights;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quorum.config.Directory;
import dev.quorum.store.Redis;
import dev.quorum.testing.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Each figure of the rollups against a brute-force count over the same seeded history, on real Redis. */
class InsightsRollupTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private Redis redis;
    private final Directory directory = SeededHistory.directory();

    @BeforeEach
    void setUp() {
        redis = TestRedis.fresh();
    }

    @AfterEach
    void tearDown() {
        redis.close();
    }

    private static Insights.Range range(LocalDate since, LocalDate until) {
        return new Insights.Range(since, until);
    }

    private void sameAsBruteForce(SeededHistory h, Insights.Range range, Insights.Viewer viewer) {
        JsonNode got = JSON.valueToTree(new Insights(redis, directory).report(range, viewer));
        JsonNode want = JSON.valueToTree(Expected.report(h, range, viewer, directory));
        for (var it = want.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            assertThat(got.get(f)).as(f).isEqualTo(want.get(f));
        }
        assertThat(got).isEqualTo(want);
    }

    @Test
    void everyFigureOfTheWholeHistoryIsTheBruteForceCount() {
        SeededHistory h = SeededHistory.seed(redis, 400, 7);
        Insights.Range all = range(SeededHistory.FIRST_DAY, SeededHistory.FIRST_DAY.plusDays(SeededHistory.DAYS - 1));
        sameAsBruteForce(h, all, new Insights.Viewer("person:nobody", true));
        // the history has something in every figure, or the comparison would prove little
        JsonNode got = JSON.valueToTree(new Insights(redis, directory).report(all, new Insights.Viewer("x", true)));
        assertThat(got.get("claim_vs_evidence").get("claimed_pass_but_failed").asLong()).isPositive();
        assertThat(got.get("change_failure").get("restored").asLong()).isPositive();
        assertThat(got.get("approval_wait_by_policy").size()).isEqualTo(3);
        assertThat(got.get("budget_stops").size()).isEqualTo(2);
        for (String stage : Insights.STAGES) assertThat(got.get("lead_time_ms").get(stage).get("count").asLong()).as(stage).isPositive();
        assertThat(got.get("outcome_rates").get("veto").get("count").asLong()).isPositive();
        assertThat(got.get("outcome_rates").get("expiry").get("count").asLong()).isPositive();
        assertThat(got.get("outcome_rates").get("stale").get("count").asLong()).isPositive();
    }

    @Test
    void aRangeCountsOnlyTheRequestsAskedInIt() {
        SeededHistory h = SeededHistory.seed(redis, 300, 11);
        sameAsBruteForce(h, range(SeededHistory.FIRST_DAY.plusDays(3), SeededHistory.FIRST_DAY.plusDays(5)), new Insights.Viewer("x", true));
        sameAsBruteForce(h, range(SeededHistory.FIRST_DAY.minusDays(40), SeededHistory.FIRST_DAY.minusDays(1)), new Insights.Viewer("x", true));
    }

    @Test
    void someoneWhoIsNoManagerSeesTheirOwnCostOnly() {
        SeededHistory h = SeededHistory.seed(redis, 200, 3);
        Insights.Range all = range(SeededHistory.FIRST_DAY, SeededHistory.FIRST_DAY.plusDays(SeededHistory.DAYS - 1));
        Insights.Viewer bob = new Insights.Viewer("person:bob", false);
        sameAsBruteForce(h, all, bob);
        JsonNode got = JSON.valueToTree(new Insights(redis, directory).report(all, bob));
        assertThat(got.get("cost_usd_by_person").size()).isEqualTo(1);
        assertThat(got.get("cost_usd_by_person").get(0).get("person").asText()).isEqualTo("person:bob"); // console:bob and slack:UBOB
        assertThat(got.get("cost_usd_by_person_scope").asText()).isEqualTo("yours");
    }

    @Test
    void theBackfillRebuildsWhatTheStepsKept() throws Exception {
        SeededHistory h = SeededHistory.seed(redis, 300, 5);
        Insights.Range all = range(SeededHistory.FIRST_DAY, SeededHistory.FIRST_DAY.plusDays(SeededHistory.DAYS - 1));
        Map<String, Object> kept = new Insights(redis, directory).report(all, new Insights.Viewer("x", true));
        // an older store: no rollups and no version key (the open incidents are kept by `incident`, not rebuilt)
        for (String key : redis.sync().keys(Rollup.DAY + "*")) redis.sync().del(key);
        redis.sync().del(Rollup.VERSION);
        assertThat(Backfill.ifMissing(redis)).isEqualTo(300);
        assertThat(redis.sync().get(Rollup.VERSION)).isEqualTo(Rollup.CURRENT);
        Map<String, Object> rebuilt = new Insights(redis, directory).report(all, new Insights.Viewer("x", true));
        JsonNode want = JSON.valueToTree(kept);
        JsonNode got = JSON.valueToTree(rebuilt);
        // time to restore is a sequence of events, which the requests alone do not keep: everything else is rebuilt
        ((com.fasterxml.jackson.databind.node.ObjectNode) want).remove("change_failure");
        ((com.fasterxml.jackson.databind.node.ObjectNode) got).remove("change_failure");
        assertThat(got).isEqualTo(want);
        assertThat(Backfill.ifMissing(redis)).isZero(); // once
    }

    @Test
    void theBucketsAreTheLuaOnes() {
        // Buckets.of mirrors roll_bucket: check them against each other on Redis itself
        var script = dev.quorum.store.LuaScript.load("rollup_bucket_probe", Rollup.LIBRARY);
        for (long ms : new long[]{0, 1, 2, 3, 7, 8, 9, 15, 16, 17, 1000, 1023, 1024, 1025, 86_400_000L, 3_600_123L, 999_999_999_999L}) {
            Long lua = script.run(redis.sync(), io.lettuce.core.ScriptOutputType.INTEGER, new String[0], String.valueOf(ms));
            assertThat(lua).as("bucket of %d", ms).isEqualTo((long) Buckets.of(ms));
            if (ms > 0) assertThat(Buckets.floor(Buckets.of(ms))).isLessThanOrEqualTo(ms).isGreaterThan(ms * 7 / 8 - 1);
        }
    }
}
