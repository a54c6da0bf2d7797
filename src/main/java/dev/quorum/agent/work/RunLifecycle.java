package dev.quorum.agent.work;

import dev.quorum.agent.Budget;
import dev.quorum.command.Reruns;
import dev.quorum.conversation.Links;
import dev.quorum.conversation.Conversation;
import dev.quorum.conversation.Messenger;
import dev.quorum.conversation.Reply;
import dev.quorum.evidence.Redactor;
import dev.quorum.request.Cancellation;
import dev.quorum.request.Delivery;
import dev.quorum.request.FreezeSwitch;
import dev.quorum.request.Request;
import dev.quorum.request.RequestProgress;
import dev.quorum.request.RequestState;
import dev.quorum.request.Requests;
import dev.quorum.insights.RunClaims;
import dev.quorum.agent.RunOutcome;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where an agent request's state changes happen, the same for research and coding: starting (or waiting while Quorum
 * is frozen), resuming after a dead worker, handing over when this instance stops, and ending with the final progress
 * status and the reply. Every ending goes through {@link #end}, which masks every secret Quorum knows in the text the
 * request keeps and in the reply it posts. Thread-safe; blocking.
 */
public final class RunLifecycle {
    /** A request whose worker died this many times is failed rather than attempted again (it may be what kills it). */
    static final int MAX_ATTEMPTS = 3;

    private static final Logger LOG = LoggerFactory.getLogger(RunLifecycle.class);

    private final Requests requests;
    private final FreezeSwitch freeze;
    private final RequestProgress progress;
    private final Messenger messenger;
    private final Links links;
    private final AgentRunStore store;
    private final AgentConfiguration configuration;
    private final Redactor redactor;

    public RunLifecycle(Requests requests, FreezeSwitch freeze, RequestProgress progress, Messenger messenger, Links links,
                 AgentRunStore store, AgentConfiguration configuration, Redactor redactor) {
        this.requests = requests;
        this.freeze = freeze;
        this.progress = progress;
        this.messenger = messenger;
        this.links = links;
        this.store = store;
        this.configuration = configuration;
        this.redactor = redactor;
    }

    /**
     * What a delivery of {@code job} means: a queued request starts, unless Quorum is frozen (then it waits for
     * {@code unfreeze}); a running one whose worker died (the job was reclaimed) or stopped (handed over) is resumed;
     * anything else (cancelled or ended meanwhile) needs nothing. A request this Quorum cannot run (it asks for a model
     * this Quorum is not configured with) or whose budget earlier attempts used up is failed here.
     */
    Optional<Attempt> begin(Delivery delivery, Request r, String job) {
        if (r.state() == RequestState.QUEUED && waitsForUnfreeze(r, job)) return Optional.empty();
        // A run handed over by a stopping instance is taken over like one whose worker died.
        boolean handedOver = r.state() == RequestState.RUNNING && store.takeHandedOver(r.id());
        Optional<Request> running = requests.begin(r, RequestState.RUNNING,
                handedOver ? new Delivery(delivery.entryId(), delivery.job(), true) : delivery);
        if (running.isEmpty()) return Optional.empty();
        int number = store.nextAttempt(r.id());
        if (number > 1 && !resuming(r, number)) return Optional.empty();
        Map<String, String> inputs = requests.store().inputs(r.id());
        RunSettings settings = RunSettings.fromInputs(inputs);
        return budgetFor(running.get(), settings)
                .map(budget -> new Attempt(running.get(), number, inputs, settings, budget));
    }

    private boolean resuming(Request r, int attempt) {
        if (attempt > MAX_ATTEMPTS) {
            fail(r, "the Quorum instance running it stopped " + (attempt - 1) + " times (a crash or a restart each "
                    + "time), so Quorum gave up on it. " + Reruns.again(r.id()));
            return false;
        }
        LOG.info("{}: resuming, attempt {}, after its worker stopped", r.id(), attempt);
        progress.update(r, "resuming (attempt " + attempt + "): the Quorum instance running it stopped");
        return true;
    }

    /**
     * The budget this attempt may use: the request's, less what earlier attempts used. Empty when the request cannot
     * run here or nothing is left; it is failed then.
     */
    private Optional<Budget> budgetFor(Request r, RunSettings settings) {
        Optional<String> refusal = configuration.cannotRun(settings);
        if (refusal.isPresent()) {
            fail(r, refusal.get());
            return Optional.empty();
        }
        return switch (store.usage(r.id()).remainingOf(settings.budget())) {
            case UsageSoFar.Remaining.Left left -> Optional.of(left.budget());
            case UsageSoFar.Remaining.UsedUp usedUp -> {
                fail(r, usedUp.outcome().describe() + " before its worker stopped");
                yield Optional.empty();
            }
        };
    }

    /** While frozen no agent starts: the request stays queued and {@link #requeueAfterUnfreeze} queues it again. */
    private boolean waitsForUnfreeze(Request r, String job) {
        if (!freeze.isFrozen()) {
            return false;
        }
        store.waitForUnfreeze(r.id(), job);
        if (freeze.isFrozen()) {
            progress.update(r, "waiting: Quorum is frozen; it starts after `unfreeze`");
            return true;
        }
        return !store.stopWaiting(r.id(), job); // unfrozen meanwhile: start, unless the unfreeze already queued it
    }

    /** Queues again every request that waited for the freeze to end (on any instance). */
    public void requeueAfterUnfreeze() {
        for (var waiting : store.waitingForUnfreeze()) {
            String id = waiting.getKey();
            String job = waiting.getValue();
            if (!store.stopWaiting(id, job)) continue;
            requests.find(id).filter(r -> r.state() == RequestState.QUEUED).ifPresent(r -> {
                progress.update(r, "queued: Quorum is no longer frozen");
                requests.enqueue(r, job);
            });
        }
    }

    /**
     * True when this instance is stopping under the run: the worker pool interrupts its jobs on shutdown, while a
     * {@code cancel} arrives as a cancellation. Clears the interrupt, so that the run can still be handed over.
     */
    static boolean instanceStopping(Cancellation cancel) {
        return Thread.interrupted() && !cancel.isCancelled();
    }

    /**
     * Whether someone else ends the request rather than this attempt: a newer attempt that took over (this instance
     * stalled past the reclaim period), or, when this instance is stopping, whichever instance takes the job next:
     * the request stays running and its job goes back on the queue, marked to be resumed.
     */
    boolean leftToOthers(Attempt a, String job, RunWiring.Wired wired, boolean stopping) {
        Request r = a.request();
        if (wired.superseded()) {
            LOG.info("{}: attempt {} was superseded by a newer attempt; leaving the request to it", r.id(), a.number());
            return true;
        }
        if (!stopping) {
            return false;
        }
        LOG.info("{}: Quorum is stopping; handing the run over to another instance", r.id());
        store.markHandedOver(r.id());
        progress.update(r, "Quorum is restarting; another instance resumes it");
        requests.enqueue(r, job);
        return true;
    }

    /** Fails a running request before or instead of a run; {@code reason} is one sentence without the id. */
    void fail(Request r, String reason) {
        end(r, RequestState.FAILED, reason, Reply.error(r.id() + " failed: " + reason + "."));
    }

    /**
     * Moves the request to its end and tells the thread, once: the progress message shows the end state and
     * {@code reply} is posted (with the console link). Nothing is posted if another worker ended it first.
     *
     * @param text the summary of a success, else the reason
     */
    void end(Request r, RequestState to, String text, Reply reply) {
        Optional<Request> ended = requests.move(r, to, "quorum", redact(text));
        if (ended.isEmpty()) {
            LOG.info("{} had already left {}; not ending it as {}", r.id(), r.state().wire(), to.wire());
            return;
        }
        progress.finish(ended.get(), to.wire(), toneOf(to));
        Reply masked = new Reply(redact(reply.text()), reply.tone(), reply.fields().stream()
                .map(f -> new Reply.Field(redact(f.label()), redact(f.value()))).toList(), reply.buttons(), reply.link(),
                reply.requestId());
        messenger.post(r.origin(), masked.withLink(links.requestLink(r.id())).about(r.id()));
    }

    /** Notes for the insights how a run ended (its claim, Quorum's verdict on its final commit, a budget stop), just before {@link #end}. */
    void noteEnding(Request r, RunOutcome outcome, String finalMessage, Optional<Boolean> evidencePassed) {
        String budget = outcome instanceof RunOutcome.BudgetExhausted b ? b.kind().label() : null;
        new RunClaims(requests.store()).record(r.id(), finalMessage, evidencePassed, budget);
    }

    /** The address of the request's page in the console, where its whole record is. */
    String page(String id) {
        return links.request(id);
    }

    /**
     * {@code text} with every secret Quorum knows masked. A reply that cuts a long text (a report for chat) masks it
     * with this before the cut, so that a secret across the cut is still seen whole.
     */
    String redact(String text) {
        return redactor.redact(text);
    }

    static Reply.Tone toneOf(RequestState state) {
        return switch (state) {
            case SUCCEEDED -> Reply.Tone.SUCCESS;
            case CANCELLED -> Reply.Tone.WARNING;
            default -> Reply.Tone.ERROR;
        };
    }

    /** Whether the request's conversation shows long text whole (no platform limit on it: the console). */
    boolean showsWholeText(Conversation where) {
        return messenger.limits(where).textPart() == Integer.MAX_VALUE;
    }
}
