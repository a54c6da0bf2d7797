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
 * The request lifecycle as the rest of Quorum uses it: open, queue, move between states. Every
 * change is written to the audit log with who caused it, and logged in one INFO line for the
 * operator ({@code R7 merge by alice: verifying -> awaiting_approval}). Thread-safe; blocking.
 */
public final class Requests {
    private static final Logger LOG = LoggerFactory.getLogger(Requests.class);
    private final RequestStore store;
    private final AuditLog audit;
    private final WorkQueue queue;
    private final Clock clock;
    private final List<Consumer<Request>> listeners = new CopyOnWriteArrayList<>();

    public Requests(RequestStore store, AuditLog audit, WorkQueue queue, Clock clock) {
        this.store = store;
        this.audit = audit;
        this.queue = queue;
        this.clock = clock;
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

    /** Records a new request asked for by the message's sender. */
    public Request open(RequestType type, IncomingMessage from, String text, String rerunOf) {
        Request r = store.create(type, from.sender(), from.displayName(), from.where(), text, rerunOf, clock.instant());
        audit.append("request.created", from.sender().toString(), r.id(),
                AuditLog.details("type", type.wire(), "text", text, "rerun_of", rerunOf == null ? "" : rerunOf,
                        "channel", from.where().adapter() + ":" + from.where().channel()));
        LOG.info("{}: new -> {}", who(r), r.state().wire());
        changed(r);
        return r;
    }

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
     * @return the updated request, or empty when the request had already left {@code r.state()}
     * @throws IllegalTransitionException when the lifecycle forbids the change
     */
    public Optional<Request> move(Request r, RequestState to, String actor, String reason) {
        Map<String, String> fields = new LinkedHashMap<>();
        if (reason != null && to.isTerminal()) fields.put(isSuccess(to) ? "summary" : "reason", reason);
        boolean moved = store.transition(r, r.state(), to, fields, clock.instant());
        if (!moved) return Optional.empty();
        return moved(r, r.state(), to, actor, reason);
    }

    /**
     * Records a change already made, by this class or by another capability's atomic script
     * (votes, expiry): audits it, logs it and tells the listeners.
     *
     * @param r the request as it was before the change (its id, type and requester are used)
     * @return the request as it is now, or empty when it no longer exists
     */
    public Optional<Request> moved(Request r, RequestState from, RequestState to, String actor, String reason) {
        audit.append("request.state", actor, r.id(),
                AuditLog.details("from", from.wire(), "to", to.wire(), "reason", reason == null ? "" : reason));
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
        if (r.state() == RequestState.QUEUED) return move(r, working, "quorum", null);
        if (r.state() == working && delivery.redelivered()) return Optional.of(r);
        return Optional.empty();
    }

    private static boolean isSuccess(RequestState s) {
        return s == RequestState.SUCCEEDED || s == RequestState.DONE;
    }
}
