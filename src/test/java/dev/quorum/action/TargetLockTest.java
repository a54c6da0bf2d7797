package dev.quorum.action;

import dev.quorum.request.Cancellation;
import dev.quorum.store.Redis;
import dev.quorum.testing.KillableRedis;
import dev.quorum.testing.TestRedis;
import io.lettuce.core.SetArgs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The target lock as a lease, on real Redis with a lease short enough to watch it run out. */
class TargetLockTest {
    private static final Duration LEASE = Duration.ofMillis(1500);
    private static final String KEY = "{q}:lock:deploy:prod";
    private Redis redis;
    private TargetLock locks;

    @BeforeEach
    void setUp() {
        redis = TestRedis.fresh();
        locks = new TargetLock(redis, LEASE);
    }

    @AfterEach
    void tearDown() {
        redis.close();
    }

    @Test
    void aLiveHolderKeepsTheLockLongPastItsLeaseAndReleasesIt() throws Exception {
        Cancellation cancel = new Cancellation();
        try (TargetLock.Held held = locks.acquire("deploy:prod", Duration.ZERO, cancel)) {
            String token = redis.sync().get(KEY);
            Thread.sleep(LEASE.multipliedBy(3).toMillis());
            assertThat(redis.sync().get(KEY)).isEqualTo(token);
            assertThatThrownBy(() -> locks.acquire("deploy:prod", Duration.ofMillis(200), new Cancellation()))
                    .isInstanceOf(TimeoutException.class);
            assertThat(held.lost()).isEmpty();
        }
        assertThat(redis.sync().exists(KEY)).isZero();
        assertThat(cancel.isCancelled()).isFalse();
    }

    /** The attack the old {@code SET … XX} renewal allowed: a holder whose lease ran out overwrote the next holder's lock. */
    @Test
    void aHolderWhoseLeaseRanOutNeverTakesTheLockBackNorReleasesTheNextOne() throws Exception {
        Cancellation cancel = new Cancellation();
        TargetLock.Held stale = locks.acquire("deploy:prod", Duration.ZERO, cancel);
        redis.sync().del(KEY); // its lease ran out (a long GC pause, a partition) ...
        try (TargetLock.Held next = new TargetLock(redis, LEASE).acquire("deploy:prod", Duration.ZERO, new Cancellation())) {
            String nextToken = redis.sync().get(KEY); // ... and another instance took the lock
            Thread.sleep(LEASE.toMillis()); // the stale holder's renewal came due meanwhile
            assertThat(redis.sync().get(KEY)).isEqualTo(nextToken);
            assertThat(stale.lost()).contains("its lease ran out and the lock is no longer its own");
            assertThat(cancel.reason()).contains("the lock on deploy:prod was lost: its lease ran out and the lock is no longer its own");
            stale.close();
            assertThat(redis.sync().get(KEY)).as("closing the stale hold leaves the next holder's lock").isEqualTo(nextToken);
            assertThat(next.lost()).isEmpty();
        }
    }

    @Test
    void aRenewalThatFailsIsRetriedWithinTheLease() throws Exception {
        Cancellation cancel = new Cancellation();
        try (TargetLock.Held held = locks.acquire("deploy:prod", Duration.ZERO, cancel)) {
            String token = redis.sync().get(KEY);
            // A real Redis error for the renewal (WRONGTYPE) until the key is put back: the first renewal, due at a
            // third of the lease, fails; a renewer that gave up then would let the lock run out a lease later.
            redis.sync().del(KEY);
            redis.sync().hset(KEY, "broken", "yes");
            Thread.sleep(LEASE.dividedBy(3).plusMillis(300).toMillis());
            // put back in one command (SET replaces the hash): a renewal between a DEL and a SET would rightly find the lock gone
            redis.sync().set(KEY, token, SetArgs.Builder.px(LEASE.toMillis()));
            Thread.sleep(LEASE.multipliedBy(2).toMillis());
            assertThat(redis.sync().get(KEY)).isEqualTo(token);
            assertThat(held.lost()).isEmpty();
            assertThat(cancel.isCancelled()).isFalse();
        }
    }

    @Test
    void aLeaseThatCannotBeRenewedBeforeItRunsOutIsLostAndTheHolderIsTold() throws Exception {
        Cancellation cancel = new Cancellation();
        try (TargetLock.Held held = locks.acquire("deploy:prod", Duration.ZERO, cancel)) {
            redis.sync().del(KEY);
            redis.sync().hset(KEY, "broken", "yes"); // every renewal fails from now on
            long deadline = System.nanoTime() + LEASE.multipliedBy(3).toNanos();
            while (!cancel.isCancelled() && System.nanoTime() < deadline) Thread.sleep(20);
            assertThat(cancel.reason()).contains("the lock on deploy:prod was lost: Redis could not be reached to renew its lease of 1500ms");
            assertThat(held.lost()).contains("Redis could not be reached to renew its lease of 1500ms");
        }
    }

    @Test
    void everyAcquisitionOfALockDrawsALargerFencingTokenThanTheLast() throws Exception {
        long first;
        try (TargetLock.Held held = locks.acquire("deploy:prod", Duration.ZERO, new Cancellation())) {
            first = held.fence();
            assertThat(held.check()).isEmpty();
        }
        try (TargetLock.Held again = locks.acquire("deploy:prod", Duration.ZERO, new Cancellation());
             TargetLock.Held other = locks.acquire("merge:app:main", Duration.ZERO, new Cancellation())) {
            assertThat(again.fence()).isEqualTo(first + 1);
            assertThat(other.fence()).as("each lock counts on its own").isEqualTo(1);
        }
    }

    @Test
    void aCheckThatRedisCannotAnswerCountsTheLockAsLost() throws Exception {
        Cancellation cancel = new Cancellation();
        try (TargetLock.Held held = locks.acquire("deploy:prod", Duration.ZERO, cancel)) {
            redis.sync().del(KEY);
            redis.sync().hset(KEY, "broken", "yes");
            assertThat(held.check()).contains("Redis could not confirm it before an irreversible step (RedisCommandExecutionException)");
            assertThat(cancel.isCancelled()).isTrue();
        }
    }

    /**
     * A Redis that hangs (SIGSTOP: the connection stays open, nothing answers) must not keep a holder believing it holds
     * the lock past its lease: the connection's command timeout (10 s) is far longer than this lease, so a renewal that
     * waited for it would notice the loss only then. Each renewal waits at most a third of the lease, and the loss is
     * said within the lease (and one retry's pause) of the last renewal.
     */
    @Test
    void aHungRedisCannotKeepAHolderBelievingItHoldsTheLockPastItsLease(@TempDir Path dir) throws Exception {
        try (KillableRedis server = new KillableRedis(dir.resolve("redis")).start(); Redis hung = Redis.connect(server.uri())) {
            Cancellation cancel = new Cancellation();
            TargetLock.Held held = new TargetLock(hung, LEASE).acquire("deploy:prod", Duration.ZERO, cancel);
            long acquired = System.nanoTime();
            server.pause();
            try {
                long deadline = acquired + Duration.ofSeconds(10).toNanos();
                while (!cancel.isCancelled() && System.nanoTime() < deadline) Thread.sleep(10);
                Duration noticed = Duration.ofNanos(System.nanoTime() - acquired);
                assertThat(held.lost()).contains("Redis could not be reached to renew its lease of 1500ms");
                assertThat(noticed).as("the loss is noticed within the lease and a retry's pause, not after Redis's 10 s timeout")
                        .isLessThan(LEASE.plus(LEASE.dividedBy(10)).plusMillis(700));
                long closing = System.nanoTime();
                held.close();
                assertThat(Duration.ofNanos(System.nanoTime() - closing)).as("closing a lost hold asks Redis nothing").isLessThan(Duration.ofMillis(200));
            } finally {
                server.resume();
            }
        }
    }

    @Test
    void aCheckBeforeAnIrreversibleStepThatAHungRedisCannotAnswerFailsWithinAThirdOfTheLease(@TempDir Path dir) throws Exception {
        try (KillableRedis server = new KillableRedis(dir.resolve("redis")).start(); Redis hung = Redis.connect(server.uri())) {
            Cancellation cancel = new Cancellation();
            try (TargetLock.Held held = new TargetLock(hung, LEASE).acquire("deploy:prod", Duration.ZERO, cancel)) {
                server.pause();
                try {
                    long asked = System.nanoTime();
                    assertThat(held.check()).contains("Redis could not confirm it before an irreversible step (RedisCommandTimeoutException)");
                    assertThat(Duration.ofNanos(System.nanoTime() - asked)).isLessThan(LEASE.dividedBy(3).plusMillis(300));
                    assertThat(cancel.isCancelled()).isTrue();
                } finally {
                    server.resume();
                }
            }
        }
    }

    /** A stopping Quorum interrupts its executions; their locks are released all the same, not left to run out. */
    @Test
    void aHoldClosedOnAnInterruptedThreadIsStillReleased() throws Exception {
        TargetLock.Held held = locks.acquire("deploy:prod", Duration.ZERO, new Cancellation());
        Thread.currentThread().interrupt();
        try {
            held.close();
            assertThat(Thread.currentThread().isInterrupted()).as("the interrupt is kept for the caller").isTrue();
        } finally {
            Thread.interrupted();
        }
        assertThat(redis.sync().exists(KEY)).isZero();
    }
}
