package dev.quorum.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quorum.evidence.EvidenceRecord;
import dev.quorum.testing.QuorumHarness;
import dev.quorum.testing.TestRedis;
import dev.quorum.testing.TestRepo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A request's record as people and programs read it ({@code GET /api/requests/{id}} and its
 * {@code /diff}), through real test runs, votes and deploys of {@link ShellRepo}: times are ISO-8601,
 * a deploy shows the evidence its votes bound to, terminal colours are gone, and the diff is the
 * change each kind of request is about.
 */
class RequestRecordApiTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    private ShellRepo app;
    private TestRepo repo;
    private QuorumHarness q;

    @BeforeEach
    void setUp() throws Exception {
        TestRedis.flush();
        app = ShellRepo.start(dir, true);
        repo = app.repo();
        q = app.quorum();
    }

    @AfterEach
    void tearDown() {
        app.close();
    }

    @Test
    void aDeployShowsItsEvidenceItsExecutionAsTimesAndItsFirstDeployAsEverythingNew() throws Exception {
        String main = repo.git().getRepository().resolve("main").name();
        String test = q.ask("alice", "test");
        awaitState(test, "succeeded");
        JsonNode tested = request(test).get("evidence");
        assertThat(tested.get("log_tail").asText()).contains("PASS app.CalcTest adds").doesNotContain(ShellRepo.ESC);

        String deploy = q.ask("alice", "deploy staging");
        awaitState(deploy, "awaiting_approval");
        JsonNode first = q.get("/api/requests/" + deploy + "/diff").json();
        assertThat(first.get("from").isNull()).isTrue();
        assertThat(first.get("to").get("sha").asText()).isEqualTo(main);
        assertThat(first.get("note").asText()).isEqualTo("The first deploy to staging: Quorum never deployed there, so everything in "
                + main.substring(0, 7) + " is shown as new.");
        assertThat(first.get("files")).extracting(f -> f.get("path").asText() + " " + f.get("change").asText())
                .containsExactly("README.md add", "run-tests.sh add", "scripts/deploy.sh add", "src/app.py add");
        assertThat(first.get("insertions").asInt()).isEqualTo(first.get("files").findValues("insertions").stream().mapToInt(JsonNode::asInt).sum());

        Instant before = Instant.now();
        assertThat(q.say("bob", "approve " + deploy).status()).isEqualTo(202);
        awaitState(deploy, "done");
        JsonNode done = request(deploy);
        // The deploy ran no tests of its own: its evidence is the run its votes were bound to, intact.
        assertThat(done.get("evidence").get("digest").asText()).isEqualTo(tested.get("digest").asText())
                .isEqualTo(done.get("subject").get("evidence_digest").asText());
        assertThat(EvidenceRecord.verifyDigest(done.get("evidence").toString())).isTrue();
        assertThat(done.get("evidence_seal").asText()).isEqualTo("sealed");
        JsonNode execution = done.get("execution");
        Instant started = Instant.parse(execution.get("started_at").asText());
        Instant finished = Instant.parse(execution.get("finished_at").asText());
        assertThat(started).isBetween(before.minusSeconds(1), finished);
        assertThat(execution.get("ok").isBoolean()).isTrue();
        assertThat(execution.get("ok").asBoolean()).isTrue();
        assertThat(execution.get("output").asText()).isEqualTo("deployed " + main + " to staging").doesNotContain(ShellRepo.ESC);
        assertThat(done.get("votes").get(0).get("name").asText()).isEqualTo("bob");
        assertThat(done.get("tally").get("author_names")).extracting(JsonNode::asText).containsExactly("alice");

        // The next deploy's change is from what staging runs now.
        String next = repo.commit("sub handles floats", Map.of("src/app.py", ShellRepo.APP.replace("return a - b", "return float(a) - float(b)")));
        String second = q.ask("alice", "deploy staging");
        awaitState(second, "awaiting_approval");
        JsonNode diff = q.get("/api/requests/" + second + "/diff").json();
        assertThat(diff.get("from").get("sha").asText()).isEqualTo(main);
        assertThat(diff.get("from").get("label").asText()).isEqualTo("staging (deployed)");
        assertThat(diff.get("to").get("sha").asText()).isEqualTo(next);
        assertThat(diff.get("note").isNull()).isTrue();
        JsonNode file = diff.get("files").get(0);
        assertThat(diff.get("files")).hasSize(1);
        assertThat(file.get("path").asText()).isEqualTo("src/app.py");
        assertThat(file.get("change").asText()).isEqualTo("modify");
        JsonNode hunk = file.get("hunks").get(0);
        assertThat(List.of(hunk.get("old_start").asInt(), hunk.get("old_lines").asInt(), hunk.get("new_start").asInt(), hunk.get("new_lines").asInt()))
                .containsExactly(3, 4, 3, 4);
        assertThat(hunk.get("lines")).extracting(JsonNode::asText)
                .containsExactly(" ", " ", " def sub(a, b):", "-    return a - b", "+    return float(a) - float(b)");
    }

    @Test
    void aMergeDiffsItsTargetAgainstTheTestedMergeResult() throws Exception {
        String base = repo.git().getRepository().resolve("main").name();
        String feature = app.branch("feature/mul", Map.of("src/app.py", ShellRepo.APP + "\n\ndef mul(a, b):\n    return a * b\n"));
        repo.commit("readme", Map.of("README.md", "app, documented\n"));
        String target = repo.git().getRepository().resolve("main").name();

        String merge = q.ask("alice", "merge feature/mul");
        awaitState(merge, "awaiting_approval");
        JsonNode diff = q.get("/api/requests/" + merge + "/diff").json();
        JsonNode subject = request(merge).get("subject");
        assertThat(diff.get("request_id").asText()).isEqualTo(merge);
        assertThat(diff.get("repo").asText()).isEqualTo("app");
        assertThat(diff.get("from").get("sha").asText()).isEqualTo(target).isNotEqualTo(base);
        assertThat(diff.get("from").get("label").asText()).isEqualTo("main");
        assertThat(diff.get("to").get("sha").asText()).isEqualTo(subject.get("merge_sha").asText()).isNotEqualTo(feature);
        assertThat(diff.get("to").get("label").asText()).isEqualTo("the merge of feature/mul");
        assertThat(diff.get("files")).hasSize(1); // main's own README change is not part of what the merge brings
        JsonNode file = diff.get("files").get(0);
        assertThat(file.get("path").asText()).isEqualTo("src/app.py");
        assertThat(file.get("insertions").asInt()).isEqualTo(4);
        assertThat(file.get("deletions").asInt()).isZero();
        assertThat(file.get("binary").asBoolean()).isFalse();
        assertThat(file.get("hunks").get(0).get("lines")).extracting(JsonNode::asText)
                .endsWith("+", "+", "+def mul(a, b):", "+    return a * b");
        assertThat(request(merge).get("tally").get("change").asText())
                .isEqualTo(diff.get("files_changed").asInt() + " file changed, +" + diff.get("insertions").asInt() + " −" + diff.get("deletions").asInt());
    }

    @Test
    void requestsWithoutAChangeSayWhyAndUnknownOnesAreNotFound() throws Exception {
        String test = q.ask("alice", "test");
        awaitState(test, "succeeded");
        var none = q.get("/api/requests/" + test + "/diff");
        assertThat(none.status()).isEqualTo(404);
        assertThat(none.json().get("error").asText()).isEqualTo(test + " has no diff: a test request changes no code");
        var missing = q.get("/api/requests/R999/diff");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().get("error").asText()).isEqualTo("no request R999");
        assertThat(q.get("/api/requests/" + test.toLowerCase() + "/diff").status()).isEqualTo(404); // an id, normalised
        assertThat(q.get("/api/requests/..%2F..%2Fetc%2Fpasswd/diff").status()).isEqualTo(404);
        assertThat(q.get("/api/requests/" + test).json().has("execution")).isFalse(); // deploys only
    }

    private JsonNode request(String id) throws Exception {
        return q.get("/api/requests/" + id).json();
    }

    private void awaitState(String id, String state) throws Exception {
        List<String> seen = new ArrayList<>();
        waitFor(() -> {
            String now = request(id).get("state").asText();
            if (seen.isEmpty() || !seen.getLast().equals(now)) seen.add(now);
            return now.equals(state);
        }, () -> id + " went through " + seen + ", not to " + state + "; reason: " + request(id).get("reason"));
    }

    private static void waitFor(Callable<Boolean> condition, Callable<String> why) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.call()) {
            if (System.nanoTime() > deadline) throw new AssertionError(why.call());
            Thread.sleep(50);
        }
    }
}
