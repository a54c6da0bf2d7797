package dev.quorum.evidence;

import dev.quorum.request.Cancellation;

import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntConsumer;

/**
 * Lets at most {@code slots} runs go at once; the others wait in first-come order and learn their
 * position as it changes. Thread-safe; waiting blocks the caller (meant for virtual threads).
 */
final class RunQueue {

    private final int slots;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Object> waiting = new ArrayDeque<>();
    private int running;

    RunQueue(int slots) {
        this.slots = slots;
    }

    /** A held slot; closing it (once or more) lets the next run go. */
    interface Slot extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Waits for a slot.
     *
     * @param onPosition told the 1-based queue position whenever it changes, on the caller's
     *                   thread, without any lock held; not called when a slot is free at once
     * @return the slot, or empty when {@code cancellation} was cancelled first
     * @throws InterruptedException when the caller is interrupted while waiting (it leaves the queue)
     */
    Optional<Slot> acquire(Cancellation cancellation, IntConsumer onPosition) throws InterruptedException {
        Object ticket = new Object();
        int lastPosition = 0;
        Cancellation.Registration wakeOnCancel = cancellation.onCancel(this::wakeAll);
        try {
            lock.lock();
            try {
                waiting.addLast(ticket);
                while (true) {
                    if (cancellation.isCancelled()) {
                        leave(ticket);
                        return Optional.empty();
                    }
                    int position = positionOf(ticket);
                    if (position == 1 && running < slots) {
                        waiting.removeFirst();
                        running++;
                        changed.signalAll(); // the next in line may have a slot too
                        AtomicBoolean released = new AtomicBoolean();
                        return Optional.of(() -> {
                            if (released.compareAndSet(false, true)) {
                                release();
                            }
                        });
                    }
                    if (position != lastPosition) {
                        lastPosition = position;
                        lock.unlock(); // listeners may be slow; the loop re-checks everything after
                        try {
                            onPosition.accept(position);
                        } finally {
                            lock.lock();
                        }
                        continue;
                    }
                    changed.await();
                }
            } catch (InterruptedException e) {
                leave(ticket);
                throw e;
            } finally {
                lock.unlock();
            }
        } finally {
            wakeOnCancel.close();
        }
    }

    /** Runs waiting right now; for tests and status displays. */
    int waitingCount() {
        lock.lock();
        try {
            return waiting.size();
        } finally {
            lock.unlock();
        }
    }

    private void release() {
        lock.lock();
        try {
            running--;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void leave(Object ticket) {
        waiting.remove(ticket);
        changed.signalAll(); // those behind move up
    }

    private void wakeAll() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private int positionOf(Object ticket) {
        int position = 1;
        for (Object t : waiting) {
            if (t == ticket) {
                return position;
            }
            position++;
        }
        throw new IllegalStateException("ticket left the queue without leaving acquire");
    }
}
