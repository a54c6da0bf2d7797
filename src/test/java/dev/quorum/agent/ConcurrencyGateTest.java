package dev.quorum.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ConcurrencyGateTest {

    /**
     * Six runs arrive one after the other at a gate of two. The test, not the scheduler, decides
     * when a slot frees: it lets one run leave at a time, so exactly one waiter can enter next, and
     * that one must be the earliest arrival still waiting. (Recording the order in which threads
     * got past acquire with all slots freed at once raced: two waiters that both had a slot could
     * write down their entry in either order.)
     */
    @Test
    void noMoreThanTheLimitRunAtOnceAndWaitersEnterInArrivalOrder() throws Exception {
        ConcurrencyGate gate = new ConcurrencyGate(2);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        BlockingQueue<Integer> entered = new LinkedBlockingQueue<>();
        List<CountDownLatch> leave = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            int id = i;
            CountDownLatch mayLeave = new CountDownLatch(1);
            leave.add(mayLeave);
            threads.add(Thread.ofVirtual().start(() -> {
                try (ConcurrencyGate.Slot slot = gate.enter(CancelToken.none()).orElseThrow()) {
                    peak.accumulateAndGet(running.incrementAndGet(), Math::max);
                    entered.add(id);
                    mayLeave.await();
                    running.decrementAndGet(); // before the slot is freed, so peak counts holders only
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }));
            awaitArrivals(gate, i + 1); // each one queues before the next arrives: arrival order is 0..5
        }
        assertThat(gate.running()).isEqualTo(2);
        assertThat(gate.waiting()).isEqualTo(4);
        assertThat(List.of(next(entered), next(entered))).containsExactlyInAnyOrder(0, 1);

        for (int leaving = 0; leaving < 4; leaving++) {
            leave.get(leaving).countDown(); // one slot frees: the first still waiting, and only it, gets it
            assertThat(next(entered)).as("run entering after run %d left", leaving).isEqualTo(leaving + 2);
        }
        leave.get(4).countDown();
        leave.get(5).countDown();
        for (Thread t : threads) {
            assertThat(t.join(Duration.ofSeconds(10))).isTrue();
        }
        assertThat(entered).isEmpty();
        assertThat(peak.get()).isEqualTo(2);
        assertThat(gate.running()).isZero();
        assertThat(gate.waiting()).isZero();
    }

    private static int next(BlockingQueue<Integer> entered) throws InterruptedException {
        Integer id = entered.poll(10, TimeUnit.SECONDS);
        assertThat(id).as("a run entered the gate within 10 s").isNotNull();
        return id;
    }

    private static void awaitArrivals(ConcurrencyGate gate, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (gate.running() + gate.waiting() < count) {
            assertThat(System.nanoTime()).as("run %d reached the gate within 10 s", count - 1).isLessThan(deadline);
            Thread.sleep(1);
        }
    }

    @Test
    void cancellingAWaitingRunEndsItsWaitWithoutTakingASlot() throws Exception {
        ConcurrencyGate gate = new ConcurrencyGate(1);
        ConcurrencyGate.Slot held = gate.enter(CancelToken.none()).orElseThrow();
        CancelToken cancel = new CancelToken();
        List<Optional<ConcurrencyGate.Slot>> result = new CopyOnWriteArrayList<>();
        Thread waiter = Thread.ofVirtual().start(() -> result.add(gate.enter(cancel)));
        while (gate.waiting() == 0) {
            Thread.sleep(1);
        }

        cancel.cancel();
        waiter.join(5_000);

        assertThat(result).containsExactly(Optional.empty());
        assertThat(gate.waiting()).isZero();
        held.close();
        held.close(); // a second close must not free a second slot
        assertThat(gate.running()).isZero();
        assertThat(gate.enter(CancelToken.none())).isPresent();
        assertThat(gate.running()).isEqualTo(1);
    }
}
