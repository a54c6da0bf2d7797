package dev.quorum.insights;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quorum.store.Redis;
import dev.quorum.testing.QuorumHarness;
import dev.quorum.testing.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** GET /api/insights on a running Quorum over a seeded history: the brute-force figures, for a manager and for anyone else. */
class InsightsApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path data;
    private QuorumHarness q;
    private Redis redis;
    private SeededHistory history;

    @BeforeEach
    void start() throws Exception {
        TestRedis.flush();
        q = QuorumHarness.start(data, SeededHistory.quorumConfig(), Map.of(), Clock.systemUTC());
        redis = Redis.connect(TestRedis.uri());
        history = SeededHistory.seed(redis, 300, 21);
    }

    @AfterEach
    void stop() {
        redis.close();
        q.close();
    }

    private static JsonNode tree(Object o) throws Exception {
        return JSON.readTree(JSON.writeValueAsString(o)); // numbers as the API's JSON has them
    }

    @Test
    void theFiguresAreTheBruteForceOnesAndCostPerPersonFollowsTheRole() throws Exception {
        String range = "?since=" + SeededHistory.FIRST_DAY + "&until=" + SeededHistory.FIRST_DAY.plusDays(SeededHistory.DAYS - 1);
        Insights.Range r = new Insights.Range(SeededHistory.FIRST_DAY, SeededHistory.FIRST_DAY.plusDays(SeededHistory.DAYS - 1));
        var alice = q.get("/api/insights" + range, Map.of("X-Quorum-User", "alice"));
        assertThat(alice.status()).isEqualTo(200);
        assertThat(alice.json()).isEqualTo(tree(Expected.report(history, r, new Insights.Viewer("console:alice", true), SeededHistory.directory())));
        assertThat(alice.json().get("cost_usd_by_person").size()).isGreaterThan(1);
        var bob = q.get("/api/insights" + range, Map.of("X-Quorum-User", "bob"));
        assertThat(bob.json()).isEqualTo(tree(Expected.report(history, r, new Insights.Viewer("person:bob", false), SeededHistory.directory())));
        assertThat(bob.json().get("cost_usd_by_person")).extracting(n -> n.get("person").asText()).containsExactly("person:bob");
        // SPEC §7's fields, as clients rely on them
        for (String f : new String[]{"requests_per_day", "approval_wait_ms", "cost_usd_per_day", "deploys_per_day", "claim_vs_evidence"}) {
            assertThat(alice.json().has(f)).as(f).isTrue();
        }
        assertThat(alice.json().get("requests_per_day").get(0).properties()).extracting(Map.Entry::getKey)
                .containsExactly("day", "type", "state", "count");
        assertThat(alice.json().get("approval_wait_ms").has("p50") && alice.json().get("approval_wait_ms").has("p90")).isTrue();
        assertThat(alice.json().get("claim_vs_evidence").has("runs") && alice.json().get("claim_vs_evidence").has("claimed_pass_but_failed")).isTrue();
    }

    @Test
    void withoutARangeItIsTheLastThirtyDays() throws Exception {
        var res = q.get("/api/insights", Map.of("X-Quorum-User", "carol"));
        assertThat(res.status()).isEqualTo(200);
        assertThat(res.json().get("cost_usd_per_day").size()).isEqualTo(30);
        assertThat(res.json().get("until").asText()).isEqualTo(java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString());
    }
}
