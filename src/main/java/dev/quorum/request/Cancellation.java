package dev.quorum.request;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A request to stop one job (a test run, an agent run, a verification), queued or running. Whoever started the run keeps it and may call
 * {@link #cancel} from any thread, including an event loop: it only wakes the run (taking at most
 * a short internal lock) and the run's own thread then kills the process tree. Cancelling twice keeps the first reason. Thread-safe.
 */
public final class Cancellation {

    private final AtomicReference<String> reason = new AtomicReference<>();
    private final CopyOnWriteArrayList<Runnable> actions = new CopyOnWriteArrayList<>();

    /**
     * Asks the run to stop.
     *
     * @param reason who or what cancelled, shown in the evidence, e.g. {@code by console:alice}
     */
    public void cancel(String reason) {
        Objects.requireNonNull(reason, "reason");
        if (this.reason.compareAndSet(null, reason)) {
            actions.forEach(Runnable::run);
        }
    }

    public boolean isCancelled() {
        return reason.get() != null;
    }

    /** Why it was cancelled, empty while it was not. */
    public Optional<String> reason() {
        return Optional.ofNullable(reason.get());
    }

    /**
     * Runs {@code action} once on cancellation, at once if already cancelled. The action must be
     * quick and must not block. Closing the returned registration forgets the action.
     */
    public Registration onCancel(Runnable action) {
        AtomicBoolean ran = new AtomicBoolean();
        Runnable once = () -> {
            if (ran.compareAndSet(false, true)) {
                action.run();
            }
        };
        actions.add(once);
        if (isCancelled()) {
            once.run(); // cancelled before we registered: cancel() may not have seen us
        }
        return () -> actions.remove(once);
    }

    /** A registered cancellation action; closing it unregisters. */
    public interface Registration extends AutoCloseable {
        @Override
        void close();
    }
}
