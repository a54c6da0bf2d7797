package dev.quorum.agent;

import static dev.quorum.agent.testing.FakeOpenAiServer.call;
import static dev.quorum.agent.testing.FakeOpenAiServer.text;
import static dev.quorum.agent.testing.FakeOpenAiServer.toolCalls;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quorum.agent.coding.TestRunPort;
import dev.quorum.agent.model.ModelPrice;
import dev.quorum.agent.testing.FakeHttpServer.Reply;
import dev.quorum.agent.testing.FakeOpenAiServer;
import dev.quorum.agent.testing.GitRepos;
import dev.quorum.agent.testing.Settings;
import dev.quorum.agent.transcript.ModelCall;
import dev.quorum.agent.workspace.CodingWorkspace;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BudgetAndCancelTest {

    @TempDir
    Path repo;

    private final FakeOpenAiServer model = FakeOpenAiServer.start();
    private String base;

    private static final TestRunPort NO_TESTS = (id, dir, commit) -> {
        throw new AssertionError("tests were not asked for");
    };

    @BeforeEach
    void setUp() throws Exception {
        base = GitRepos.createWithBranch(repo, Map.of("README.md", "# Demo\n"), "quorum/R3");
    }

    @AfterEach
    void tearDown() {
        model.close();
    }

    /** The fake model writes file n on its nth call, forever, each call costing the given tokens. */
    private void writeFilesForever(int promptTokens, int completionTokens) {
        model.respondWith(request -> {
            int n = (int) request.json().getJsonArray("messages").stream()
                    .filter(m -> "assistant".equals(((JsonObject) m).getString("role"))).count() + 1;
            return toolCalls(promptTokens, completionTokens, call("write_file",
                    new JsonObject().put("path", "notes/" + n + ".txt").put("content", "note " + n + "\n").encode()));
        });
    }

    private CodingResult run(AgentRunner runner, Budget budget, RunContext context) throws Exception {
        try (CodingWorkspace workspace = CodingWorkspace.open(repo, "main", CodingWorkspace.Committer.QUORUM)) {
            return runner.code(CodingTask.of("R3", "console:bob", "write notes"), budget, workspace, NO_TESTS, context);
        }
    }

    private RevCommit head() throws Exception {
        try (Git git = Git.open(repo.toFile())) {
            return git.log().setMaxCount(1).call().iterator().next();
        }
    }

    @Test
    void reachingTheModelCallBudgetStopsTheRunAndCommitsTheWorkSoFar() throws Exception {
        writeFilesForever(100, 20);
        try (AgentRunner runner = AgentRunner.start(Settings.agents(Settings.openAi(model), List.of()))) {
            CodingResult result = run(runner, new Budget(2, 1_000_000, Duration.ofMinutes(1), BigDecimal.TEN),
                    RunContext.detached());

            assertThat(result.outcome()).isEqualTo(new RunOutcome.BudgetExhausted(BudgetKind.MODEL_CALLS, "2 calls"));
            assertThat(model.requestCount()).isEqualTo(2);
            assertThat(result.diffStat().gitSummary()).isEqualTo("2 files changed, 2 insertions(+), 0 deletions(-)");
            assertThat(result.commitSha()).isEqualTo(head().name()).isNotEqualTo(base);
            assertThat(head().getFullMessage()).startsWith("quorum R3: write notes\n\nRequested by console:bob; "
                    + "run stopped: the model calls budget (2 calls) was reached.");
            assertThat(result.summary()).isEqualTo("Stopped before finishing (stopped: the model calls budget "
                    + "(2 calls) was reached). The work so far is committed on quorum/R3: 2 files changed, "
                    + "2 insertions(+), 0 deletions(-).");
        }
    }

    @Test
    void reachingTheTokenBudgetStopsTheRunAfterTheCallThatCrossedIt() throws Exception {
        writeFilesForever(500, 100);
        try (AgentRunner runner = AgentRunner.start(Settings.agents(Settings.openAi(model), List.of()))) {
            CodingResult result = run(runner, new Budget(50, 1_000, Duration.ofMinutes(1), BigDecimal.TEN),
                    RunContext.detached());

            assertThat(result.outcome()).isEqualTo(new RunOutcome.BudgetExhausted(BudgetKind.TOKENS, "1000 tokens"));
            assertThat(result.usage().modelCalls()).isEqualTo(2);
            assertThat(result.usage().totalTokens()).isEqualTo(1_200);
            assertThat(result.diffStat().filesChanged()).isEqualTo(2);
            assertThat(result.commitSha()).isEqualTo(head().name());
        }
    }

    @Test
    void reachingTheCostBudgetStopsTheRunPricedByTheModelsPriceTable() throws Exception {
        writeFilesForever(100_000, 10_000);
        var settings = Settings.openAi(model)
                .withPrices(Map.of(FakeOpenAiServer.MODEL, ModelPrice.of("2.50", "10.00")));
        try (AgentRunner runner = AgentRunner.start(Settings.agents(settings, List.of()))) {
            // each call: 0.1 M in × $2.50 + 0.01 M out × $10 = $0.35; $1.00 allows three calls
            CodingResult result = run(runner, new Budget(50, 100_000_000, Duration.ofMinutes(1), new BigDecimal("1.00")),
                    RunContext.detached());

            assertThat(result.outcome()).isEqualTo(new RunOutcome.BudgetExhausted(BudgetKind.COST, "$1.00"));
            assertThat(result.usage().cost()).isEqualByComparingTo("1.05");
            assertThat(result.transcript()).filteredOn(ModelCall.class::isInstance)
                    .extracting(e -> ((ModelCall) e).cost()).allSatisfy(c -> assertThat(c).isEqualByComparingTo("0.35"));
            assertThat(result.diffStat().filesChanged()).isEqualTo(3);
        }
    }

    @Test
    void runningOutOfTimeStopsTheRunWithTheTimeBudget() throws Exception {
        model.respondWith(request -> toolCalls(call("list_files", "{\"path\":\".\"}")).delayedBy(150));
        try (AgentRunner runner = AgentRunner.start(Settings.agents(Settings.openAi(model), List.of()))) {
            CodingResult result = run(runner, new Budget(50, 1_000_000, Duration.ofMillis(400), BigDecimal.TEN),
                    RunContext.detached());

            assertThat(result.outcome()).isEqualTo(new RunOutcome.BudgetExhausted(BudgetKind.TIME, "400 ms"));
            assertThat(result.usage().modelCalls()).isBetween(1, 4);
        }
    }

    @Test
    void cancellingBetweenStepsStopsTheRunAndStillCommitsItsWork() throws Exception {
        writeFilesForever(100, 20);
        CancelToken cancel = new CancelToken();
        RunContext context = new RunContext(cancel, (id, status) -> {
            if (status.equals("editing notes/2.txt")) {
                cancel.cancel();
            }
        }, TranscriptSink.NONE);
        try (AgentRunner runner = AgentRunner.start(Settings.agents(Settings.openAi(model), List.of()))) {
            CodingResult result = run(runner, Settings.generousBudget(), context);

            assertThat(result.outcome()).isEqualTo(new RunOutcome.Cancelled());
            assertThat(model.requestCount()).isEqualTo(2);
            assertThat(result.diffStat().files()).extracting(f -> f.path())
                    .containsExactly("notes/1.txt", "notes/2.txt");
            assertThat(result.commitSha()).isEqualTo(head().name());
        }
    }

    @Test
    void aModelThatKeepsFailingEndsTheRunAsFailedWithTheMessageAndKeepsTheWork() throws Exception {
        model.enqueue(toolCalls(call("write_file", "{\"path\":\"a.txt\",\"content\":\"a\\n\"}")))
                .enqueue(Reply.status(500, "{}")).enqueue(Reply.status(502, "<html>")).enqueue(Reply.status(503, "{}"));
        try (AgentRunner runner = AgentRunner.start(Settings.agents(Settings.openAi(model), List.of()))) {
            CodingResult result = run(runner, Settings.generousBudget(), RunContext.detached());

            assertThat(result.outcome()).isEqualTo(new RunOutcome.Failed("The model call failed after 3 attempts: "
                    + "server error (HTTP 500), then server error (HTTP 502), then server error (HTTP 503). "
                    + "Try again later, or check the model server."));
            assertThat(model.requestCount()).isEqualTo(4);
            assertThat(result.diffStat().files()).extracting(f -> f.path()).containsExactly("a.txt");
            assertThat(result.transcript().getLast().kind()).isEqualTo("model_call_failure");
        }
    }

    @Test
    void withNoModelConfiguredCodingIsRefusedWithHowToConfigureOne() throws Exception {
        try (AgentRunner runner = AgentRunner.start(Settings.agents(null, List.of()))) {
            CodingResult result = run(runner, Settings.generousBudget(), RunContext.detached());

            assertThat(result.outcome()).isEqualTo(new RunOutcome.Refused(AgentRunner.NO_MODEL_MESSAGE));
            assertThat(result.summary()).contains("OPENAI_API_KEY", "OPENAI_BASE_URL", "QUORUM_MODEL",
                    "ANTHROPIC_API_KEY", "config/quorum.yaml");
            assertThat(result.commitSha()).isEqualTo(base);
            assertThat(head().name()).isEqualTo(base);
        }
    }
}
