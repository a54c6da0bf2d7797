package dev.quorum.evidence;

import dev.quorum.request.Cancellation;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RunQueueTest {

    private static void awaitWaiting(RunQueue queue, int count) throws InterruptedException {
        while (queue.waitingCount() != count) {
            Thread.sleep(5);
        }
    }

    /**
     * Each waiter hears its own positions in order; what the three hear relative to each other is
     * up to the scheduler (they are told on their own threads, outside the lock), so it is not
     * asserted. Each step waits until the waiters heard the last one: a slot frees only once B and
     * C heard they moved up (B, first in line, would otherwise take a slot it found free without
     * being told it was first), and B keeps its slot until C heard it is first.
     */
    @Test
    void waitersMoveUpWhenOneAheadLeavesAndGetSlotsInArrivalOrder() throws Exception {
        RunQueue queue = new RunQueue(1);
        RunQueue.Slot busy = queue.acquire(new Cancellation(), position -> { }).orElseThrow();
        Map<String, List<Integer>> heard = new ConcurrentHashMap<>();
        List<String> served = new CopyOnWriteArrayList<>();
        Cancellation leaver = new Cancellation();
        CountDownLatch bMayLeave = new CountDownLatch(1);

        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            threads.submit(() -> queue.acquire(leaver, p -> hear(heard, "A", p)));
            awaitWaiting(queue, 1);
            Future<?> b = threads.submit(() -> {
                RunQueue.Slot slot = queue.acquire(new Cancellation(), p -> hear(heard, "B", p)).orElseThrow();
                served.add("B");
                bMayLeave.await();
                slot.close();
                return null;
            });
            awaitWaiting(queue, 2);
            Future<?> c = threads.submit(() -> {
                RunQueue.Slot slot = queue.acquire(new Cancellation(), p -> hear(heard, "C", p)).orElseThrow();
                served.add("C");
                slot.close();
                return null;
            });
            awaitWaiting(queue, 3);

            leaver.cancel("by test");
            awaitWaiting(queue, 2);
            while (!heard.getOrDefault("B", List.of()).contains(1) || !heard.getOrDefault("C", List.of()).contains(2)) {
                Thread.sleep(5);
            }
            busy.close();
            while (!served.contains("B") || !heard.get("C").contains(1)) {
                Thread.sleep(5);
            }
            assertThat(served).containsExactly("B");
            bMayLeave.countDown();
            b.get();
            c.get();
        }

        assertThat(heard).containsOnly(entry("A", List.of(1)), entry("B", List.of(2, 1)), entry("C", List.of(3, 2, 1)));
        assertThat(served).containsExactly("B", "C");
    }

    private static void hear(Map<String, List<Integer>> heard, String who, int position) {
        heard.computeIfAbsent(who, k -> new CopyOnWriteArrayList<>()).add(position);
    }

    @Test
    void aCancelledWaiterGetsNoSlot() throws Exception {
        RunQueue queue = new RunQueue(1);
        queue.acquire(new Cancellation(), p -> { }).orElseThrow();
        Cancellation cancellation = new Cancellation();
        cancellation.cancel("by test");

        assertThat(queue.acquire(cancellation, p -> { })).isEmpty();
        assertThat(queue.waitingCount()).isZero();
    }

    @Test
    void anInterruptedWaiterLeavesTheQueue() throws Exception {
        RunQueue queue = new RunQueue(1);
        queue.acquire(new Cancellation(), p -> { }).orElseThrow();
        Thread waiter = Thread.ofVirtual().start(() -> {
            assertThatThrownBy(() -> queue.acquire(new Cancellation(), p -> { }))
                    .isInstanceOf(InterruptedException.class);
        });
        awaitWaiting(queue, 1);

        waiter.interrupt();
        waiter.join();

        assertThat(queue.waitingCount()).isZero();
    }

    @Test
    void closingASlotTwiceFreesItOnce() throws Exception {
        RunQueue queue = new RunQueue(2);
        RunQueue.Slot first = queue.acquire(new Cancellation(), p -> { }).orElseThrow();
        queue.acquire(new Cancellation(), p -> { }).orElseThrow();

        first.close();
        first.close();

        Cancellation giveUp = new Cancellation();
        Optional<RunQueue.Slot> third = queue.acquire(giveUp, p -> { });
        assertThat(third).isPresent();
        Thread fourth = Thread.ofVirtual().start(() -> {
            try {
                queue.acquire(giveUp, p -> { });
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        awaitWaiting(queue, 1);
        giveUp.cancel("by test");
        fourth.join();
        assertThat(queue.waitingCount()).isZero();
    }
}
