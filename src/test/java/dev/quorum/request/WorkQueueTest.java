package dev.quorum.request;

import ch.qos.logback.classic.Level;
import dev.quorum.conversation.Conversation;
import dev.quorum.conversation.Identity;
import dev.quorum.store.Redis;
import dev.quorum.testing.CapturedLog;
import dev.quorum.testing.TestRedis;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

import static org.assertj.core.api.Assertions.assertThat;

class WorkQueueTest {
    private Redis redis;
    private WorkQueue queue;
    private RequestStore store;
    private CancelBoard cancels;

    @BeforeEach
    void setUp() {
        redis = TestRedis.fresh();
        queue = new WorkQueue(redis);
        store = new RequestStore(redis);
        cancels = new CancelBoard(redis);
    }

    @AfterEach
    void tearDown() {
        cancels.close();
        redis.close();
    }

    private Request request() {
        return store.create(RequestType.TEST, Identity.console("alice"), "alice", new Conversation("console", "general", null), "test", null, Instant.now());
    }

    @Test
    void eachJobGoesToOneConsumerAndLeavesWhenAcknowledged() {
        queue.enqueue(new Job("R1", "run"));
        queue.enqueue(new Job("R2", "run"));
        List<Delivery> a = queue.take("a", 1, Duration.ofMillis(100));
        List<Delivery> b = queue.take("b", 5, Duration.ofMillis(100));
        assertThat(a).extracting(d -> d.job().requestId()).containsExactly("R1");
        assertThat(b).extracting(d -> d.job().requestId()).containsExactly("R2");
        assertThat(queue.depth()).isEqualTo(2);
        queue.ack(a.getFirst());
        queue.ack(b.getFirst());
        assertThat(queue.depth()).isZero();
    }

    @Test
    void aJobOfADeadConsumerIsReclaimedButAHeartbeatingOneIsNot() throws Exception {
        queue.enqueue(new Job("R1", "run"));
        queue.enqueue(new Job("R2", "run"));
        Delivery dead = queue.take("dead", 1, Duration.ofMillis(100)).getFirst();
        Delivery alive = queue.take("alive", 1, Duration.ofMillis(100)).getFirst();
        Thread.sleep(300);
        queue.heartbeat("alive", alive);
        List<Delivery> reclaimed = queue.reclaim("rescuer", Duration.ofMillis(250), 10);
        assertThat(reclaimed).extracting(d -> d.job().requestId()).containsExactly(dead.job().requestId());
        assertThat(reclaimed.getFirst().redelivered()).isTrue();
    }

    @Test
    void thePoolRunsEachJobOnceWithinItsConcurrency() throws Exception {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        Map<String, Integer> runs = new ConcurrentHashMap<>();
        CountDownLatch done = new CountDownLatch(20);
        JobHandler handler = (d, r, c) -> {
            peak.accumulateAndGet(running.incrementAndGet(), Math::max);
            Thread.sleep(50);
            runs.merge(r.id(), 1, Integer::sum);
            running.decrementAndGet();
            done.countDown();
        };
        try (WorkerPool a = pool("a", 3, handler); WorkerPool b = pool("b", 3, handler)) {
            a.start();
            b.start();
            for (int i = 0; i < 20; i++) queue.enqueue(new Job(request().id(), "run"));
            assertThat(done.await(20, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(runs).hasSize(20).allSatisfy((id, n) -> assertThat(n).isEqualTo(1));
        assertThat(peak.get()).isLessThanOrEqualTo(6);
        assertThat(queue.depth()).isZero();
        assertThat(redis.sync().hlen(WorkQueue.ATTEMPTS)).as("an acknowledged job's delivery count goes with it").isZero();
    }

    @Test
    void aJobWhoseWorkerDiesEveryTimeIsGivenUpAfterTheCapAndDeadLettered() throws Exception {
        Request r = request();
        String entry = queue.enqueue(new Job(r.id(), "run"));
        // Three instances took it, counted it as a pool does, and died with it (no ack, no heartbeat).
        for (int i = 1; i <= 3; i++) {
            Delivery d = i == 1 ? queue.take("dead1", 1, Duration.ofMillis(100)).getFirst()
                    : queue.reclaim("dead" + i, Duration.ZERO, 1).getFirst();
            assertThat(queue.attempt(d, "dead" + i, 3)).hasValue(i);
        }
        AtomicInteger ran = new AtomicInteger();
        CountDownLatch gaveUp = new CountDownLatch(1);
        String[] why = {null};
        try (WorkerPool rescuer = pool("fourth", 2, (d, req, c) -> ran.incrementAndGet(), (req, reason) -> {
            why[0] = req.id() + ": " + reason;
            gaveUp.countDown();
        })) {
            rescuer.start();
            assertThat(gaveUp.await(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(ran.get()).as("the fourth delivery is not run").isZero();
        assertThat(why[0]).isEqualTo(r.id() + ": the Quorum instance working on it stopped 3 times (a crash or a restart "
                + "each time), so Quorum gave up on its run job");
        assertThat(queue.depth()).isZero();
        assertThat(redis.sync().hlen(WorkQueue.ATTEMPTS)).isZero();
        List<StreamMessage<String, String>> dead = redis.sync().xrange(WorkQueue.DEAD_LETTERS, Range.create("-", "+"));
        assertThat(dead).singleElement().satisfies(m -> assertThat(m.getBody())
                .containsEntry("request", r.id()).containsEntry("kind", "run").containsEntry("entry", entry)
                .containsEntry("attempts", "3").containsEntry("consumer", "fourth"));
    }

    @Test
    void aJobLeftByACrashedInstanceIsFinishedByAnother() throws Exception {
        Request r = request();
        queue.enqueue(new Job(r.id(), "run"));
        queue.take("crashed", 1, Duration.ofMillis(100)); // taken, never acknowledged, no heartbeat
        CountDownLatch ran = new CountDownLatch(1);
        boolean[] redelivered = {false};
        try (WorkerPool rescuer = pool("rescuer", 2, (d, req, c) -> {
            redelivered[0] = d.redelivered();
            ran.countDown();
        })) {
            rescuer.start();
            assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(redelivered[0]).isTrue();
    }

    @Test
    void aCancelReachesTheRunningJobThroughRedis() throws Exception {
        Request r = request();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        String[] why = {null};
        try (WorkerPool p = pool("a", 1, (d, req, cancel) -> {
            started.countDown();
            while (!cancel.isCancelled()) Thread.sleep(10);
            why[0] = cancel.reason().orElse(null);
            stopped.countDown();
        }); Redis other = Redis.connect(TestRedis.uri()); CancelBoard elsewhere = new CancelBoard(other)) {
            p.start();
            queue.enqueue(new Job(r.id(), "run"));
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            elsewhere.request(r.id(), "cancelled by dave");
            assertThat(stopped.await(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(why[0]).isEqualTo("cancelled by dave");
    }

    @Test
    void aCrashingHandlerFailsItsRequestVisibly() throws Exception {
        Request r = request();
        CountDownLatch reported = new CountDownLatch(1);
        Exception[] seen = {null};
        try (CapturedLog log = CapturedLog.of(WorkerPool.class);
             WorkerPool p = new WorkerPool(queue, "a", 1, Map.of("run", (d, req, c) -> {
                 throw new IllegalStateException("boom");
             }), store, cancels, (req, e) -> {
                 seen[0] = e;
                 reported.countDown();
             }, Duration.ofMillis(200), Duration.ofSeconds(30), 3, (req, why) -> { })) {
            p.start();
            queue.enqueue(new Job(r.id(), "run"));
            assertThat(reported.await(10, TimeUnit.SECONDS)).isTrue();
            // a crash is a bug: the operator's log has it with its stack trace (the chat says to look there)
            assertThat(log.events()).singleElement().satisfies(e -> {
                assertThat(e.getLevel()).isEqualTo(Level.ERROR);
                assertThat(e.getFormattedMessage()).isEqualTo("Job run for " + r.id() + " failed");
                assertThat(e.getThrowableProxy().getMessage()).isEqualTo("boom");
            });
        }
        assertThat(seen[0]).hasMessage("boom");
        assertThat(queue.depth()).isZero();
    }

    @Test
    void aJobThatLostTheStoreUnderItRunsAgainOnceRedisAnswersInsteadOfFailingItsRequest() throws Exception {
        Request r = request();
        java.util.concurrent.atomic.AtomicInteger runs = new java.util.concurrent.atomic.AtomicInteger();
        CountDownLatch finished = new CountDownLatch(1);
        boolean[] redelivered = {false};
        List<Exception> crashes = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (CapturedLog log = CapturedLog.of(WorkerPool.class);
             WorkerPool p = new WorkerPool(queue, "a", 1, Map.of("run", (d, req, c) -> {
                 // what Lettuce throws when the connection went away in the middle of the job's Redis step
                 if (runs.incrementAndGet() == 1) throw new io.lettuce.core.RedisConnectionException("Connection closed prematurely");
                 redelivered[0] = d.redelivered();
                 finished.countDown();
             }), store, cancels, (req, e) -> crashes.add(e), Duration.ofMillis(100), Duration.ofMillis(500), 3, (req, why) -> { })) {
            p.start();
            queue.enqueue(new Job(r.id(), "run"));
            assertThat(finished.await(15, TimeUnit.SECONDS)).isTrue();
            assertThat(log.events()).extracting(e -> e.getLevel().toString() + " " + e.getFormattedMessage()).containsExactly(
                    "WARN Job run for " + r.id() + " lost its store while it ran; it stays queued and runs again once Redis answers: "
                            + "io.lettuce.core.RedisConnectionException: Connection closed prematurely",
                    "INFO Reclaimed job run of " + r.id() + " from a worker that stopped answering");
        }
        assertThat(runs.get()).isEqualTo(2);
        assertThat(redelivered[0]).isTrue();
        assertThat(crashes).as("its request was not failed").isEmpty();
        assertThat(queue.depth()).isZero();
    }

    private WorkerPool pool(String name, int concurrency, JobHandler handler) {
        return pool(name, concurrency, handler, (r, why) -> { });
    }

    private WorkerPool pool(String name, int concurrency, JobHandler handler, BiConsumer<Request, String> onGiveUp) {
        return new WorkerPool(queue, name, concurrency, Map.of("run", handler), store, cancels, (r, e) -> { },
                Duration.ofMillis(200), Duration.ofMillis(600), 3, onGiveUp);
    }
}
