package dev.quorum.agent;

import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A request to stop one run. The run checks it between steps (before each model call, between tool calls, while
 * backing off, while queued for a slot) and then stops gracefully: a coding run still commits its work.
 *
 * <p>Thread-safe: {@link #cancel()} is meant to be called from any thread (a chat handler), once or many times.
 */
public final class CancelToken {

    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final CopyOnWriteArrayList<Runnable> listeners = new CopyOnWriteArrayList<>();

    /** A token nobody will cancel, for callers without a cancel command. */
    public static CancelToken none() {
        return new CancelToken();
    }

    /** Asks the run to stop; idempotent. Listeners registered so far run on the calling thread. */
    public void cancel() {
        if (cancelled.compareAndSet(false, true)) {
            listeners.forEach(Runnable::run);
        }
    }

    public boolean isCancelled() {
        return cancelled.get();
    }

    /**
     * Runs {@code listener} on cancel (at once if already cancelled). Returns a handle that unregisters it; used by
     * the run to wake a thread that waits for a slot.
     */
    Registration onCancel(Runnable listener) {
        listeners.add(listener);
        if (cancelled.get() && listeners.remove(listener)) {
            listener.run();
        }
        return () -> listeners.remove(listener);
    }

    /** Unregisters a cancel listener. */
    interface Registration extends AutoCloseable {
        @Override
        void close();
    }
}
