package dev.quorum.action;

import dev.quorum.approval.ActionRecord;
import dev.quorum.approval.ApprovalService;
import dev.quorum.approval.SubjectCheck;
import dev.quorum.approval.Tally;
import dev.quorum.audit.AuditLog;
import dev.quorum.conversation.Messenger;
import dev.quorum.conversation.Reply;
import dev.quorum.command.Times;
import dev.quorum.request.Cancellation;
import dev.quorum.request.Delivery;
import dev.quorum.request.FreezeSwitch;
import dev.quorum.request.JobHandler;
import dev.quorum.request.Request;
import dev.quorum.request.RequestState;
import dev.quorum.request.RequestType;
import dev.quorum.request.Requests;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

/**
 * Executes an approved action, once. Queued by the atomic tally in the same step that moved the
 * request to {@code executing}; here it waits out any freeze, takes the target's lock, checks
 * the subject has not moved (else the request goes stale), and hands over to the executor.
 */
public final class ExecuteJob implements JobHandler {
    public static final String KIND = "execute";
    private static final Duration LOCK_WAIT = Duration.ofMinutes(30);

    private final Requests requests;
    private final ApprovalService approvals;
    private final SubjectCheck check;
    private final FreezeSwitch freeze;
    private final TargetLock locks;
    private final MergeExecutor merges;
    private final DeployExecutor deploys;
    private final Messenger messenger;
    private final AuditLog audit;

    public ExecuteJob(Requests requests, ApprovalService approvals, SubjectCheck check, FreezeSwitch freeze, TargetLock locks,
                      MergeExecutor merges, DeployExecutor deploys, Messenger messenger, AuditLog audit) {
        this.requests = requests;
        this.approvals = approvals;
        this.check = check;
        this.freeze = freeze;
        this.locks = locks;
        this.merges = merges;
        this.deploys = deploys;
        this.messenger = messenger;
        this.audit = audit;
    }

    @Override
    public void run(Delivery delivery, Request request, Cancellation cancel) throws Exception {
        if (request.state() != RequestState.EXECUTING) return;
        ActionRecord a = approvals.store().find(request.id()).orElseThrow(() -> new IllegalStateException(request.id() + " executes without an action record"));
        if (freeze.isFrozen()) {
            approvals.refreshCard(request.id()); // the card says it waits for unfreeze, not that it executes
            while (freeze.isFrozen()) Thread.sleep(1000); // "while frozen nothing executes"; the job stays ours (heartbeats)
            approvals.refreshCard(request.id());
        }
        String lock = request.type() == RequestType.MERGE ? "merge:" + a.subject().repo() + ":" + a.subject().target()
                : "deploy:" + a.subject().target();
        try (TargetLock.Held held = locks.acquire(lock, LOCK_WAIT, cancel)) {
            Request r = requests.find(request.id()).orElseThrow();
            if (r.state() != RequestState.EXECUTING) return;
            String approvers = String.join(", ", Tally.of(a.policy(), approvals.store().votes(r.id())).approvers());
            // Before the subject check: a merge that landed before Quorum died has moved its target, and is done, not stale
            Optional<Execution> earlier = r.type() == RequestType.MERGE ? merges.earlier(r, a) : Optional.empty();
            if (earlier.isPresent()) {
                finish(r, a, earlier.get(), approvers);
                return;
            }
            Optional<String> stale = check.whyStale(r, a.subject());
            if (stale.isPresent()) {
                approvals.markStale(r, stale.get());
                return;
            }
            Execution result = r.type() == RequestType.MERGE
                    ? merges.execute(r, a, approvers, held)
                    : deploys.execute(r, a, held, cancel);
            finish(r, a, unguarded(result, held, a), approvers);
        } catch (TimeoutException e) {
            String other = request.type() == RequestType.MERGE ? "another merge into `" + a.subject().target() + "`"
                    : "another deploy to " + a.subject().target();
            requests.move(request, RequestState.FAILED, "quorum", "could not start within " + Times.span(LOCK_WAIT) + ": "
                    + other + " was still executing");
        }
    }

    /**
     * An execution that lost its lock while it ran was stopped (its cancellation fired) or finished without the lock
     * guarding it: a failure is reported as that loss, with the target to check, since another execution may have
     * started on it meanwhile. A success or a stale subject says what happened regardless.
     */
    private static Execution unguarded(Execution result, TargetLock.Held held, ActionRecord a) {
        Optional<String> lost = held.lost();
        if (lost.isEmpty() || !(result instanceof Execution.Failed(String summary, String output))) return result;
        return new Execution.Failed("stopped, because " + lost.get() + "; check " + a.subject().target()
                + " before trying again.", output);
    }

    private void finish(Request r, ActionRecord a, Execution result, String approvers) {
        switch (result) {
            case Execution.Stale stale -> {
                audit.append("execution", "quorum", r.id(), AuditLog.details("action", r.type().wire(), "outcome", "stale",
                        "why", stale.why(), "subject_digest", a.subject().digest()));
                approvals.markStale(r, stale.why());
            }
            case Execution.Done done -> end(r, a, RequestState.DONE, "Done: ", done.summary() + " Approved by " + approvers + ".",
                    done.output(), approvers, done.loud() ? Reply.Tone.WARNING : Reply.Tone.SUCCESS, done.note());
            case Execution.Failed failed -> end(r, a, RequestState.FAILED, "Failed: ", failed.summary(), failed.output(),
                    approvers, Reply.Tone.ERROR, "");
        }
    }

    private void end(Request r, ActionRecord a, RequestState state, String prefix, String summary, String output, String approvers,
                     Reply.Tone tone, String note) {
        var details = AuditLog.details("action", r.type().wire(), "outcome", state.wire(),
                "summary", summary, "subject_digest", a.subject().digest(), "approved_by", approvers);
        if (!note.isEmpty()) details.put("note", note);
        audit.append("execution", "quorum", r.id(), details);
        if (requests.move(r, state, "quorum", summary).isEmpty()) return;
        Reply reply = Reply.text(prefix + r.id() + " — " + summary).withTone(tone).about(r.id());
        if (!output.isBlank()) reply = reply.withFields(List.of(new Reply.Field("output", tail(output))));
        messenger.post(r.origin(), reply); // the move above redrew the card
    }

    private static String tail(String output) {
        return output.length() <= 1500 ? output : "…" + output.substring(output.length() - 1500);
    }
}
