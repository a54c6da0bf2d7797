package dev.quorum.agent.work;

import dev.quorum.agent.AgentRunner;
import dev.quorum.agent.CodingResult;
import dev.quorum.agent.CodingTask;
import dev.quorum.agent.RunOutcome;
import dev.quorum.agent.coding.TestEvidence;
import dev.quorum.agent.workspace.CodingWorkspace;
import dev.quorum.conversation.Links;
import dev.quorum.conversation.Reply;
import dev.quorum.config.QuorumConfig;
import dev.quorum.evidence.EvidenceCapability.Evidence;
import dev.quorum.evidence.TestTarget;
import dev.quorum.evidence.TestTargets;
import dev.quorum.repo.Sha;
import dev.quorum.request.Cancellation;
import dev.quorum.request.Delivery;
import dev.quorum.request.JobHandler;
import dev.quorum.request.Request;
import dev.quorum.request.RequestProgress;
import dev.quorum.request.RequestState;
import dev.quorum.request.RequestStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@code code} request: clones the repository on branch {@code quorum/<id>} at the request's base commit (or
 * where an earlier attempt left the branch), lets the coding agent work with Quorum's evidence runner as its
 * {@code run_tests()}, pushes the branch however the run ends, tests the final commit itself when the agent edited
 * after its last test run, and posts the diff stat, summary, evidence line and {@code merge} hint. On a host with pull
 * requests the pushed branch is opened (or updated) as a draft pull request, whose link the reply gives.
 */
public final class CodeJob implements JobHandler {
    /** The job kind on the work queue. */
    public static final String KIND = "code";

    private static final Logger LOG = LoggerFactory.getLogger(CodeJob.class);

    private final QuorumConfig config;
    private final Clock clock;
    private final RequestProgress progress;
    private final AgentRunner runner;
    private final Evidence evidence;
    private final Path workspaces;
    private final AgentRunStore store;
    private final RunLifecycle lifecycle;
    private final RunWiring wiring;
    private final DraftPullRequests drafts;

    public CodeJob(QuorumConfig config, Clock clock, RequestProgress progress, AgentRunner runner, Evidence evidence,
            Path workspaces, AgentRunStore store, RunLifecycle lifecycle, RunWiring wiring, RequestStore requests, Links links) {
        this.config = config;
        this.clock = clock;
        this.progress = progress;
        this.runner = runner;
        this.evidence = evidence;
        this.workspaces = workspaces;
        this.store = store;
        this.lifecycle = lifecycle;
        this.wiring = wiring;
        this.drafts = new DraftPullRequests(requests, links, lifecycle::redact);
    }

    @Override
    public void run(Delivery delivery, Request request, Cancellation cancel) {
        Optional<Attempt> attempt = lifecycle.begin(delivery, request, KIND);
        if (attempt.isEmpty()) return;
        Attempt a = attempt.get();
        Request r = a.request();
        Map<String, String> in = a.inputs();
        String repo = in.get("repo");
        Optional<TestTarget> target = evidence.targets().of(repo).filter(t -> config.repos().containsKey(repo));
        if (target.isEmpty()) {
            lifecycle.fail(r, "repo " + repo + " is no longer configured");
            return;
        }
        String base = in.get("base_commit");
        try (BranchCheckout checkout = BranchCheckout.create(workspaces.resolve(r.id() + "-" + a.number()), target.get().host(),
                CodingWorkspace.BRANCH_PREFIX + r.id(), new Sha(base));
             CodingWorkspace workspace = CodingWorkspace.open(checkout.dir(), base, CodingWorkspace.Committer.QUORUM);
             RunWiring.Wired wired = wiring.wire(r, a.number(), cancel)) {
            List<String> notes = Collections.synchronizedList(new ArrayList<>()); // the agent's tools may run on its own threads
            String defaultBranch = TestTargets.defaultBranch(config, repo);
            Runnable firstPush = once(() -> drafts.working(target.get().host(), r, in.get("task"), defaultBranch,
                    CodingWorkspace.BRANCH_PREFIX + r.id()).ifPresent(notes::add));
            EvidenceTestRuns tests = new EvidenceTestRuns(checkout, target.get(), evidence.service(), evidence.store(),
                    evidence.checks(), firstPush, cancel, status -> progress.update(r, status), clock);
            CodingResult result = runner.code(CodingTask.of(r.id(), r.requester().toString(), in.get("task")),
                    a.budget(), workspace, tests, wired.context());
            boolean stopping = RunLifecycle.instanceStopping(cancel);
            if (wired.superseded()) {
                lifecycle.leftToOthers(a, KIND, wired, stopping); // the newer attempt owns the branch now
                return;
            }
            if (changed(result)) checkout.push(); // the work is kept however the run ended
            if (lifecycle.leftToOthers(a, KIND, wired, stopping)) return;
            Optional<TestEvidence> tested = result.evidenceForFinalCommit();
            if (tested.isEmpty() && changed(result) && worthTesting(result.outcome())) {
                progress.update(r, "running the tests on the final commit");
                tested = Optional.of(tests.runTests(r.id(), checkout.dir(), result.commitSha()));
            }
            store.saveResult(r.id(), record(result, tested, repo, a.settings(), r.id()));
            tests.checkTrouble().ifPresent(t -> notes.add(Character.toUpperCase(t.charAt(0)) + t.substring(1) + "."));
            if (changed(result)) drafts.finished(target.get().host(), r, in.get("task"), defaultBranch, result, tested).ifPresent(notes::add);
            end(r, result, tested, cancel, repo, notes);
        } catch (IOException e) {
            LOG.warn("{}: the coding workspace failed", r.id(), e);
            lifecycle.fail(r, "Quorum could not prepare or publish the branch: " + e.getMessage());
        }
    }

    /** {@code action} the first time the result is run, nothing after: the draft is opened at the first push only. */
    private static Runnable once(Runnable action) {
        AtomicBoolean done = new AtomicBoolean();
        return () -> {
            if (done.compareAndSet(false, true)) action.run();
        };
    }

    private static boolean changed(CodingResult result) {
        return !result.commitSha().equals(result.baseCommit());
    }

    /** A cancelled or failed run is left untested: the requester wanted it to stop, or something is broken. */
    private static boolean worthTesting(RunOutcome outcome) {
        return outcome instanceof RunOutcome.Completed || outcome instanceof RunOutcome.BudgetExhausted;
    }

    private RunRecords.Coding record(CodingResult result, Optional<TestEvidence> tested, String repo,
                                     RunSettings settings, String id) {
        return new RunRecords.Coding(KIND, RunRecords.outcome(result.outcome()), result.outcome().describe(),
                result.summary(), repo, result.branch(), result.baseCommit(), result.commitSha(), result.diffStat(),
                tested.map(RunRecords.EvidenceLine::of).orElse(null), changed(result) ? "merge " + id : null,
                store.usage(id), settings.model().map(ModelChoice::describe).orElse("none"), settings.describeBudget());
    }

    /** How a coding request ends: the state, the summary or reason it keeps, and the reply's tone. */
    private record Ending(RequestState state, String text, Reply.Tone tone) {}

    /** @param notes lines the reply adds: the draft pull request's link, a check that could not be posted */
    private void end(Request r, CodingResult result, Optional<TestEvidence> tested, Cancellation cancel, String repo, List<String> notes) {
        String kept = changed(result) ? "; the work so far is on " + result.branch() : "";
        boolean passed = tested.map(TestEvidence::passed).orElse(true);
        Ending ending = switch (result.outcome()) {
            case RunOutcome.Completed c when cancel.isCancelled() -> new Ending(RequestState.CANCELLED, // during the last test run
                    cancel.reason().orElse("cancelled") + kept, Reply.Tone.WARNING);
            case RunOutcome.Completed c when passed -> new Ending(RequestState.SUCCEEDED,
                    (changed(result) ? result.diffStat().gitSummary() + " on " + result.branch() : "no files changed")
                            + tested.map(e -> " · " + e.line()).orElse(""), Reply.Tone.SUCCESS);
            case RunOutcome.Completed c -> new Ending(RequestState.FAILED,
                    "the tests fail on the final commit: " + tested.orElseThrow().line() + kept, Reply.Tone.ERROR);
            case RunOutcome.Cancelled c -> new Ending(RequestState.CANCELLED,
                    cancel.reason().orElse("cancelled") + kept, Reply.Tone.WARNING);
            case RunOutcome.BudgetExhausted b -> new Ending(RequestState.FAILED, b.describe() + kept, Reply.Tone.WARNING);
            case RunOutcome.Failed f -> new Ending(RequestState.FAILED, f.describe() + kept, Reply.Tone.ERROR);
            case RunOutcome.Refused f -> new Ending(RequestState.FAILED, f.message(), Reply.Tone.ERROR);
        };
        String untested = switch (result.outcome()) {
            case RunOutcome.Cancelled c -> "the run was cancelled";
            case RunOutcome.Failed f -> "the run failed";
            default -> "nothing changed";
        };
        lifecycle.noteEnding(r, result.outcome(), result.summary(), tested.map(TestEvidence::passed));
        lifecycle.end(r, ending.state(), ending.text(), AgentReplies.coding(r.id(), result, tested, untested,
                TestTargets.defaultBranch(config, repo), ending.tone(), lifecycle::redact, notes));
    }
}
