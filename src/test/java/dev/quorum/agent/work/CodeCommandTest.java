package dev.quorum.agent.work;

import static dev.quorum.agent.testing.FakeOpenAiServer.call;
import static dev.quorum.agent.testing.FakeOpenAiServer.text;
import static dev.quorum.agent.testing.FakeOpenAiServer.toolCalls;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quorum.agent.AgentRunner;
import dev.quorum.agent.testing.AgentConfigs;
import dev.quorum.agent.testing.FakeHttpServer.Reply;
import dev.quorum.agent.testing.FakeOpenAiServer;
import dev.quorum.evidence.EvidenceRecord;
import dev.quorum.testing.QuorumHarness;
import dev.quorum.testing.SseClient;
import dev.quorum.testing.Suites;
import dev.quorum.testing.TestRedis;
import dev.quorum.testing.TestRepo;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code code} end to end in the console: the real LangChain4j OpenAI client against a fake OpenAI-compatible server
 * over HTTP, a real git repository, Quorum's real evidence runner, real Redis.
 */
class CodeCommandTest {
    private static final String GREETER = "class Greeter {\n    String greet() {\n        return \"hi\";\n    }\n}\n";
    private static final String NEW_GREETER = "class Greeter {\n    String greet(String name) {\n        return \"Hello, \" + name;\n    }\n}\n";

    @TempDir
    Path dir;
    private final FakeOpenAiServer model = FakeOpenAiServer.start();
    private TestRepo repo;
    private String base;
    private QuorumHarness q;

    @BeforeEach
    void setUp() throws Exception {
        TestRedis.flush();
        repo = TestRepo.init(dir.resolve("app"));
        base = repo.commit("a greeter and its suite", Map.of(Suites.SCRIPT, Suites.passing(2), "src/Greeter.java", GREETER));
    }

    @AfterEach
    void tearDown() {
        if (q != null) q.close();
        model.close();
        repo.close();
    }

    private void start(Map<String, String> env, String extraYaml) throws Exception {
        q = QuorumHarness.start(dir.resolve("data"), AgentConfigs.yaml(repo.dir(), extraYaml), env, Clock.systemUTC());
    }

    private void start() throws Exception {
        start(AgentConfigs.openAi(model), "");
    }

    private static String write(String path, String content) {
        return new JsonObject().put("path", path).put("content", content).encode();
    }

    @Test
    void aCodingRunReadsWritesTestsAndPostsItsBranchWithQuorumsEvidenceOfTheFinalCommit() throws Exception {
        model.enqueue(toolCalls(call("list_files", "{\"path\":\".\"}")))
                .enqueue(toolCalls(call("read_file", "{\"path\":\"src/Greeter.java\"}")))
                .enqueue(toolCalls(call("write_file", write("src/Greeter.java", NEW_GREETER))))
                .enqueue(toolCalls(call("run_tests", "{}")))
                .enqueue(toolCalls(call("write_file", write("src/GreeterTest.java", "class GreeterTest {}\n"))))
                .enqueue(text("Greeter greets by name; added GreeterTest."));
        start(AgentConfigs.openAi(model), "policies: {merge: {approvals: 1, eligible: [engineers]}}\n");
        try (SseClient events = q.events("alice")) {
            String id = q.ask("alice", "code make Greeter greet by name");
            SseClient.Event done = events.await(e -> e.kind().equals("reply") && e.text().startsWith(id + " · done"),
                    Duration.ofSeconds(60));

            ObjectId head = branchHead(id);
            assertThat(head).isNotNull();
            assertThat(fileAt(head, "src/Greeter.java")).isEqualTo(NEW_GREETER);
            assertThat(fileAt(head, "src/GreeterTest.java")).isEqualTo("class GreeterTest {}\n");
            assertThat(repo.git().getRepository().resolve("main").name()).isEqualTo(base);
            assertThat(Files.readString(repo.dir().resolve("src/Greeter.java"))).isEqualTo(GREETER);
            assertThat(done.text()).startsWith(id + " · done · quorum/" + id
                    + ": 2 files changed, 3 insertions(+), 2 deletions(-)\n\n"
                    + "Greeter greets by name; added GreeterTest.\n\n"
                    + "passed: 2 passed, 0 failed, 0 skipped · " + head.name().substring(0, 7) + " · ");
            assertThat(done.text()).endsWith("\n`merge " + id + "` proposes merging quorum/" + id
                    + " into main; it needs a quorum.");
            assertThat(done.data().get("tone").asText()).isEqualTo("success");
            assertThat(done.data().get("fields").toString()).contains("src/Greeter.java", "modify +2 −2",
                    "src/GreeterTest.java", "add +1 −0");
            events.await(e -> e.kind().equals("update") && e.text().contains(id) && e.text().endsWith("· succeeded"),
                    Duration.ofSeconds(10));

            JsonNode full = q.get("/api/requests/" + id).json();
            assertThat(full.get("state").asText()).isEqualTo("succeeded");
            assertThat(full.get("summary").asText()).startsWith("2 files changed, 3 insertions(+), 2 deletions(-) on quorum/"
                    + id + " · passed: 2 passed");
            JsonNode evidence = full.get("evidence");
            assertThat(evidence.get("commit").asText()).isEqualTo(head.name());
            assertThat(EvidenceRecord.verifyDigest(evidence.toString())).isTrue();
            assertThat(done.text()).contains("evidence " + evidence.get("digest").asText().substring(0, 8));

            JsonNode result = full.get("result");
            assertThat(result.get("kind").asText()).isEqualTo("code");
            assertThat(result.get("outcome").asText()).isEqualTo("completed");
            assertThat(result.get("branch").asText()).isEqualTo("quorum/" + id);
            assertThat(result.get("base_commit").asText()).isEqualTo(base);
            assertThat(result.get("commit").asText()).isEqualTo(head.name());
            assertThat(result.get("merge").asText()).isEqualTo("merge " + id);
            assertThat(result.get("evidence").get("commit").asText()).isEqualTo(head.name());
            assertThat(result.get("diff_stat").get("files").get(0).get("path").asText()).isEqualTo("src/Greeter.java");
            // The page's diff: the run's base to its branch, the same files and counts as its diff stat.
            JsonNode diff = q.get("/api/requests/" + id + "/diff").json();
            assertThat(diff.get("from").get("sha").asText()).isEqualTo(base);
            assertThat(diff.get("from").get("label").asText()).isEqualTo("main when the run began");
            assertThat(diff.get("to").get("sha").asText()).isEqualTo(head.name());
            assertThat(diff.get("to").get("label").asText()).isEqualTo("quorum/" + id);
            assertThat(diff.get("files")).extracting(f -> f.get("path").asText() + " " + f.get("change").asText() + " +"
                    + f.get("insertions").asInt() + " −" + f.get("deletions").asInt())
                    .containsExactly("src/Greeter.java modify +2 −2", "src/GreeterTest.java add +1 −0");
            assertThat(diff.get("files").get(1).get("hunks").get(0).get("lines")).extracting(JsonNode::asText)
                    .containsExactly("+class GreeterTest {}");
            assertThat(result.get("usage").get("model_calls").asInt()).isEqualTo(6);
            assertThat(result.get("model").asText()).startsWith("openai fake-gpt at " + model.baseUrl());

            JsonNode transcript = full.get("transcript");
            assertThat(transcript).hasSize(11);
            assertThat(transcript.get(0).get("kind").asText()).isEqualTo("model");
            assertThat(transcript.get(0).get("tokens_in").asInt()).isEqualTo(100);
            assertThat(transcript.get(0).get("tokens_out").asInt()).isEqualTo(20);
            assertThat(transcript.get(0).get("cost_usd").decimalValue()).isEqualByComparingTo("0.0042");
            assertThat(transcript.get(0).has("latency_ms")).isTrue();
            assertThat(transcript.findValuesAsText("name"))
                    .containsExactly("list_files", "read_file", "write_file", "run_tests", "write_file");
            JsonNode runTests = transcript.get(7);
            assertThat(runTests.get("name").asText()).isEqualTo("run_tests");
            assertThat(runTests.get("status").asText()).isEqualTo("ok");
            assertThat(runTests.get("result").asText()).startsWith("passed: 2 passed");
            assertThat(full.get("cost_usd").asDouble()).isEqualTo(6 * 0.0042, org.assertj.core.data.Offset.offset(1e-9));
            assertThat(dir.resolve("data/agent-workspaces/" + id)).doesNotExist();

            q.say("bob", "status " + id);
            String status = events.awaitReply(id + " · code").data().get("fields").toString();
            assertThat(status).contains("openai fake-gpt", "$1.00, 30 model calls, 400000 tokens, 20m",
                    "6 model calls, 720 tokens, $0.0252", "quorum/" + id + " at " + head.name().substring(0, 7));

            QuorumHarness.Response merge = q.say("bob", "merge " + id);
            assertThat(merge.json().get("request_id").isTextual()).as("merge %s: %s", id, events.seen()).isTrue();
        }
    }

    @Test
    void aModelAskingForAFileOutsideTheWorkspaceIsRefusedAndTheRefusalIsInTheTranscript() throws Exception {
        model.enqueue(toolCalls(call("read_file", "{\"path\":\"../../etc/passwd\"}")))
                .enqueue(text("I may not read that file."));
        start();
        try (SseClient events = q.events("alice")) {
            String id = q.ask("alice", "code show me /etc/passwd");
            SseClient.Event done = events.await(e -> e.kind().equals("reply") && e.text().startsWith(id + " · done"),
                    Duration.ofSeconds(30));
            assertThat(done.text()).contains("no files changed", "Not tested: nothing changed.").doesNotContain("merge");

            JsonNode tool = q.get("/api/requests/" + id).json().get("transcript").get(1);
            assertThat(tool.get("kind").asText()).isEqualTo("tool");
            assertThat(tool.get("name").asText()).isEqualTo("read_file");
            assertThat(tool.get("arguments").asText()).isEqualTo("{\"path\":\"../../etc/passwd\"}");
            assertThat(tool.get("status").asText()).isEqualTo("refused");
            assertThat(tool.get("refused").asBoolean()).isTrue();
            assertThat(tool.get("result").asText()).contains("../../etc/passwd").doesNotContain("root:");
            assertThat(model.toolResultsIn(1).getFirst()).contains("refused").doesNotContain("root:");
        }
    }

    @Test
    void aRunThatReachesItsBudgetStopsAndKeepsItsWorkOnTheBranch() throws Exception {
        AtomicInteger note = new AtomicInteger();
        model.respondWith(got -> toolCalls(call("write_file",
                write("notes/" + note.incrementAndGet() + ".txt", "note\n"))));
        start();
        try (SseClient events = q.events("alice")) {
            String id = q.ask("alice", "code --budget 0.01 write notes forever");
            SseClient.Event stopped = events.await(e -> e.kind().equals("reply") && e.text().startsWith(id + " · stopped"),
                    Duration.ofSeconds(60));
            assertThat(stopped.text()).startsWith(id + " · stopped: the cost budget ($0.01) was reached · quorum/" + id
                    + ": 3 files changed, 3 insertions(+), 0 deletions(-)");
            assertThat(stopped.text()).contains("passed: 2 passed", "`merge " + id + "`");
            assertThat(model.requestCount()).isEqualTo(3);
            ObjectId head = branchHead(id);
            assertThat(fileAt(head, "notes/3.txt")).isEqualTo("note\n");

            JsonNode full = q.get("/api/requests/" + id).json();
            assertThat(full.get("state").asText()).isEqualTo("failed");
            assertThat(full.get("reason").asText()).isEqualTo(
                    "stopped: the cost budget ($0.01) was reached; the work so far is on quorum/" + id);
            assertThat(full.get("result").get("outcome").asText()).isEqualTo("budget_exhausted");
            assertThat(full.get("result").get("budget").asText()).startsWith("$0.01, ");
            assertThat(full.get("evidence").get("commit").asText()).isEqualTo(head.name());
        }
    }

    @Test
    void aModelThatAnswersGarbageAndHttp500IsRetriedThenTheRequestFailsWithAClearMessage() throws Exception {
        model.enqueue(Reply.raw(200, "application/json", "this is not json"))
                .enqueue(Reply.status(500, "{\"error\":\"boom\"}"))
                .enqueue(Reply.status(503, "<html>unavailable</html>"));
        start();
        try (SseClient events = q.events("alice")) {
            String id = q.ask("alice", "code fix the greeting");
            SseClient.Event failed = events.await(e -> e.kind().equals("reply") && e.text().startsWith(id + " · failed"),
                    Duration.ofSeconds(30));
            String message = "The model call failed after 3 attempts: a reply that is not valid JSON, then server error "
                    + "(HTTP 500), then server error (HTTP 503). Try again later, or check the model server.";
            assertThat(failed.text()).contains(message, "Not tested: the run failed.");
            assertThat(failed.data().get("tone").asText()).isEqualTo("error");
            assertThat(model.requestCount()).isEqualTo(3);
            JsonNode full = q.get("/api/requests/" + id).json();
            assertThat(full.get("state").asText()).isEqualTo("failed");
            assertThat(full.get("reason").asText()).isEqualTo("failed: " + message);
            assertThat(full.get("transcript").get(0).get("kind").asText()).isEqualTo("model_failure");
            assertThat(full.get("transcript").get(0).get("attempts").asInt()).isEqualTo(3);
            assertThat(events.seen().toString()).doesNotContain("Exception", "\tat ", "dev.quorum.");
        }
    }

    @Test
    void codeWithNoModelConfiguredIsRefusedWithTheOneMessageAndOpensNothing() throws Exception {
        start(Map.of(), "");
        try (SseClient events = q.events("alice")) {
            QuorumHarness.Response res = q.say("alice", "code add a /ping endpoint");
            assertThat(res.json().get("request_id").isNull()).isTrue();
            SseClient.Event refusal = events.awaitReply("Coding needs a model");
            assertThat(refusal.text()).isEqualTo(AgentRunner.NO_MODEL_MESSAGE);
            assertThat(refusal.data().get("tone").asText()).isEqualTo("error");
        }
        assertThat(q.get("/api/requests").json().get("requests")).isEmpty();
    }

    @Test
    void aBudgetOverTheCeilingIsRefusedNamingTheCeiling() throws Exception {
        start();
        try (SseClient events = q.events("alice")) {
            q.say("alice", "code --budget 50 rewrite everything");
            assertThat(events.awaitReply("over the ceiling").text()).isEqualTo(
                    "A budget of $50.00 is over the ceiling of $10.00 (agents.max_budget); ask for `--budget 10.00` or less.");
        }
        assertThat(q.get("/api/requests").json().get("requests")).isEmpty();
        assertThat(model.requestCount()).isZero();
    }

    @Test
    void cancellingARunningCodingRequestStopsItAndKeepsTheWorkOnTheBranch() throws Exception {
        model.enqueue(toolCalls(call("write_file", write("first.txt", "one\n"))))
                .enqueue(toolCalls(call("write_file", write("second.txt", "two\n"))).delayedBy(3_000));
        start();
        try (SseClient events = q.events("alice")) {
            String id = q.ask("alice", "code write two files slowly");
            awaitModelRequests(2);
            q.say("alice", "cancel " + id);
            events.awaitReply("Cancelling " + id);
            SseClient.Event cancelled = events.await(e -> e.kind().equals("reply") && e.text().startsWith(id + " · cancelled"),
                    Duration.ofSeconds(30));
            assertThat(cancelled.text()).contains("quorum/" + id + ": 1 file changed", "Not tested: the run was cancelled.");
            assertThat(fileAt(branchHead(id), "first.txt")).isEqualTo("one\n");
            JsonNode full = q.get("/api/requests/" + id).json();
            assertThat(full.get("state").asText()).isEqualTo("cancelled");
            assertThat(full.get("reason").asText()).isEqualTo("cancelled by alice; the work so far is on quorum/" + id);
            assertThat(model.requestCount()).isEqualTo(2);
        }
    }

    @Test
    void rerunOfCodeStartsFromTheSameBaseWithTheSameSettingsAndLinksTheFirst() throws Exception {
        model.respondWith(got -> text("Nothing to do."));
        start();
        try (SseClient events = q.events("alice")) {
            String first = q.ask("alice", "code --budget 2.50 tidy up");
            events.await(e -> e.kind().equals("reply") && e.text().startsWith(first + " · done"), Duration.ofSeconds(30));
            repo.commit("main moves on", Map.of("later.txt", "later\n"));

            String again = q.ask("bob", "rerun " + first);
            events.await(e -> e.kind().equals("reply") && e.text().startsWith(again + " · done"), Duration.ofSeconds(30));
            JsonNode rerun = q.get("/api/requests/" + again).json();
            assertThat(rerun.get("rerun_of").asText()).isEqualTo(first);
            assertThat(rerun.get("requester").asText()).isEqualTo("console:bob");
            JsonNode before = q.get("/api/requests/" + first).json().get("result");
            JsonNode after = rerun.get("result");
            assertThat(after.get("base_commit").asText()).isEqualTo(base);
            assertThat(after.get("budget").asText()).isEqualTo(before.get("budget").asText()).startsWith("$2.50, ");
            assertThat(after.get("model").asText()).isEqualTo(before.get("model").asText());
            assertThat(after.get("branch").asText()).isEqualTo("quorum/" + again);
        }
    }

    @Test
    void whileFrozenCodeIsRefusedAndAQueuedRequestWaitsForUnfreeze() throws Exception {
        model.respondWith(got -> text("Done."));
        start();
        try (SseClient events = q.events("alice")) {
            String first = q.ask("alice", "code tidy up");
            events.await(e -> e.kind().equals("reply") && e.text().startsWith(first + " · done"), Duration.ofSeconds(30));
            q.say("dave", "freeze incident 42");
            q.say("alice", "code more tidying");
            assertThat(events.awaitReply("Quorum is frozen").text()).isEqualTo(
                    "Quorum is frozen (by dave: incident 42), so no agent starts. Ask again after on-call says `unfreeze`.");

            String waiting = q.ask("bob", "rerun " + first);
            events.await(e -> e.kind().equals("update") && e.text().contains(waiting) && e.text().contains("waiting: Quorum is frozen"),
                    Duration.ofSeconds(20));
            assertThat(q.get("/api/requests/" + waiting).json().get("state").asText()).isEqualTo("queued");
            int calls = model.requestCount();

            q.say("dave", "unfreeze");
            events.await(e -> e.kind().equals("reply") && e.text().startsWith(waiting + " · done"), Duration.ofSeconds(30));
            assertThat(model.requestCount()).isEqualTo(calls + 1);
        }
    }

    private void awaitModelRequests(int n) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (model.requestCount() < n) {
            if (System.nanoTime() > deadline) throw new AssertionError("the model got " + model.requestCount() + " requests");
            Thread.sleep(20);
        }
    }

    private ObjectId branchHead(String id) throws Exception {
        return repo.git().getRepository().resolve("refs/heads/quorum/" + id);
    }

    private String fileAt(ObjectId commit, String path) throws Exception {
        Repository r = repo.git().getRepository();
        try (RevWalk walk = new RevWalk(r); TreeWalk tree = TreeWalk.forPath(r, path, walk.parseCommit(commit).getTree())) {
            return tree == null ? null : new String(r.open(tree.getObjectId(0)).getBytes(), StandardCharsets.UTF_8);
        }
    }
}
