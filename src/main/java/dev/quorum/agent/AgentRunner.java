package dev.quorum.agent;

import dev.langchain4j.model.chat.ChatModel;
import dev.quorum.agent.arxiv.ArxivClient;
import dev.quorum.agent.coding.CodingTools;
import dev.quorum.agent.coding.TestRunPort;
import dev.quorum.agent.loop.AgentLoop;
import dev.quorum.agent.loop.LoopRequest;
import dev.quorum.agent.loop.LoopResult;
import dev.quorum.agent.model.ChatModelFactory;
import dev.quorum.agent.model.ModelSettings;
import dev.quorum.agent.model.RetryingModelCaller;
import dev.quorum.agent.research.CheckedReport;
import dev.quorum.agent.research.Citations;
import dev.quorum.agent.research.KnowledgeFiles;
import dev.quorum.agent.research.ResearchTools;
import dev.quorum.agent.research.RetrievalReport;
import dev.quorum.agent.research.Source;
import dev.quorum.agent.research.SourceLedger;
import dev.quorum.agent.search.DocsIndex;
import dev.quorum.agent.search.Passage;
import dev.quorum.agent.workspace.CodingWorkspace;
import dev.quorum.repo.DiffStat;
import dev.quorum.agent.web.UrlFetcher;
import io.vertx.core.Context;
import java.io.IOException;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agents' front door: {@link #research} and {@link #code} run one request each, blocking the calling thread
 * until it ends. Call them from a virtual thread per request, never from an event loop (they refuse).
 *
 * <p>Thread-safe: hundreds of runs may call one runner at once; a {@link ConcurrencyGate} lets
 * {@link AgentSettings#maxConcurrentRuns()} of them execute and queues the rest in arrival order. Runs never throw for
 * model, tool or budget trouble: the result's {@link RunOutcome} says what happened.
 */
public final class AgentRunner implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AgentRunner.class);
    private static final int RETRIEVAL_ONLY_PASSAGES = 5;
    private static final int MAX_SUMMARY_CHARS = 4_000;

    /** The one message a coding request gets when no model is configured. */
    public static final String NO_MODEL_MESSAGE = "Coding needs a model, and none is configured. Set OPENAI_API_KEY "
            + "(optionally OPENAI_BASE_URL for Ollama, vLLM or LM Studio, and QUORUM_MODEL), or ANTHROPIC_API_KEY, "
            + "or add a model: section to config/quorum.yaml, then restart Quorum.";

    private final AgentSettings settings;
    private final AgentLoop loop;
    private final DocsIndex index;
    private final KnowledgeFiles knowledgeFiles;
    private final UrlFetcher fetcher;
    private final ArxivClient arxiv;
    private final ConcurrencyGate gate;

    private AgentRunner(AgentSettings settings, AgentLoop loop, DocsIndex index) {
        this.settings = settings;
        this.loop = loop;
        this.index = index;
        this.knowledgeFiles = KnowledgeFiles.of(settings.knowledgeFolders());
        this.fetcher = UrlFetcher.create(settings.fetch());
        this.arxiv = new ArxivClient(HttpClient.newBuilder().connectTimeout(settings.fetch().timeout()).build(),
                settings.arxivApi(), settings.fetch().timeout(), 5);
        this.gate = new ConcurrencyGate(settings.maxConcurrentRuns());
    }

    /**
     * Builds the model client (if configured) and opens the docs index.
     *
     * @throws IOException when the index directory cannot be opened
     */
    public static AgentRunner start(AgentSettings settings) throws IOException {
        AgentLoop loop = settings.modelSettings().map(AgentRunner::loopFor).orElse(null);
        DocsIndex index = settings.indexDirectory() == null
                ? DocsIndex.inMemory(settings.knowledgeFolders(), settings.index())
                : DocsIndex.onDisk(settings.indexDirectory(), settings.knowledgeFolders(), settings.index());
        return new AgentRunner(settings, loop, index);
    }

    private static AgentLoop loopFor(ModelSettings model) {
        ChatModel chatModel = ChatModelFactory.create(model);
        return new AgentLoop(RetryingModelCaller.forSettings(chatModel, model), model.modelName(), model::priceOf);
    }

    public boolean modelConfigured() {
        return loop != null;
    }

    /** Runs waiting for a slot and running now, for status and metrics. */
    public ConcurrencyGate gate() {
        return gate;
    }

    /** The docs index research searches, e.g. to rescan at start-up. */
    public DocsIndex docsIndex() {
        return index;
    }

    /**
     * Answers a research question with a cited report, or, with no model configured, with the best passages of the
     * team's documents, saying plainly that it did.
     */
    public ResearchResult research(ResearchTask task, Budget budget, RunContext context) {
        refuseEventLoop();
        Optional<ConcurrencyGate.Slot> slot = gate.enter(context.cancel());
        if (slot.isEmpty()) {
            context.report(task.requestId(), "cancelled");
            return new ResearchResult(task.requestId(), new RunOutcome.Cancelled(), "Cancelled before it started.",
                    List.of(), List.of(), false, Usage.NONE, List.of());
        }
        try (ConcurrencyGate.Slot held = slot.get()) {
            ResearchResult result = loop == null ? retrievalOnly(task, context) : researchWithModel(task, budget, context);
            context.report(task.requestId(), finalStatus(result.outcome()));
            return result;
        }
    }

    /**
     * Does a coding task in {@code workspace} (a checkout on its {@code quorum/<id>} branch) and commits the work on
     * that branch however the run ends. With no model configured, refuses with {@link #NO_MODEL_MESSAGE} and leaves the
     * workspace untouched. The caller keeps ownership of the workspace and closes it.
     */
    public CodingResult code(CodingTask task, Budget budget, CodingWorkspace workspace, TestRunPort tests,
                             RunContext context) {
        refuseEventLoop();
        if (loop == null) {
            context.report(task.requestId(), "refused: no model configured");
            return new CodingResult(task.requestId(), new RunOutcome.Refused(NO_MODEL_MESSAGE), NO_MODEL_MESSAGE,
                    workspace.branch(), workspace.baseCommit(), workspace.baseCommit(), DiffStat.EMPTY, null,
                    Usage.NONE, List.of());
        }
        Optional<ConcurrencyGate.Slot> slot = gate.enter(context.cancel());
        if (slot.isEmpty()) {
            context.report(task.requestId(), "cancelled");
            return new CodingResult(task.requestId(), new RunOutcome.Cancelled(), "Cancelled before it started.",
                    workspace.branch(), workspace.baseCommit(), workspace.baseCommit(), DiffStat.EMPTY, null,
                    Usage.NONE, List.of());
        }
        try (ConcurrencyGate.Slot held = slot.get()) {
            CodingTools tools = new CodingTools(task.requestId(), workspace, tests, settings.coding());
            LoopResult run = runLoop(new LoopRequest(task.requestId(), SystemPrompts.CODING,
                    requesterMessages(task.requestId(), task.requester(), task.task(), task.followUps()),
                    tools.toolbox(), budget, context));
            // An interrupt (the caller's process is stopping) must not cost the work: git writes through
            // interruptible channels, so commit with the flag cleared and hand it back afterwards.
            boolean interrupted = Thread.interrupted();
            CodingResult result = finishCoding(task, workspace, tools, run, context);
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            context.report(task.requestId(), finalStatus(result.outcome()));
            return result;
        }
    }

    @Override
    public void close() throws IOException {
        index.close();
    }

    private ResearchResult researchWithModel(ResearchTask task, Budget budget, RunContext context) {
        ResearchTools tools = new ResearchTools(index, knowledgeFiles, fetcher, arxiv);
        LoopResult run = runLoop(new LoopRequest(task.requestId(), SystemPrompts.RESEARCH,
                requesterMessages(task.requestId(), task.requester(), task.question(), task.followUps()),
                tools.toolbox(), budget, context));
        SourceLedger ledger = tools.sources();
        String body = switch (run.outcome()) {
            case RunOutcome.Completed c -> run.text().orElse("The model returned an empty report.");
            case RunOutcome.Failed f -> "Research failed: " + f.message();
            default -> "Research " + run.outcome().describe() + " before the report was finished."
                    + run.text().map(t -> "\n\nThe model's last words:\n" + t).orElse("");
        };
        CheckedReport checked = Citations.check(body, ledger);
        String report = checked.text();
        if (!(run.outcome() instanceof RunOutcome.Completed) && checked.cited().isEmpty() && !ledger.all().isEmpty()) {
            report += "\n\nSources found so far\n" + String.join("\n", ledger.all().stream().map(Source::line).toList());
        }
        return new ResearchResult(task.requestId(), run.outcome(), report, ledger.all(), checked.unverified(), false,
                run.usage(), run.transcript());
    }

    private ResearchResult retrievalOnly(ResearchTask task, RunContext context) {
        context.report(task.requestId(), "searching docs (no model configured)");
        SourceLedger ledger = new SourceLedger();
        List<Passage> passages;
        try {
            passages = index.search(task.question(), RETRIEVAL_ONLY_PASSAGES);
        } catch (IOException e) {
            LOG.warn("{}: docs search failed", task.requestId(), e);
            String message = "The docs index could not be searched: " + e.getMessage();
            return new ResearchResult(task.requestId(), new RunOutcome.Failed(message), message, List.of(), List.of(),
                    true, Usage.NONE, List.of());
        }
        CheckedReport checked = Citations.check(RetrievalReport.write(task.question(), passages, ledger), ledger);
        return new ResearchResult(task.requestId(), new RunOutcome.Completed(), checked.text(), ledger.all(),
                checked.unverified(), true, Usage.NONE, List.of());
    }

    private CodingResult finishCoding(CodingTask task, CodingWorkspace workspace, CodingTools tools, LoopResult run,
                                      RunContext context) {
        context.report(task.requestId(), "committing");
        RunOutcome outcome = run.outcome();
        String modelText = run.text().map(t -> t.length() <= MAX_SUMMARY_CHARS ? t
                : t.substring(0, MAX_SUMMARY_CHARS) + " …").orElse(null);
        String commitSha;
        DiffStat stat;
        try {
            workspace.commitAll(commitMessage(task, outcome, modelText));
            commitSha = workspace.headCommit();
            stat = workspace.diffStat();
        } catch (IOException | RuntimeException e) {
            LOG.error("{}: could not commit the work on {}", task.requestId(), workspace.branch(), e);
            String message = "The work could not be committed on " + workspace.branch() + ": " + e.getMessage()
                    + ". The files are still in the workspace.";
            return new CodingResult(task.requestId(), new RunOutcome.Failed(message), message, workspace.branch(),
                    workspace.baseCommit(), workspace.baseCommit(), DiffStat.EMPTY,
                    tools.latestEvidence().orElse(null), run.usage(), run.transcript());
        }
        String summary = switch (outcome) {
            case RunOutcome.Completed c -> modelText != null ? modelText
                    : "Finished without a summary; committed on " + workspace.branch() + ": " + stat.gitSummary() + ".";
            default -> "Stopped before finishing (" + outcome.describe() + "). The work so far is committed on "
                    + workspace.branch() + ": " + stat.gitSummary() + "."
                    + (modelText == null ? "" : "\nThe model's last words: " + modelText);
        };
        return new CodingResult(task.requestId(), outcome, summary, workspace.branch(), workspace.baseCommit(),
                commitSha, stat, tools.latestEvidence().orElse(null), run.usage(), run.transcript());
    }

    /** The loop never throws for model or tool trouble; this catches our own bugs so the work is still committed. */
    private LoopResult runLoop(LoopRequest request) {
        try {
            return loop.run(request);
        } catch (RuntimeException e) {
            LOG.error("{}: the agent loop failed", request.requestId(), e);
            return new LoopResult(new RunOutcome.Failed("Quorum's agent hit an internal error ("
                    + e.getClass().getSimpleName() + "); the work so far is kept."), null, Usage.NONE, List.of());
        }
    }

    private static String commitMessage(CodingTask task, RunOutcome outcome, String modelText) {
        String firstLine = task.task().strip().lines().findFirst().orElse("");
        String subject = "quorum " + task.requestId() + ": "
                + (firstLine.length() <= 60 ? firstLine : firstLine.substring(0, 60) + "…");
        return subject + "\n\nRequested by " + task.requester() + "; run " + outcome.describe() + "."
                + (modelText == null ? "" : "\n\n" + modelText) + "\n";
    }

    private static List<String> requesterMessages(String requestId, String requester, String text,
                                                  List<String> followUps) {
        List<String> messages = new ArrayList<>();
        messages.add("Request " + requestId + " from " + requester + ":\n" + text);
        followUps.forEach(f -> messages.add("Later message from " + requester + ", the requester:\n" + f));
        return messages;
    }

    private static String finalStatus(RunOutcome outcome) {
        return switch (outcome) {
            case RunOutcome.Completed c -> "done";
            default -> outcome.describe();
        };
    }

    private static void refuseEventLoop() {
        if (Context.isOnEventLoopThread()) {
            throw new IllegalStateException("AgentRunner blocks until the run ends: call it from a virtual thread, "
                    + "not from an event loop");
        }
    }
}
