package dev.quorum.evidence;

import dev.quorum.request.Cancellation;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RunQueueTest {

    private static void awaitWaiting(RunQueue queue, int count) throws InterruptedException {
        while (queue.waitingCount() != count) {
            Thread.sleep(5);
        }
    }

    @Test
    void waitersMoveUpWhenOneAheadLeavesAndGetSlotsInArrivalOrder() throws Exception {
        RunQueue queue = new RunQueue(1);
        RunQueue.Slot busy = queue.acquire(new Cancellation(), position -> { }).orElseThrow();
        List<String> heard = new CopyOnWriteArrayList<>();
        List<String> served = new CopyOnWriteArrayList<>();
        Cancellation leaver = new Cancellation();

        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            threads.submit(() -> queue.acquire(leaver, p -> heard.add("A@" + p)));
            awaitWaiting(queue, 1);
            Future<?> b = threads.submit(() -> {
                RunQueue.Slot slot = queue.acquire(new Cancellation(), p -> heard.add("B@" + p)).orElseThrow();
                served.add("B");
                slot.close();
                return null;
            });
            awaitWaiting(queue, 2);
            Future<?> c = threads.submit(() -> {
                RunQueue.Slot slot = queue.acquire(new Cancellation(), p -> heard.add("C@" + p)).orElseThrow();
                served.add("C");
                slot.close();
                return null;
            });
            awaitWaiting(queue, 3);

            leaver.cancel("by test");
            awaitWaiting(queue, 2);
            while (!heard.contains("C@2")) {
                Thread.sleep(5);
            }
            busy.close();
            b.get();
            c.get();
        }

        assertThat(heard).containsSubsequence("A@1", "B@2", "C@3", "B@1", "C@2");
        assertThat(served).containsExactly("B", "C");
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
