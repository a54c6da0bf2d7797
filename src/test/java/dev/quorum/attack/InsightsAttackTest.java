package dev.quorum.attack;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quorum.audit.AuditEntry;
import dev.quorum.insights.SeededHistory;
import dev.quorum.request.RequestState;
import dev.quorum.request.RequestStore;
import dev.quorum.store.Redis;
import dev.quorum.testing.QuorumHarness;
import dev.quorum.testing.SseClient;
import dev.quorum.testing.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Attacks on the insights: reading others' cost without the manager role, marking a deploy as failed without being
 * on-call, hostile and huge ranges (each a 400 with its reason, never a 500 or a year-long scan), and no caller at all.
 */
class InsightsAttackTest {
    @TempDir
    Path data;
    private QuorumHarness q;
    private Redis redis;

    @BeforeEach
    void start() throws Exception {
        TestRedis.flush();
        q = QuorumHarness.start(data, SeededHistory.quorumConfig(), Map.of(), Clock.systemUTC());
        redis = Redis.connect(TestRedis.uri());
        SeededHistory.seed(redis, 200, 9);
    }

    @AfterEach
    void stop() {
        redis.close();
        q.close();
    }

    private static final String RANGE = "?since=" + SeededHistory.FIRST_DAY + "&until=" + SeededHistory.FIRST_DAY.plusDays(9);

    @Test
    void someoneWithoutTheManagerRoleSeesOnlyTheirOwnCostHoweverTheyAsk() throws Exception {
        JsonNode manager = q.get("/api/insights" + RANGE, Map.of("X-Quorum-User", "alice")).json();
        assertThat(manager.get("cost_usd_by_person")).extracting(n -> n.get("person").asText())
                .contains("console:alice", "console:carol", "person:bob");
        for (String query : new String[]{RANGE, RANGE + "&person=console:alice", RANGE + "&scope=everyone", RANGE + "&manager=true"}) {
            JsonNode carol = q.get("/api/insights" + query, Map.of("X-Quorum-User", "carol")).json();
            assertThat(carol.get("cost_usd_by_person")).as(query).extracting(n -> n.get("person").asText()).containsExactly("console:carol");
            assertThat(carol.get("cost_usd_by_person_scope").asText()).isEqualTo("yours");
        }
        // dave asked for no agent work: he sees no one's
        assertThat(q.get("/api/insights" + RANGE, Map.of("X-Quorum-User", "dave")).json().get("cost_usd_by_person")).isEmpty();
        // a name that is no console user is no caller
        assertThat(q.get("/api/insights" + RANGE, Map.of("X-Quorum-User", "mallory")).status()).isEqualTo(401);
        assertThat(q.get("/api/insights" + RANGE).status()).isEqualTo(401);
    }

    @Test
    void onlyOnCallMarksADeployAsFailedAndOnlyAFinishedDeploy() throws Exception {
        String deploy = doneDeploy();
        try (SseClient bob = q.events("bob"); SseClient dave = q.events("dave")) {
            assertThat(q.say("bob", "incident " + deploy + " checkout is down").status()).isEqualTo(202);
            SseClient.Event refused = bob.awaitReply("Only on-call");
            assertThat(refused.text()).isEqualTo("Only on-call (group `oncall`) can mark a deploy as failed.");
            assertThat(refused.data().get("to").asText()).isEqualTo("bob");
            assertThat(redis.sync().hget(RequestStore.key(deploy), "incident_at")).isNull();
            assertThat(audited()).isZero();

            String notDeploy = redis.sync().zrange(RequestStore.stateIndex(RequestState.SUCCEEDED), 0, 0).getFirst();
            assertThat(q.say("dave", "incident " + notDeploy + " nope").status()).isEqualTo(202);
            assertThat(dave.awaitReply(notDeploy + " is a").text()).endsWith("not a deploy: only a deploy can be marked as failed.");

            assertThat(q.say("dave", "incident " + deploy + " checkout <b>is</b> down").status()).isEqualTo(202);
            SseClient.Event marked = dave.awaitReply("is marked as failed");
            assertThat(marked.text()).startsWith(deploy + " (deploy to ").contains("checkout <b>is</b> down", "The next successful deploy to ");
            assertThat(redis.sync().hget(RequestStore.key(deploy), "incident_by")).isEqualTo("console:dave");
            assertThat(audited()).isEqualTo(1);
            // twice is once
            assertThat(q.say("dave", "incident " + deploy + " again").status()).isEqualTo(202);
            assertThat(dave.awaitReply("already marked").text()).isEqualTo(deploy + " is already marked as failed.");
            assertThat(audited()).isEqualTo(1);
        }
    }

    private long audited() {
        return q.quorum().audit().latest(1000).stream().map(AuditEntry::type).filter("deploy.incident"::equals).count();
    }

    private String doneDeploy() {
        for (String id : redis.sync().zrange(RequestStore.stateIndex(RequestState.DONE), 0, -1)) {
            Map<String, String> h = redis.sync().hgetall(RequestStore.key(id));
            if (h.get("type").equals("deploy") && !h.containsKey("incident_at")) return id;
        }
        throw new AssertionError("the seeded history has no deploy without an incident");
    }

    @Test
    void hostileDatesAreA400WithTheirReason() throws Exception {
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("since=2026-13-01", "since must be a date such as 2026-12-01");
        cases.put("since=2026-02-30", "since must be a date such as 2026-12-01");
        cases.put("until=tomorrow", "until must be a date such as 2026-12-01");
        cases.put("since=" + enc("2026-11-01' OR 1=1 --"), "since must be a date such as 2026-12-01");
        cases.put("since=" + enc("+999999999-01-01"), "since must be a date such as 2026-12-01");
        cases.put("since=-0001-01-01", "since must be a date such as 2026-12-01");
        cases.put("since=0001-01-01", "since must be a date such as 2026-12-01");
        cases.put("since=2026-11-01T00:00:00Z", "since must be a date such as 2026-12-01");
        cases.put("since=" + "9".repeat(5000), "since must be a date such as 2026-12-01");
        cases.put("since=" + enc("２０２６-11-01"), "since must be a date such as 2026-12-01");
        cases.put("since=2026-11-10&until=2026-11-01", "since must not be after until");
        cases.put("since=2026-11-01&since=2026-11-02", "since is given more than once");
        // a huge range is refused, not read day by day
        cases.put("since=2000-01-01&until=2026-12-01", "a range is at most 366 days; ask for a shorter one");
        cases.put("since=2025-01-01&until=2025-12-31&until=9999-12-31", "until is given more than once");
        for (var c : cases.entrySet()) {
            var res = q.get("/api/insights?" + c.getKey(), Map.of("X-Quorum-User", "alice"));
            assertThat(res.status()).as(c.getKey()).isEqualTo(400);
            assertThat(res.json().get("error").asText()).as(c.getKey()).isEqualTo(c.getValue());
        }
        // the longest range allowed: a year and a day's worth of day hashes, answered
        var year = q.get("/api/insights?since=2025-12-01&until=2026-12-01", Map.of("X-Quorum-User", "alice"));
        assertThat(year.status()).isEqualTo(200);
        assertThat(year.json().get("cost_usd_per_day").size()).isEqualTo(366);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
