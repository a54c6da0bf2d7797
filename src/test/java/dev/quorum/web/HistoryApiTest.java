package dev.quorum.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quorum.chat.console.ConsoleAdapter;
import dev.quorum.conversation.Identity;
import dev.quorum.conversation.IncomingMessage;
import dev.quorum.request.HistorySeed;
import dev.quorum.request.HistorySeed.Row;
import dev.quorum.request.Request;
import dev.quorum.request.RequestState;
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
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * GET /api/requests's filters, each and combined, and GET /api/requests.csv against a seeded history of 240 requests
 * on a real Redis: every answer, read page by page through {@code next}, is exactly the seeded rows the filter
 * selects, in the order asked for.
 */
class HistoryApiTest {
    private static final int SEEDED = 240;
    @TempDir
    static Path data;
    private static QuorumHarness q;
    private static List<Row> rows;

    @BeforeAll
    static void seed() throws Exception {
        TestRedis.flush();
        q = QuorumHarness.start(data);
        rows = HistorySeed.viaStore(q.quorum().redis(), q.quorum().requests().store(), SEEDED);
    }

    @AfterAll
    static void stop() {
        if (q != null) q.close();
    }

    @Test
    void eachFilterAnswersExactlyItsRowsNewestFirstOverEveryPage() throws Exception {
        expect("state=done", r -> r.state() == RequestState.DONE);
        expect("type=merge", r -> r.type() == RequestType.MERGE);
        expect("user=bob", r -> r.requester().equals(Identity.console("bob")));
        expect("requester=console:bob", r -> r.requester().equals(Identity.console("bob")));
        expect("approver=carol", r -> r.approvers().contains(Identity.console("carol")));
        expect("repo=acme/web", r -> "acme/web".equals(r.repo()));
        expect("environment=production", r -> "production".equals(r.environment()));
        Instant since = HistorySeed.T0.plus(1, ChronoUnit.DAYS);
        Instant until = HistorySeed.T0.plus(3, ChronoUnit.DAYS);
        expect("since=2026-11-02", r -> !r.created().isBefore(since));
        expect("until=2026-11-02", r -> r.created().isBefore(HistorySeed.T0.plus(2, ChronoUnit.DAYS)));
        expect("since=2026-11-02T00:00:00Z&until=2026-11-04T00:00:00Z", r -> !r.created().isBefore(since) && r.created().isBefore(until));
        expect("q=FLAKY%20login", r -> r.text().contains("flaky Login"));
        expect("q=R17", r -> r.id().startsWith("R17"));
    }

    @Test
    void filtersCombineAsAnd() throws Exception {
        expect("type=deploy&environment=production&approver=alice", r -> r.type() == RequestType.DEPLOY && "production".equals(r.environment())
                && r.approvers().contains(Identity.console("alice")));
        expect("repo=acme/api&state=failed&user=carol", r -> "acme/api".equals(r.repo()) && r.state() == RequestState.FAILED
                && r.requester().equals(Identity.console("carol")));
        expect("type=code&since=2026-11-02&until=2026-11-04", r -> r.type() == RequestType.CODE
                && !r.created().isBefore(HistorySeed.T0.plus(1, ChronoUnit.DAYS)) && r.created().isBefore(HistorySeed.T0.plus(4, ChronoUnit.DAYS)));
        expect("q=flaky&repo=acme/web&type=merge", r -> r.text().contains("flaky") && "acme/web".equals(r.repo()) && r.type() == RequestType.MERGE);
        expect("approver=bob&approver=bob&state=done&user=alice", r -> r.approvers().contains(Identity.console("bob"))
                && r.state() == RequestState.DONE && r.requester().equals(Identity.console("alice")));
        assertThat(pages("type=research&repo=acme/web", 7)).isEmpty(); // research has no repository
    }

    @Test
    void sortsByCreationOrUpdateEitherWay() throws Exception {
        Comparator<Row> created = Comparator.comparingLong(Row::number);
        Comparator<Row> updated = Comparator.comparing(Row::updated).thenComparing(Row::id); // equal times: by id, as Redis orders members
        assertThat(pages("sort=created&order=asc", 9)).containsExactlyElementsOf(ids(r -> true, created));
        assertThat(pages("sort=updated", 9)).containsExactlyElementsOf(ids(r -> true, updated.reversed()));
        assertThat(pages("sort=updated&order=asc&type=merge", 4)).containsExactlyElementsOf(ids(r -> r.type() == RequestType.MERGE, updated));
        assertThat(pages("sort=updated&order=desc&approver=dave&since=2026-11-03", 3)).containsExactlyElementsOf(ids(
                r -> r.approvers().contains(Identity.console("dave")) && !r.created().isBefore(HistorySeed.T0.plus(2, ChronoUnit.DAYS)),
                updated.reversed()));
        // the order by update is not the order by creation, or the test above proves nothing
        assertThat(ids(r -> true, updated)).isNotEqualTo(ids(r -> true, created));
    }

    @Test
    void theCsvHasTheApisRowsForTheSameFiltersAllPages() throws Exception {
        for (String filter : List.of("", "type=merge&state=done", "repo=acme/web&sort=updated&order=asc", "q=flaky", "approver=carol&limit=3",
                "environment=staging&since=2026-11-03")) {
            List<JsonNode> api = apiRows(filter);
            HttpResponse<String> res = csv(filter);
            assertThat(res.statusCode()).isEqualTo(200);
            assertThat(res.headers().firstValue("content-type")).hasValue("text/csv; charset=utf-8");
            List<List<String>> csv = CsvRows.parse(res.body());
            assertThat(csv.getFirst()).containsExactlyElementsOf(HistoryCsv.COLUMNS);
            assertThat(csv.getFirst().subList(0, 4)).containsExactly("id", "type", "state", "requester");
            List<List<String>> body = csv.subList(1, csv.size());
            assertThat(body).as(filter).hasSameSizeAs(api);
            for (int i = 0; i < api.size(); i++) {
                JsonNode a = api.get(i);
                assertThat(body.get(i).subList(0, 8)).as(filter).containsExactly(a.path("id").asText(), a.path("type").asText(),
                        a.path("state").asText(), a.path("requester").asText(), a.path("requester_name").asText(),
                        a.path("created_at").asText(), a.path("updated_at").asText(), a.path("text").asText());
            }
        }
        assertThat(CsvRows.parse(csv("").body())).hasSize(SEEDED + 1); // every page, not the first 50
    }

    @Test
    void badFiltersAre400sNamingTheFilter() throws Exception {
        assertThat(error("sort=cost")).isEqualTo("sort must be created or updated");
        assertThat(error("order=up")).isEqualTo("order must be asc or desc");
        assertThat(error("until=tomorrow")).isEqualTo("until must be an ISO date (2026-11-26) or instant (2026-11-26T10:00:00Z)");
        assertThat(error("approver=*")).isEqualTo("approver must be an identity such as console:alice or slack:U024BE7LH, or a person's name");
        assertThat(error("user=alice&requester=bob")).isEqualTo("user and requester name the same filter; give one of them");
        assertThat(error("environment=prod%20uction")).isEqualTo("environment must be a name such as production");
        assertThat(csv("repo=..%2F%0A").statusCode()).isEqualTo(400);
    }

    private static String error(String filter) throws Exception {
        QuorumHarness.Response res = q.get("/api/requests?" + filter);
        assertThat(res.status()).as(filter).isEqualTo(400);
        return res.json().path("error").asText();
    }

    /** The API's answer read page by page, checked against the seeded rows newest first, with a page size that splits it. */
    private static void expect(String filter, Predicate<Row> which) throws Exception {
        List<String> want = ids(which, Comparator.comparingLong(Row::number).reversed());
        assertThat(want).as(filter + " selects some of the seeded rows, not all").isNotEmpty().hasSizeLessThan(SEEDED);
        assertThat(pages(filter, 7)).as(filter).containsExactlyElementsOf(want);
        assertThat(pages(filter, 200)).as(filter).containsExactlyElementsOf(want);
    }

    private static List<String> ids(Predicate<Row> which, Comparator<Row> order) {
        return rows.stream().filter(which).sorted(order).map(Row::id).toList();
    }

    static List<String> pages(String filter, int limit) throws Exception {
        return pages(q, filter, limit);
    }

    /** The ids of every page of a filter on {@code q}, in the API's order. */
    static List<String> pages(QuorumHarness q, String filter, int limit) throws Exception {
        List<String> out = new ArrayList<>();
        for (JsonNode r : apiRows(q, filter + "&limit=" + limit)) out.add(r.path("id").asText());
        return out;
    }

    static List<JsonNode> apiRows(String filter) throws Exception {
        return apiRows(q, filter);
    }

    /** Every page's rows; each page is at most its limit and the last one says there is no next. */
    static List<JsonNode> apiRows(QuorumHarness q, String filter) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        String next = null;
        for (int page = 0; page < 1000; page++) {
            JsonNode body = q.get("/api/requests?" + filter + (next == null ? "" : "&cursor=" + next)).json();
            body.path("requests").forEach(out::add);
            if (body.path("next").isNull()) return out;
            next = body.path("next").asText();
        }
        throw new AssertionError("no last page for " + filter);
    }

    private static HttpResponse<String> csv(String filter) throws Exception {
        return q.http().send(HttpRequest.newBuilder(URI.create(q.url("/api/requests.csv?" + filter))).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
