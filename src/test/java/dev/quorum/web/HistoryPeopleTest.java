package dev.quorum.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quorum.chat.console.ConsoleAdapter;
import dev.quorum.conversation.Identity;
import dev.quorum.insights.SeededHistory;
import dev.quorum.request.HistorySeed;
import dev.quorum.request.Request;
import dev.quorum.request.RequestStore;
import dev.quorum.request.RequestType;
import dev.quorum.testing.QuorumHarness;
import dev.quorum.testing.TestRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The history's person filters mean a person on every platform (people: links bob's console and Slack identities):
 * {@code user} and {@code approver} by bare name or by either identity find what bob asked for or approved from
 * both, newest first across pages, and the totals, the CSV and the inbox agree.
 */
class HistoryPeopleTest {
    private static final Identity SLACK_BOB = Identity.parse("slack:UBOB");
    private static final Set<Identity> BOB = Set.of(Identity.console("bob"), SLACK_BOB);
    @TempDir
    static Path data;
    private static QuorumHarness q;
    /** Every seeded request by number: its requester and its approvers. */
    private static final Map<Long, Row> ROWS = new LinkedHashMap<>();

    record Row(String id, long number, Identity requester, List<Identity> approvers) {}

    @BeforeAll
    static void seed() throws Exception {
        TestRedis.flush();
        q = QuorumHarness.start(data, SeededHistory.quorumConfig(), Map.of(), Clock.systemUTC());
        var redis = q.quorum().redis();
        RequestStore store = q.quorum().requests().store();
        for (HistorySeed.Row r : HistorySeed.viaStore(redis, store, 80)) ROWS.put(r.number(), new Row(r.id(), r.number(), r.requester(), r.approvers()));
        // bob from Slack too: requests he asked for there, and approvals he gave there (a person votes once: only where
        // his console identity did not approve)
        for (int i = 0; i < 12; i++) {
            Request r = store.create(RequestType.TEST, SLACK_BOB, "bob", ConsoleAdapter.ROOM, "test from slack " + i, null,
                    HistorySeed.T0.plus(Duration.ofDays(3)).plusSeconds(i));
            ROWS.put(r.number(), new Row(r.id(), r.number(), SLACK_BOB, List.of()));
        }
        for (Row r : List.copyOf(ROWS.values())) {
            if (r.number() % 4 == 1 && !r.approvers().contains(Identity.console("bob")) && r.number() <= 80) {
                redis.sync().zadd(RequestStore.approverIndex(SLACK_BOB), r.number(), r.id()); // as vote_tally writes it
                List<Identity> all = new ArrayList<>(r.approvers());
                all.add(SLACK_BOB);
                ROWS.put(r.number(), new Row(r.id(), r.number(), r.requester(), all));
            }
        }
    }

    @AfterAll
    static void stop() {
        if (q != null) q.close();
    }

    @Test
    void aRequesterIsAPersonOnEveryPlatformByNameOrByEitherIdentity() throws Exception {
        List<String> want = ids(r -> BOB.contains(r.requester()));
        assertThat(want).anyMatch(id -> ROWS.values().stream().anyMatch(r -> r.id().equals(id) && r.requester().equals(SLACK_BOB)))
                .anyMatch(id -> ROWS.values().stream().anyMatch(r -> r.id().equals(id) && r.requester().equals(Identity.console("bob"))));
        for (String who : List.of("bob", "console:bob", "slack:UBOB")) {
            assertThat(HistoryApiTest.pages(q, "user=" + who, 4)).as(who).containsExactlyElementsOf(want);
            assertThat(HistoryApiTest.pages(q, "requester=" + who + "&order=asc", 5)).as(who).containsExactlyElementsOf(want.reversed());
            assertThat(q.get("/api/requests/stats?user=" + who).json().path("count").asLong()).isEqualTo(want.size());
        }
        // Someone linked to nobody is only themself
        assertThat(HistoryApiTest.pages(q, "user=alice", 50)).containsExactlyElementsOf(ids(r -> r.requester().equals(Identity.console("alice"))));
    }

    @Test
    void anApproverIsAPersonToo() throws Exception {
        List<String> want = ids(r -> r.approvers().stream().anyMatch(BOB::contains));
        assertThat(want).hasSizeGreaterThan(ids(r -> r.approvers().contains(Identity.console("bob"))).size());
        for (String who : List.of("bob", "slack:UBOB")) {
            assertThat(HistoryApiTest.pages(q, "approver=" + who, 3)).as(who).containsExactlyElementsOf(want);
            assertThat(q.get("/api/requests/stats?approver=" + who).json().path("count").asLong()).isEqualTo(want.size());
        }
        List<String> deploys = ids(r -> r.approvers().stream().anyMatch(BOB::contains) && HistorySeed.row(r.number()).type() == RequestType.DEPLOY);
        assertThat(deploys).isNotEmpty();
        assertThat(HistoryApiTest.pages(q, "approver=bob&type=deploy", 2)).containsExactlyElementsOf(deploys);
        assertThat(HistoryApiTest.pages(q, "type=deploy&approver=bob&sort=updated", 200)).containsExactlyInAnyOrderElementsOf(deploys);
        HttpResponse<String> csv = q.http().send(HttpRequest.newBuilder(URI.create(q.url("/api/requests.csv?approver=bob"))).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(CsvRows.parse(csv.body()).stream().skip(1).map(row -> row.getFirst()).toList()).containsExactlyElementsOf(want);
    }

    @Test
    void theInboxShowsWhatThePersonAskedForFromAnyPlatform() throws Exception {
        JsonNode inbox = q.get("/api/inbox", Map.of("X-Quorum-User", "bob")).json();
        List<String> mine = new ArrayList<>();
        inbox.path("mine").forEach(n -> mine.add(n.path("id").asText()));
        assertThat(mine).isNotEmpty().containsExactlyElementsOf(ids(r -> BOB.contains(r.requester())).stream().limit(mine.size()).toList());
        assertThat(mine).anyMatch(id -> ROWS.values().stream().anyMatch(r -> r.id().equals(id) && r.requester().equals(SLACK_BOB)));
    }

    private static List<String> ids(java.util.function.Predicate<Row> which) {
        return ROWS.values().stream().filter(which).sorted(Comparator.comparingLong(Row::number).reversed()).map(Row::id).toList();
    }
}
