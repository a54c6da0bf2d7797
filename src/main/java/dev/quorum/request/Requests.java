package dev.quorum.request;

import dev.quorum.audit.AuditLog;
import dev.quorum.conversation.IncomingMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The request lifecycle as the rest of Quorum uses it: submit, move between states. Every change
 * writes its audit entry, with who caused it, in the same atomic step that makes it (to the audit
 * outbox, sealed into the chain right after, or by the next drain if this instance dies first), and
 * is logged in one INFO line for the operator ({@code R7 merge by alice: verifying -> awaiting_approval}).
 * Thread-safe; blocking.
 */
public final class Requests {
    private static final Logger LOG = LoggerFactory.getLogger(Requests.class);
    private final RequestStore store;
    private final AuditLog audit;
    private final WorkQueue queue;
    private final Clock clock;
    private final int maxQueuedJobs;
    private final List<Consumer<Request>> listeners = new CopyOnWriteArrayList<>();

    /** Requests with no cap on the queue. */
    public Requests(RequestStore store, AuditLog audit, WorkQueue queue, Clock clock) {
        this(store, audit, queue, clock, 0);
    }

    /** @param maxQueuedJobs {@code limits.max_queued_jobs}: a submission past it is refused (0: no cap) */
    public Requests(RequestStore store, AuditLog audit, WorkQueue queue, Clock clock, int maxQueuedJobs) {
        this.store = store;
        this.audit = audit;
        this.queue = queue;
        this.clock = clock;
        this.maxQueuedJobs = maxQueuedJobs;
    }

    /** Told of every new request and every state change, after it is stored (e.g. to refresh live views). */
    public void onChange(Consumer<Request> listener) {
        listeners.add(listener);
    }

    /** Announces a change made elsewhere (an atomic script) to the listeners. */
    public void changed(Request r) {
        for (Consumer<Request> l : listeners) {
            try {
                l.accept(r);
            } catch (RuntimeException e) {
                LOG.warn("A request listener failed: {}", e.toString());
            }
        }
    }

    public RequestStore store() {
        return store;
    }

    public Clock clock() {
        return clock;
    }

    /**
     * Opens a request with its inputs, its audit entry and its job in one atomic step, then posts its
     * progress message. If Quorum dies between the two, the job still runs and its first progress
     * update posts the message.
     *
     * @throws QueueFullException when {@code limits.max_queued_jobs} jobs are queued: nothing was written
     */
    public Request submit(Submission s, RequestProgress progress) {
        IncomingMessage from = s.from();
        Request r = store.create(s.type(), from.sender(), from.displayName(), from.where(), s.text(), s.rerunOf(), clock.instant(),
                s.inputs(), s.job(), maxQueuedJobs);
        created(r);
        try {
            progress.open(r, s.status());
        } catch (RuntimeException e) { // the request and its job are stored: the worker's first update posts the message
            LOG.warn("Could not post the progress message of {}: {}", r.id(), e.toString());
        }
        return r;
    }

    /** Records a new request asked for by the message's sender, with no inputs and no job (a fixture; commands {@link #submit}). */
    public Request open(RequestType type, IncomingMessage from, String text, String rerunOf) {
        Request r = store.create(type, from.sender(), from.displayName(), from.where(), text, rerunOf, clock.instant());
        created(r);
        return r;
    }

    private void created(Request r) {
        sealOutbox();
        LOG.info("{}: new -> {}", who(r), r.state().wire());
        changed(r);
    }

    /**
     * Seals the audit entries changes left in the outbox. A failure here loses nothing: the change is
     * made, its entry waits in the outbox, and the next drain (any instance's, every few seconds) takes it.
     */
    private void sealOutbox() {
        try {
            audit.drain();
        } catch (RuntimeException e) {
            LOG.warn("Could not seal the audit outbox now; its entries wait for the next drain: {}", e.toString());
        }
    }

    /** Queues another job for an existing request (a resumed or continued run); a new request is {@link #submit}ted with its job. */
    public void enqueue(Request r, String kind) {
        queue.enqueue(new Job(r.id(), kind));
    }

    public Optional<Request> find(String id) {
        return store.find(id);
    }

    /**
     * Moves the request from the state it is in to {@code to}, if nobody else moved it first.
     *
     * @param actor  who caused the change ({@code quorum} for Quorum itself)
     * @param reason why, shown to users and audited; an ending keeps it as its {@code summary}
     *               (succeeded, done) or {@code reason} (every other ending); may be {@code null}
     * @return the updated request, or empty when the request had already left {@code r.state()} or {@code r} is ended
     * @throws IllegalTransitionException when the lifecycle forbids the change from a state that is not an ending
     */
    public Optional<Request> move(Request r, RequestState to, String actor, String reason) {
        // A copy read after someone else ended the request (a job's own copy, re-read as the watcher of a pull request
        // failed it): it was moved first, which is no programming error for the lifecycle to throw on
        if (r.state().isTerminal()) return Optional.empty();
        Map<String, String> fields = new LinkedHashMap<>();
        if (reason != null && to.isTerminal()) fields.put(isSuccess(to) ? "summary" : "reason", reason);
        boolean moved = store.transition(r, r.state(), to, fields, clock.instant(), actor, reason);
        if (!moved) return Optional.empty();
        return moved(r, r.state(), to, actor, reason);
    }

    /**
     * Records a change already made, by this class or by another capability's atomic script
     * (votes, expiry), which wrote its audit entry to the outbox: seals it, logs the change and tells
     * the listeners.
     *
     * @param r the request as it was before the change (its id, type and requester are used)
     * @return the request as it is now, or empty when it no longer exists
     */
    public Optional<Request> moved(Request r, RequestState from, RequestState to, String actor, String reason) {
        sealOutbox();
        if (reason == null || reason.isBlank()) LOG.info("{}: {} -> {}", who(r), from.wire(), to.wire());
        else LOG.info("{}: {} -> {} ({})", who(r), from.wire(), to.wire(), oneLine(reason));
        Optional<Request> updated = store.find(r.id());
        updated.ifPresent(this::changed);
        return updated;
    }

    /** {@code R7 merge by alice}: the requester by the name replies use, their identity only when there is none. */
    private static String who(Request r) {
        String name = r.requesterName() == null || r.requesterName().isBlank() ? r.requester().id() : r.requesterName();
        return r.id() + " " + r.type().wire() + " by " + oneLine(name);
    }

    /**
     * A reason as one log line: reasons may quote a test's output or a model's words, and a line
     * break in them would let that text forge log lines of its own.
     */
    private static String oneLine(String s) {
        String flat = s.replaceAll("[\\p{Cntrl}\\u0085\\u2028\\u2029]+", " ").strip();
        return flat.length() <= 300 ? flat : flat.substring(0, 299) + "…";
    }

    /**
     * Starts work on a job: a queued request moves to {@code working}; one already in
     * {@code working} whose job was redelivered (its worker died) is taken over as it is.
     *
     * @return the request to work on, or empty when it was cancelled or finished meanwhile
     */
    public Optional<Request> begin(Request r, RequestState working, Delivery delivery) {
        // as re-read after the move: ended meanwhile (cancelled, or failed by a pull request's change), it is not worked on
        if (r.state() == RequestState.QUEUED) return move(r, working, "quorum", null).filter(now -> now.state() == working);
        if (r.state() == working && delivery.redelivered()) return Optional.of(r);
        return Optional.empty();
    }

    private static boolean isSuccess(RequestState s) {
        return s == RequestState.SUCCEEDED || s == RequestState.DONE;
    }
}
