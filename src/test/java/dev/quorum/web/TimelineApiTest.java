package dev.quorum.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quorum.testing.QuorumHarness;
import dev.quorum.testing.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A request's {@code timeline} and {@code links} on {@code GET /api/requests/{id}} through a real merge of
 * {@link ShellRepo} (Quorum's test run, a vote, the merge), and the audit search on {@code GET /api/audit} with its
 * cursor, and {@code /api/audit/anchors}.
 */
class TimelineApiTest {
    @TempDir
    Path dir;
    private ShellRepo app;
    private QuorumHarness q;

    @BeforeEach
    void setUp() throws Exception {
        TestRedis.flush();
        app = ShellRepo.start(dir, true);
        q = app.quorum();
    }

    @AfterEach
    void tearDown() {
        app.close();
    }

    @Test
    void aMergesTimelineTellsEachStepOnceInOrderWithWhoAndWhichPlatform() throws Exception {
        app.branch("feature/mul", Map.of("src/app.py", ShellRepo.APP + "\n\ndef mul(a, b):\n    return a * b\n"));
        String merge = q.ask("alice", "merge feature/mul");
        q.awaitState(merge, "awaiting_approval");
        assertThat(q.say("bob", "approve " + merge).status()).isEqualTo(202);
        q.awaitState(merge, "done");
        JsonNode r = q.get("/api/requests/" + merge).json();
        JsonNode timeline = r.get("timeline");

        List<String> story = new ArrayList<>();
        for (JsonNode e : timeline) {
            switch (e.get("kind").asText()) {
                case "created" -> story.add("created by " + e.get("actor").asText() + " on " + e.get("platform").asText());
                case "state" -> story.add(e.get("state").asText() + " by " + e.get("actor").asText());
                case "vote" -> story.add(e.get("vote").asText() + " by " + e.get("actor").asText() + " on " + e.get("platform").asText());
                default -> { }
            }
        }
        assertThat(story).containsExactly("created by console:alice on console", "verifying by quorum", "awaiting_approval by quorum",
                "approve by console:bob on console", "executing by quorum", "done by quorum");
        Instant last = Instant.EPOCH;
        for (JsonNode e : timeline) {
            Instant at = Instant.parse(e.get("at").asText()).truncatedTo(ChronoUnit.MILLIS); // a state change's step keeps milliseconds
            assertThat(at).as("in time order: %s", e).isAfterOrEqualTo(last);
            last = at;
        }
        JsonNode evidence = only(timeline, "evidence");
        assertThat(evidence.get("text").asText()).isEqualTo("passed: " + r.at("/evidence/tests/passed").asInt() + " passed, 0 failed, 0 skipped at "
                + r.at("/evidence/commit").asText().substring(0, 7));
        assertThat(only(timeline, "diff").get("text").asText()).isEqualTo(r.at("/tally/change").asText()).isEqualTo("1 file changed, +4 −0");
        // Every chain entry about the request is in the timeline once (a vote as the vote store has it).
        Set<String> fromChain = new HashSet<>();
        for (JsonNode e : timeline) if (e.has("audit_id")) assertThat(fromChain.add(e.get("audit_id").asText())).isTrue();
        Set<String> history = new HashSet<>();
        for (JsonNode h : r.get("history")) if (!h.get("type").asText().equals("vote")) history.add(h.get("id").asText());
        assertThat(fromChain).isEqualTo(history);
        // Asked in the console: its link is this page.
        assertThat(r.get("links")).hasSize(1);
        assertThat(r.at("/links/0/kind").asText()).isEqualTo("console");
        assertThat(r.at("/links/0/href").asText()).isEqualTo("#/requests/" + merge);
    }

    @Test
    void theAuditSearchNarrowsByRequestActorKindAndTextAndPagesBackWithItsCursor() throws Exception {
        String one = q.ask("alice", "test");
        q.awaitState(one, "succeeded");
        String two = q.ask("bob", "test");
        q.awaitState(two, "succeeded");

        JsonNode mine = search("request=" + one.toLowerCase());
        assertThat(mine.get("entries")).isNotEmpty().allSatisfy(e -> assertThat(e.get("request_id").asText()).isEqualTo(one));
        assertThat(mine.get("next").isNull()).isTrue();
        JsonNode states = search("request=" + one + "&kind=request.state");
        assertThat(states.get("entries")).extracting(e -> e.at("/data/to").asText()).containsExactly("succeeded", "running");
        JsonNode byKind = search("request=" + one + "&kind=REQUEST");
        assertThat(byKind.get("entries")).extracting(e -> e.get("type").asText()).containsOnly("request.state", "request.created");
        JsonNode bob = search("actor=console:BOB");
        assertThat(bob.get("entries")).isNotEmpty().allSatisfy(e -> assertThat(e.get("actor").asText()).isEqualTo("console:bob"));
        assertThat(bob.get("entries")).extracting(e -> e.get("request_id").asText()).contains(two).doesNotContain(one);
        JsonNode text = search("q=" + URLEncoder.encode("\"to\":\"running\"", StandardCharsets.UTF_8));
        assertThat(text.get("entries")).extracting(e -> e.get("request_id").asText()).containsExactly(two, one);

        // Paged two at a time, the pages are the whole answer, newest first, nothing twice.
        List<String> all = new ArrayList<>();
        mine.get("entries").forEach(e -> all.add(e.get("id").asText()));
        List<String> paged = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = search("request=" + one + "&limit=2" + (cursor == null ? "" : "&before=" + cursor));
            assertThat(page.get("entries").size()).isLessThanOrEqualTo(2);
            page.get("entries").forEach(e -> paged.add(e.get("id").asText()));
            cursor = page.get("next").isNull() ? null : page.get("next").asText();
        } while (cursor != null);
        assertThat(paged).isEqualTo(all);

        var bad = q.get("/api/audit?request=" + URLEncoder.encode("R1 OR 1", StandardCharsets.UTF_8));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("error").asText()).isEqualTo("request must be a request id such as R7");
        assertThat(q.get("/api/audit?q=x&after=1-0").json().get("error").asText())
                .isEqualTo("after pages forward through the whole chain; a search or before pages back from the newest");
        assertThat(q.get("/api/audit?before=soon").json().get("error").asText()).isEqualTo("before must be an entry id such as 1732617600000-0");

        JsonNode anchors = q.get("/api/audit/anchors").json();
        assertThat(anchors.get("present").asBoolean()).isTrue();
        assertThat(anchors.get("file").asText()).isEqualTo(dir.resolve("data").resolve("audit").resolve("anchors").toString());
        assertThat(anchors.get("anchors").asLong()).isPositive();
        JsonNode newest = q.get("/api/audit?limit=1").json().at("/entries/0");
        assertThat(anchors.get("latest_hash").asText()).isEqualTo(newest.get("hash").asText());
        assertThat(q.get("/api/audit/verify").json().get("ok").asBoolean()).isTrue();
    }

    private JsonNode search(String query) throws Exception {
        var res = q.get("/api/audit?" + query);
        assertThat(res.status()).as(res.json().toString()).isEqualTo(200);
        return res.json();
    }

    private static JsonNode only(JsonNode timeline, String kind) {
        List<JsonNode> found = new ArrayList<>();
        timeline.forEach(e -> {
            if (e.get("kind").asText().equals(kind)) found.add(e);
        });
        assertThat(found).as(kind + " entries").hasSize(1);
        return found.getFirst();
    }
}
