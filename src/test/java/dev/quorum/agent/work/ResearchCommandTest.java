package dev.quorum.agent.work;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quorum.agent.research.RetrievalReport;
import dev.quorum.agent.testing.AgentConfigs;
import dev.quorum.agent.testing.FakeAnthropicServer;
import dev.quorum.testing.QuorumHarness;
import dev.quorum.testing.SseClient;
import dev.quorum.testing.Suites;
import dev.quorum.testing.TestRedis;
import dev.quorum.testing.TestRepo;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code research} end to end in the console: the real LangChain4j Anthropic client against a fake Anthropic server
 * over HTTP, a knowledge folder and a repository indexed by the real docs index, citations checked.
 */
class ResearchCommandTest {
    @TempDir
    Path dir;
    private final FakeAnthropicServer model = FakeAnthropicServer.start();
    private TestRepo repo;
    private QuorumHarness q;

    @BeforeEach
    void setUp() throws Exception {
        TestRedis.flush();
        repo = TestRepo.init(dir.resolve("app"));
        repo.commit("a greeter", Map.of(Suites.SCRIPT, Suites.passing(1),
                "src/Greeter.java", "/** Greets a person by name, politely. */\nclass Greeter {}\n",
                ".env", "GREETER_SECRET=do-not-index\n"));
        Path handbook = Files.createDirectories(dir.resolve("handbook"));
        Files.writeString(handbook.resolve("deploy.md"), """
                # Deploying to staging

                Staging deploys run scripts/deploy.sh after one approval from an engineer.
                Rollback uses the previous release tag.
                """);
    }

    @AfterEach
    void tearDown() {
        if (q != null) q.close();
        model.close();
        repo.close();
    }

    private void start(Map<String, String> env) throws Exception {
        q = QuorumHarness.start(dir.resolve("data"), AgentConfigs.yaml(repo.dir(),
                "research: {folders: [{name: handbook, path: " + dir.resolve("handbook") + "}]}\n"), env, Clock.systemUTC());
    }

    private String ask(String user, String text) throws Exception {
        return q.say(user, text).json().get("request_id").asText();
    }

    private static SseClient.Event awaitReport(SseClient events, String id) throws InterruptedException {
        return events.await(e -> e.kind().equals("reply") && e.text().startsWith(id + " · research report"),
                Duration.ofSeconds(30));
    }

    @Test
    void aReportCitingOneRealAndOneInventedSourceIsPostedWithTheInventedOneMarkedUnverified() throws Exception {
        model.enqueue(FakeAnthropicServer.toolUse("toolu_1", "search_docs", new JsonObject().put("query", "staging deploy approval")))
                .enqueue(FakeAnthropicServer.text("Staging needs one approval [1]. It also needs a full moon [7]."));
        start(AgentConfigs.anthropic(model));
        try (SseClient events = q.events("alice")) {
            String id = ask("alice", "research how do staging deploys work?");
            SseClient.Event report = awaitReport(events, id);
            assertThat(report.text()).isEqualTo(id + " · research report\n\n"
                    + "Staging needs one approval [1]. It also needs a full moon [7 (unverified)].\n\n"
                    + "Sources\n[1] handbook/deploy.md:1-5 — Deploying to staging\n\n"
                    + "Unverified citations: [7] — no tool returned a source with that number in this request.");
            assertThat(report.data().get("tone").asText()).isEqualTo("warning");
            assertThat(report.data().get("fields").toString()).contains("unverified citations", "[7]");
            assertThat(report.data().get("link").get("url").asText()).endsWith("#/requests/" + id);

            JsonNode full = q.get("/api/requests/" + id).json();
            assertThat(full.get("state").asText()).isEqualTo("succeeded");
            assertThat(full.get("summary").asText()).isEqualTo("report: 1 source, 1 unverified citation");
            JsonNode result = full.get("result");
            assertThat(result.get("kind").asText()).isEqualTo("research");
            assertThat(result.get("report").asText()).contains("[7 (unverified)]");
            assertThat(result.get("unverified_citations").toString()).isEqualTo("[7]");
            assertThat(result.get("sources").get(0).get("locator").asText()).isEqualTo("handbook/deploy.md:1-5");
            assertThat(result.get("sources").get(0).get("kind").asText()).isEqualTo("document_passage");
            assertThat(result.get("model").asText()).startsWith("anthropic claude-fake at " + model.baseUrl());
            JsonNode transcript = full.get("transcript");
            assertThat(transcript.findValuesAsText("kind")).containsExactly("model", "tool", "model");
            assertThat(transcript.get(1).get("name").asText()).isEqualTo("search_docs");
            assertThat(transcript.get(1).get("result").asText()).contains("Staging deploys run scripts/deploy.sh");
            assertThat(transcript.get(0).get("tokens_in").asInt()).isEqualTo(50);
        }
    }

    @Test
    void withNoModelResearchAnswersFromTheTeamsDocumentsAndReposAloneAndSaysSo() throws Exception {
        start(Map.of());
        try (SseClient events = q.events("alice")) {
            String id = ask("alice", "research who greets people politely?");
            SseClient.Event report = awaitReport(events, id);
            assertThat(report.text()).isEqualTo(id + " · research report\n\n"
                    + "- `/** Greets a person by name, politely. */` (Greeter.java, line 1) [1]\n\n"
                    + RetrievalReport.RETRIEVAL_ONLY + "\n\n"
                    + "[1] app/src/Greeter.java, lines 1–2\n"
                    + "```java\n"
                    + "1  /** Greets a person by name, politely. */\n"
                    + "2  class Greeter {}\n"
                    + "```\n\n"
                    + "Sources\n[1] app/src/Greeter.java:1-3 — Greeter.java");
            JsonNode full = q.get("/api/requests/" + id).json();
            assertThat(full.get("summary").asText()).isEqualTo("retrieval only (no model): 1 source");
            assertThat(full.get("result").get("retrieval_only").asBoolean()).isTrue();
            assertThat(full.get("result").get("model").asText()).isEqualTo("none (retrieval only)");
            assertThat(full.get("result").get("report").asText()).isEqualTo(report.text().substring(
                    (id + " · research report\n\n").length()));
        }
        assertThat(dir.resolve("data/research/repos/app/src/Greeter.java")).exists();
        assertThat(dir.resolve("data/research/repos/app/.env")).doesNotExist();
    }

    @Test
    void aLongReportIsShownWholeInTheConsole() throws Exception {
        String paragraph = "Staging deploys need one approval from an engineer [1]. ".repeat(20) + "\n\n";
        model.enqueue(FakeAnthropicServer.toolUse("toolu_1", "search_docs", new JsonObject().put("query", "staging deploys")))
                .enqueue(FakeAnthropicServer.text(paragraph.repeat(8)));
        start(AgentConfigs.anthropic(model));
        try (SseClient events = q.events("alice")) {
            String id = ask("alice", "research everything about staging");
            SseClient.Event report = awaitReport(events, id);
            String whole = q.get("/api/requests/" + id).json().get("result").get("report").asText();
            assertThat(whole).startsWith(paragraph.repeat(8).strip()).hasSizeGreaterThan(8 * paragraph.length() - 10)
                    .endsWith("Sources\n[1] handbook/deploy.md:1-5 — Deploying to staging");
            assertThat(report.text()).isEqualTo(id + " · research report\n\n" + whole);
        }
    }

    @Test
    void rerunOfResearchAsksTheSameQuestionWithTheSameSettingsAndLinksTheFirst() throws Exception {
        model.respondWith(got -> FakeAnthropicServer.text("I found nothing to cite."));
        start(AgentConfigs.anthropic(model));
        try (SseClient events = q.events("alice")) {
            String first = ask("alice", "research what is our rollback policy?");
            awaitReport(events, first);
            String again = ask("bob", "rerun " + first);
            awaitReport(events, again);
            JsonNode rerun = q.get("/api/requests/" + again).json();
            assertThat(rerun.get("rerun_of").asText()).isEqualTo(first);
            assertThat(rerun.get("text").asText()).isEqualTo("research what is our rollback policy?");
            JsonNode before = q.get("/api/requests/" + first).json().get("result");
            assertThat(rerun.get("result").get("model").asText()).isEqualTo(before.get("model").asText());
            assertThat(rerun.get("result").get("budget").asText()).isEqualTo(before.get("budget").asText());
            assertThat(model.received().get(1).json().getJsonArray("messages").getJsonObject(0).getString("content"))
                    .contains("what is our rollback policy?");
        }
    }
}
