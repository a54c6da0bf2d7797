package dev.quorum.request;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A cancel signal for one running job. Work checks {@link #isCancelled()} between steps, or
 * registers a callback that stops a child process at once. Thread-safe.
 */
public final class Cancellation {
    private volatile String reason;
    private final List<Runnable> callbacks = new CopyOnWriteArrayList<>();

    /** Signals cancellation; the first reason wins; callbacks run once, on the caller's thread. */
    public void cancel(String why) {
        synchronized (this) {
            if (reason != null) return;
            reason = why == null ? "cancelled" : why;
        }
        callbacks.forEach(Runnable::run);
    }

    public boolean isCancelled() {
        return reason != null;
    }

    /** Why it was cancelled, or {@code null}. */
    public String reason() {
        return reason;
    }

    /** Runs {@code r} on cancellation, or now if already cancelled. */
    public void onCancel(Runnable r) {
        callbacks.add(r);
        if (isCancelled() && callbacks.remove(r)) r.run();
    }
}
