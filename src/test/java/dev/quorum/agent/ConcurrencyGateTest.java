package dev.quorum.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ConcurrencyGateTest {

    @Test
    void noMoreThanTheLimitRunAtOnceAndWaitersEnterInArrivalOrder() throws Exception {
        ConcurrencyGate gate = new ConcurrencyGate(2);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        List<Integer> entered = new CopyOnWriteArrayList<>();
        CountDownLatch release = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            int id = i;
            threads.add(Thread.ofVirtual().start(() -> {
                try (ConcurrencyGate.Slot slot = gate.enter(CancelToken.none()).orElseThrow()) {
                    entered.add(id);
                    peak.accumulateAndGet(running.incrementAndGet(), Math::max);
                    release.await();
                    Thread.sleep(20);
                    running.decrementAndGet();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }));
            // let each thread queue before the next one arrives, so arrival order is known
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (gate.running() + gate.waiting() < i + 1 && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
        }
        assertThat(gate.running()).isEqualTo(2);
        assertThat(gate.waiting()).isEqualTo(4);
        release.countDown();
        for (Thread t : threads) {
            t.join(5_000);
        }
        assertThat(peak.get()).isEqualTo(2);
        assertThat(entered).containsExactly(0, 1, 2, 3, 4, 5);
        assertThat(gate.running()).isZero();
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
