package dev.quorum.agent.work;

import dev.quorum.agent.AgentRunner;
import dev.quorum.agent.ResearchResult;
import dev.quorum.agent.ResearchTask;
import dev.quorum.agent.RunOutcome;
import dev.quorum.conversation.Reply;
import dev.quorum.request.Cancellation;
import dev.quorum.request.Delivery;
import dev.quorum.request.JobHandler;
import dev.quorum.request.Request;
import dev.quorum.request.RequestState;
import java.util.List;
import java.util.Optional;

/**
 * Runs a {@code research} request: refreshes the repos' copies for the docs index, runs the research agent with the
 * request's stored settings, keeps the whole report, and posts it with checked citations: whole in the console, cut
 * for other chat adapters.
 */
public final class ResearchJob implements JobHandler {
    /** The job kind on the work queue. */
    public static final String KIND = "research";

    private final AgentRunner runner;
    private final RepoSnapshots snapshots;
    private final AgentRunStore store;
    private final RunLifecycle lifecycle;
    private final RunWiring wiring;

    public ResearchJob(AgentRunner runner, RepoSnapshots snapshots, AgentRunStore store, RunLifecycle lifecycle,
                       RunWiring wiring) {
        this.runner = runner;
        this.snapshots = snapshots;
        this.store = store;
        this.lifecycle = lifecycle;
        this.wiring = wiring;
    }

    @Override
    public void run(Delivery delivery, Request request, Cancellation cancel) {
        Optional<Attempt> attempt = lifecycle.begin(delivery, request, KIND);
        if (attempt.isEmpty()) return;
        Attempt a = attempt.get();
        Request r = a.request();
        snapshots.refresh();
        ResearchResult result;
        try (RunWiring.Wired wired = wiring.wire(r, a.number(), cancel)) {
            result = runner.research(new ResearchTask(r.id(), r.requester().toString(), a.inputs().get("question"),
                    List.of()), a.budget(), wired.context());
            boolean stopping = RunLifecycle.instanceStopping(cancel);
            if (lifecycle.leftToOthers(a, KIND, wired, stopping)) return;
        }
        store.saveResult(r.id(), new RunRecords.Research(KIND, RunRecords.outcome(result.outcome()),
                result.outcome().describe(), result.retrievalOnly(), result.report(),
                result.sources().stream().map(RunRecords.SourceLine::of).toList(), result.unverifiedCitations(),
                store.usage(r.id()), a.settings().model().map(ModelChoice::describe).orElse("none (retrieval only)"),
                a.settings().describeBudget()));
        end(r, result, cancel);
    }

    private void end(Request r, ResearchResult result, Cancellation cancel) {
        RequestState state = switch (result.outcome()) {
            case RunOutcome.Completed c -> RequestState.SUCCEEDED;
            case RunOutcome.Cancelled c -> RequestState.CANCELLED;
            case RunOutcome.BudgetExhausted b -> RequestState.FAILED;
            case RunOutcome.Failed f -> RequestState.FAILED;
            case RunOutcome.Refused f -> RequestState.FAILED;
        };
        String text = switch (result.outcome()) {
            case RunOutcome.Completed c -> summary(result);
            case RunOutcome.Cancelled c -> cancel.reason().orElse("cancelled");
            default -> result.outcome().describe();
        };
        Reply.Tone tone = state == RequestState.SUCCEEDED && !result.unverifiedCitations().isEmpty()
                ? Reply.Tone.WARNING : RunLifecycle.toneOf(state);
        lifecycle.noteEnding(r, result.outcome(), null, Optional.empty());
        lifecycle.end(r, state, text, AgentReplies.research(r.id(), result, tone, lifecycle::redact, lifecycle.showsWholeText(r.origin()),
                lifecycle.page(r.id())));
    }

    /** The one line history shows: what kind of report it is and how many sources back it. */
    private static String summary(ResearchResult result) {
        int unverified = result.unverifiedCitations().size();
        return (result.retrievalOnly() ? "retrieval only (no model): " : "report: ") + result.sources().size()
                + (result.sources().size() == 1 ? " source" : " sources")
                + (unverified == 0 ? "" : ", " + unverified + " unverified citation" + (unverified == 1 ? "" : "s"));
    }
}
