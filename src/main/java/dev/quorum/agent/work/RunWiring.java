package dev.quorum.agent.work;

import dev.quorum.agent.CancelToken;
import dev.quorum.agent.ProgressListener;
import dev.quorum.agent.RunContext;
import dev.quorum.agent.TranscriptSink;
import dev.quorum.agent.transcript.ModelCall;
import dev.quorum.evidence.Redactor;
import dev.quorum.request.Cancellation;
import dev.quorum.request.Request;
import dev.quorum.request.RequestProgress;
import dev.quorum.request.RequestStore;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Connects one attempt of an agent run to the request: {@code cancel <id>} (from any instance) stops it, its status
 * lines edit the request's progress message (redacted: they name the paths, URLs and queries the model chose), every
 * transcript entry is stored as it happens (redacted by the store), and each model call's cost is added to the
 * request. Thread-safe.
 */
public final class RunWiring {
    private final RequestProgress progress;
    private final RequestStore requests;
    private final AgentRunStore store;
    private final Redactor redactor;

    public RunWiring(RequestProgress progress, RequestStore requests, AgentRunStore store, Redactor redactor) {
        this.progress = progress;
        this.requests = requests;
        this.store = store;
        this.redactor = redactor;
    }

    /**
     * The run's context; close it when the run ends, to forget the cancel hook. When another instance took over the
     * request meanwhile (this one stalled past the reclaim period, so its job was reclaimed), the run is stopped at
     * its next step and {@link Wired#superseded()} turns true: only the newest attempt may end the request.
     */
    Wired wire(Request r, int attempt, Cancellation cancel) {
        CancelToken token = new CancelToken();
        AtomicBoolean superseded = new AtomicBoolean();
        Runnable fence = () -> {
            if (store.latestAttempt(r.id()) > attempt && superseded.compareAndSet(false, true)) token.cancel();
        };
        Cancellation.Registration hook = cancel.onCancel(token::cancel);
        TranscriptSink sink = (id, entry) -> {
            fence.run();
            store.appendTranscript(id, entry, attempt);
            if (entry instanceof ModelCall call) {
                store.addModelCall(id, call.inputTokens(), call.outputTokens(), call.cost());
                requests.addCost(id, call.cost().doubleValue());
            }
        };
        ProgressListener listener = (id, status) -> {
            fence.run();
            progress.update(r, redactor.redact(status));
        };
        return new Wired(new RunContext(token, listener, sink), hook, superseded);
    }

    /** A run's context, the hook that links it to the job's cancellation, and whether a newer attempt took over. */
    record Wired(RunContext context, Cancellation.Registration hook, AtomicBoolean supersededFlag)
            implements AutoCloseable {
        boolean superseded() {
            return supersededFlag.get();
        }

        @Override
        public void close() {
            hook.close();
        }
    }
}
