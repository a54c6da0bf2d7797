package dev.quorum.agent;

import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Bounds how many runs execute at once; the rest wait in arrival order (a fair semaphore). Waiting blocks the calling
 * thread, which must be a virtual or worker thread, never an event loop. A cancel while waiting ends the wait.
 *
 * <p>Thread-safe.
 */
public final class ConcurrencyGate {

    private final int limit;
    private final Semaphore permits;

    public ConcurrencyGate(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("agents.max_concurrent_runs is " + limit + ": it must be 1 or more");
        }
        this.limit = limit;
        this.permits = new Semaphore(limit, true);
    }

    /** A slot held by one run; closing it frees the slot (closing again does nothing). */
    @FunctionalInterface
    public interface Slot extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Waits for a slot.
     *
     * @return the slot, or empty when {@code cancel} fired (or the thread was interrupted) while waiting
     */
    public Optional<Slot> enter(CancelToken cancel) {
        if (cancel.isCancelled()) {
            return Optional.empty();
        }
        Thread waiter = Thread.currentThread();
        boolean acquired = false;
        try (CancelToken.Registration wake = cancel.onCancel(waiter::interrupt)) {
            permits.acquire();
            acquired = true;
        } catch (InterruptedException e) {
            if (!cancel.isCancelled()) {
                waiter.interrupt(); // not ours: keep the flag for whoever interrupted
            }
            return Optional.empty();
        } finally {
            if (acquired && cancel.isCancelled()) {
                Thread.interrupted(); // our wake-up may have landed after the acquire; the run sees the cancel itself
            }
        }
        AtomicBoolean open = new AtomicBoolean(true);
        return Optional.of(() -> {
            if (open.compareAndSet(true, false)) {
                permits.release();
            }
        });
    }

    public int limit() {
        return limit;
    }

    /** Runs holding a slot now. */
    public int running() {
        return limit - permits.availablePermits();
    }

    /** Runs waiting for a slot now (an estimate, as the JDK gives it). */
    public int waiting() {
        return permits.getQueueLength();
    }
}
