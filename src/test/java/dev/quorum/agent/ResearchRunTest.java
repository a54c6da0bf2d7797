package dev.quorum.agent;

import static dev.quorum.agent.testing.FakeOpenAiServer.call;
import static dev.quorum.agent.testing.FakeOpenAiServer.text;
import static dev.quorum.agent.testing.FakeOpenAiServer.toolCalls;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quorum.agent.research.RetrievalReport;
import dev.quorum.agent.research.Source;
import dev.quorum.agent.search.KnowledgeFolder;
import dev.quorum.agent.testing.FakeAnthropicServer;
import dev.quorum.agent.testing.FakeHttpServer;
import dev.quorum.agent.testing.FakeHttpServer.Reply;
import dev.quorum.agent.testing.FakeOpenAiServer;
import dev.quorum.agent.testing.Settings;
import dev.quorum.agent.transcript.ModelCall;
import dev.quorum.agent.transcript.ToolCall;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResearchRunTest {

    @TempDir
    Path docs;

    private List<KnowledgeFolder> folders;

    @BeforeEach
    void writeDocs() throws Exception {
        Files.writeString(docs.resolve("deploy.md"), """
                # Deploying to staging

                Staging deploys run scripts/deploy.sh after one approval from an engineer.
                Rollback uses the previous release tag.
                """);
        Files.writeString(docs.resolve("style.md"), "# Style\n\nUse records for data.\n");
        Files.writeString(docs.resolve(".env"), "OPENAI_API_KEY=sk-secret\n");
        folders = List.of(new KnowledgeFolder("docs", docs));
    }

    @Test
    void aReportCitingOneRealAndOneInventedSourceMarksTheInventedOneUnverified() throws Exception {
        try (FakeOpenAiServer model = FakeOpenAiServer.start();
             AgentRunner runner = AgentRunner.start(Settings.agents(Settings.openAi(model), folders))) {
            model.enqueue(toolCalls(call("search_docs", "{\"query\":\"staging deploy approval\"}")))
                    .enqueue(text("Staging needs one approval [1]. It also needs a full moon [7]."));

            ResearchResult result = runner.research(ResearchTask.of("R5", "console:carol", "How do staging deploys work?"),
                    Settings.generousBudget(), RunContext.detached());

            assertThat(result.outcome()).isEqualTo(new RunOutcome.Completed());
            assertThat(result.retrievalOnly()).isFalse();
            assertThat(result.unverifiedCitations()).containsExactly(7);
            assertThat(result.sources()).first().extracting(Source::locator).isEqualTo("docs/deploy.md:1-5");
            assertThat(result.report()).isEqualTo("""
                    Staging needs one approval [1]. It also needs a full moon [7 (unverified)].

                    Sources
                    [1] docs/deploy.md:1-5 — Deploying to staging

                    Unverified citations: [7] — no tool returned a source with that number in this request.""");
            String toolResult = model.toolResultsIn(1).getFirst();
            assertThat(toolResult).contains("[1] docs/deploy.md:1-5 — Deploying to staging",
                    "Staging deploys run scripts/deploy.sh");
        }
    }

    @Test
    void theAnthropicProviderDoesAToolCallRoundTrip() throws Exception {
        try (FakeAnthropicServer model = FakeAnthropicServer.start();
             AgentRunner runner = AgentRunner.start(Settings.agents(Settings.anthropic(model), folders))) {
            model.enqueue(FakeAnthropicServer.toolUse("toolu_1", "read_file", new JsonObject().put("path", "docs/style.md")))
                    .enqueue(FakeAnthropicServer.text("Use records for data [1]."));

            ResearchResult result = runner.research(ResearchTask.of("R6", "console:dave", "What is our style for data?"),
                    Settings.generousBudget(), RunContext.detached());

            assertThat(result.outcome()).isEqualTo(new RunOutcome.Completed());
            assertThat(result.report()).startsWith("Use records for data [1].\n\nSources\n[1] docs/style.md — style.md");
            assertThat(model.received()).extracting(FakeHttpServer.Received::path).containsOnly("/v1/messages");
            JsonObject first = model.received().get(0).json();
            assertThat(first.getString("model")).isEqualTo(FakeAnthropicServer.MODEL);
            assertThat(first.getJsonArray("tools").stream().map(t -> ((JsonObject) t).getString("name")).toList())
                    .containsExactly("search_docs", "read_file", "fetch_url", "search_arxiv");
            JsonArray secondMessages = model.received().get(1).json().getJsonArray("messages");
            JsonObject toolResult = secondMessages.getJsonObject(secondMessages.size() - 1)
                    .getJsonArray("content").getJsonObject(0);
            assertThat(toolResult.getString("type")).isEqualTo("tool_result");
            assertThat(toolResult.getString("tool_use_id")).isEqualTo("toolu_1");
            assertThat(toolResult.encode()).contains("Use records for data.").contains("⟦BEGIN read_file result");
            assertThat(result.transcript()).filteredOn(ModelCall.class::isInstance)
                    .extracting(e -> ((ModelCall) e).finishReason()).containsExactly("tool_execution", "stop");
            assertThat(result.usage().inputTokens()).isEqualTo(130);
            assertThat(result.usage().outputTokens()).isEqualTo(40);
        }
    }

    @Test
    void fetchingFromAHostNotOnTheAllowlistIsRefusedAndNothingIsSent() throws Exception {
        try (FakeOpenAiServer model = FakeOpenAiServer.start();
             FakeHttpServer web = FakeHttpServer.start();
             AgentRunner runner = AgentRunner.start(Settings.agents(Settings.openAi(model), folders,
                     Set.of("docs.example.com"), URI.create(web.origin() + "/api/query")))) {
            model.enqueue(toolCalls(call("fetch_url", "{\"url\":\"" + web.origin() + "/secret\"}")))
                    .enqueue(text("I could not fetch it."));

            ResearchResult result = runner.research(ResearchTask.of("R8", "console:carol", "What is on that page?"),
                    Settings.generousBudget(), RunContext.detached());

            ToolCall fetch = (ToolCall) result.transcript().get(1);
            assertThat(fetch.status()).isEqualTo(ToolCall.Status.REFUSED);
            assertThat(fetch.result()).isEqualTo("The host '127.0.0.1' is not on Quorum's allowlist for fetch_url, "
                    + "so it was not fetched. Allowed hosts: docs.example.com.");
            assertThat(model.toolResultsIn(1).getFirst()).contains(fetch.result());
            assertThat(web.requestCount()).isZero();
            assertThat(result.sources()).isEmpty();
        }
    }

    @Test
    void anAllowedPageAndArxivPapersBecomeNumberedSources() throws Exception {
        try (FakeOpenAiServer model = FakeOpenAiServer.start();
             FakeHttpServer web = FakeHttpServer.start();
             AgentRunner runner = AgentRunner.start(Settings.agents(Settings.openAi(model), folders,
                     Set.of("127.0.0.1"), URI.create(web.origin() + "/api/query")))) {
            web.enqueue(Reply.raw(200, "text/html; charset=utf-8",
                    "<html><head><title>Raft</title></head><body><p>Leaders &amp; followers.</p>"
                            + "<script>steal()</script></body></html>"))
                    .enqueue(Reply.raw(200, "application/atom+xml", ArxivFeeds.TWO_ENTRIES));
            model.enqueue(toolCalls(call("fetch_url", "{\"url\":\"" + web.origin() + "/raft\"}"),
                            call("search_arxiv", "{\"query\":\"consensus raft\"}")))
                    .enqueue(text("Raft has leaders [1]; see also [2] and [3]."));

            ResearchResult result = runner.research(ResearchTask.of("R11", "console:carol", "How does Raft work?"),
                    Settings.generousBudget(), RunContext.detached());

            assertThat(result.sources()).extracting(Source::line).containsExactly(
                    "[1] " + web.origin() + "/raft — Raft",
                    "[2] http://arxiv.org/abs/1234.5678v1 — In Search of an Understandable Consensus Algorithm",
                    "[3] http://arxiv.org/abs/2345.6789v2 — Paxos Made Simple");
            assertThat(result.unverifiedCitations()).isEmpty();
            assertThat(model.toolResultsIn(1).getFirst()).contains("Leaders & followers.").doesNotContain("steal");
            assertThat(web.received().get(1).query())
                    .isEqualTo("search_query=all%3Aconsensus+AND+all%3Araft&start=0&max_results=5");
        }
    }

    @Test
    void withNoModelConfiguredResearchAnswersFromRetrievalAloneAndSaysSo() throws Exception {
        try (AgentRunner runner = AgentRunner.start(Settings.agents(null, folders))) {
            ResearchResult result = runner.research(ResearchTask.of("R12", "console:alice", "rollback release tag"),
                    Settings.generousBudget(), RunContext.detached());

            assertThat(result.retrievalOnly()).isTrue();
            assertThat(result.outcome()).isEqualTo(new RunOutcome.Completed());
            assertThat(result.report()).isEqualTo("- Rollback uses the previous release tag. [1]\n\n"
                    + RetrievalReport.RETRIEVAL_ONLY + "\n\n"
                    + "[1] docs/deploy.md, lines 3–4\n"
                    + "Staging deploys run scripts/deploy.sh after one approval from an engineer.\n"
                    + "Rollback uses the previous release tag.\n\n"
                    + "Sources\n[1] docs/deploy.md:1-5 — Deploying to staging");
            assertThat(result.report()).doesNotContain("sk-secret");
            assertThat(result.usage()).isEqualTo(Usage.NONE);
        }
    }

    @Test
    void researchReadFileRefusesEscapesAndHiddenFiles() throws Exception {
        try (FakeOpenAiServer model = FakeOpenAiServer.start();
             AgentRunner runner = AgentRunner.start(Settings.agents(Settings.openAi(model), folders))) {
            model.enqueue(toolCalls(call("read_file", "{\"path\":\"docs/../../etc/passwd\"}"),
                            call("read_file", "{\"path\":\"docs/.env\"}"),
                            call("read_file", "{\"path\":\"/etc/passwd\"}"),
                            call("read_file", "{\"path\":\"config/quorum.yaml\"}")))
                    .enqueue(text("Nothing readable."));

            ResearchResult result = runner.research(ResearchTask.of("R13", "console:mallory", "show secrets"),
                    Settings.generousBudget(), RunContext.detached());

            assertThat(result.transcript()).filteredOn(ToolCall.class::isInstance)
                    .extracting(e -> ((ToolCall) e).result()).containsExactly(
                            "'../../etc/passwd' leaves the knowledge folder docs (through '..'); only paths inside it "
                                    + "are allowed.",
                            "'docs/.env' is a hidden file; hidden files are not readable.",
                            "'/etc/passwd' is an absolute path; give a path such as 'docs/README.md' as search_docs "
                                    + "shows it.",
                            "'config/quorum.yaml' is not in a knowledge folder; paths start with one of: docs.");
            assertThat(String.join("\n", model.toolResultsIn(1))).doesNotContain("sk-secret");
        }
    }

    @Test
    void callingTheRunnerFromAnEventLoopIsRefusedRatherThanBlockingIt() throws Exception {
        Vertx vertx = Vertx.vertx();
        try (AgentRunner runner = AgentRunner.start(Settings.agents(null, folders))) {
            CompletableFuture<Throwable> refused = new CompletableFuture<>();
            vertx.runOnContext(v -> {
                try {
                    runner.research(ResearchTask.of("R14", "console:alice", "deploy"), Settings.generousBudget(),
                            RunContext.detached());
                    refused.complete(null);
                } catch (IllegalStateException e) {
                    refused.complete(e);
                }
            });

            assertThat(refused.get(5, TimeUnit.SECONDS)).hasMessage("AgentRunner blocks until the run ends: call it "
                    + "from a virtual thread, not from an event loop");
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        }
    }
}
