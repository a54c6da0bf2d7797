package dev.quorum.action;

import dev.quorum.config.Durations;
import dev.quorum.request.Cancellation;
import dev.quorum.store.LuaScript;
import dev.quorum.store.Redis;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.ScriptOutputType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * One lock per target branch and per environment, across every Quorum instance, so that two
 * executions never overlap. A held lock is a lease: renewed while its holder lives, by
 * compare-and-set so a holder whose lease ran out never takes it back from the next one, and
 * expiring if the holder dies. A renewal that fails is retried until the lease would have run
 * out; then the lock counts as lost and the holder's {@link Cancellation} is cancelled, so the
 * execution stops and reports instead of carrying on unguarded. Each acquisition draws a fencing token (one
 * counter per lock, {@code INCR} in the step that takes it), handed to the deploy so that a system it acts on can
 * refuse an older holder; right before an irreversible step the holder {@linkplain Held#check() checks} the lock is
 * still its own.
 *
 * <p>A renewal (and that check) waits for Redis at most a third of the lease, and never past the lease's end: one
 * that Redis does not answer in time is a failed try, whatever the connection's own command timeout (10 s, a third of
 * the default lease) would allow, so a Redis that hangs (a paused server, a dropped route) cannot keep a holder
 * believing it holds the lock after its lease ran out. Closing a hold releases it even on an interrupted thread (a
 * stopping Quorum), so the next delivery does not wait out the lease. Thread-safe; blocking.
 */
public final class TargetLock {
    private static final Logger LOG = LoggerFactory.getLogger(TargetLock.class);
    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(100);
    /** One counter per lock name; never deleted, so tokens keep growing across releases. */
    private static final String FENCES = "{q}:fence:";
    private final Redis redis;
    private final Duration lease;
    private final LuaScript take = LuaScript.load("lock_acquire");
    private final LuaScript renew = LuaScript.load("lock_renew");
    private final LuaScript release = LuaScript.load("lock_release");

    public TargetLock(Redis redis) {
        this(redis, LEASE);
    }

    /**
     * With {@code lease} as every hold's lease: Quorum gives {@code workers.reclaim_after}, the silence after which an
     * instance's jobs are taken over, so that its locks run out on the same clock and the job's next delivery does not
     * wait out a longer one.
     */
    public TargetLock(Redis redis, Duration lease) {
        this.redis = redis;
        this.lease = lease;
    }

    /** A held lock; closing it releases it (only if still ours). */
    public interface Held extends AutoCloseable {
        /** Why the lock stopped being ours while held, empty while it is ours. */
        Optional<String> lost();

        /** This acquisition's fencing token: larger than that of every earlier holder of the lock. */
        long fence();

        /**
         * Confirms in Redis, right before an irreversible step, that the lock is still ours (renewing it): empty if
         * so, else why not. A lock that cannot be confirmed (Redis failing too) counts as lost from then on.
         */
        Optional<String> check();

        @Override
        void close();
    }

    /**
     * Waits up to {@code wait} for the lock.
     *
     * @param onLoss cancelled (with the reason) if the lease is lost while held
     * @throws TimeoutException when another execution held it all that time
     */
    public Held acquire(String name, Duration wait, Cancellation onLoss) throws InterruptedException, TimeoutException {
        String key = "{q}:lock:" + name;
        String token = UUID.randomUUID().toString();
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            long asked = System.nanoTime(); // the lease is counted from before Redis started it, never from after
            long fence = take.<Long>run(redis.sync(), ScriptOutputType.INTEGER, new String[]{key, FENCES + name}, token,
                    String.valueOf(lease.toMillis()));
            if (fence > 0) {
                Lease held = new Lease(name, key, token, fence, asked + lease.toNanos(), onLoss);
                held.renewer = Thread.ofVirtual().name("lock-" + name).start(held::keepRenewing);
                return held;
            }
            if (System.nanoTime() > deadline) throw new TimeoutException("the lock " + name + " is held by another execution");
            Thread.sleep(POLL);
        }
    }

    private final class Lease implements Held {
        private final String name;
        private final String key;
        private final String token;
        private final long fence;
        private final Cancellation onLoss;
        private final AtomicReference<String> lost = new AtomicReference<>();
        private volatile long expiresAt; // System.nanoTime() at which Redis drops the lock unless renewed
        private Thread renewer;
        private volatile boolean closed;

        Lease(String name, String key, String token, long fence, long expiresAt, Cancellation onLoss) {
            this.name = name;
            this.key = key;
            this.token = token;
            this.fence = fence;
            this.expiresAt = expiresAt;
            this.onLoss = onLoss;
        }

        /**
         * Renews every third of the lease; on a Redis error or silence retries every tenth, until the lease is gone.
         * Each try is bounded (see {@link #renewOnce}), so the lease's end is noticed at most a tenth of it late.
         */
        private void keepRenewing() {
            try {
                Thread.sleep(lease.dividedBy(3));
                while (true) {
                    if (System.nanoTime() >= expiresAt) {
                        lose("Redis could not be reached to renew its lease of " + Durations.format(lease));
                        return;
                    }
                    try {
                        if (!renewOnce()) return;
                        Thread.sleep(lease.dividedBy(3));
                    } catch (RuntimeException e) {
                        LOG.warn("Renewing the lock {} failed; retrying within its lease: {}", name, e.toString());
                        Thread.sleep(lease.dividedBy(10));
                    }
                }
            } catch (InterruptedException e) {
                // released
            }
        }

        /**
         * One compare-and-set renewal, waiting for Redis at most a third of the lease and never past its end: false
         * (and the lock lost) when it is no longer ours; a {@link RedisCommandTimeoutException} when Redis did not
         * answer in that time. A late answer is dropped: only an answer in time extends what this holder believes.
         */
        private boolean renewOnce() {
            long attempt = System.nanoTime();
            long left = expiresAt - attempt;
            if (left <= 0) throw new RedisCommandTimeoutException("the lease ran out before Redis was asked");
            Long renewed = bounded(Duration.ofNanos(Math.min(left, lease.dividedBy(3).toNanos())),
                    () -> renew.run(redis.sync(), ScriptOutputType.INTEGER, new String[]{key}, token, String.valueOf(lease.toMillis())));
            if (renewed == null || renewed != 1) {
                lose("its lease ran out and the lock is no longer its own");
                return false;
            }
            expiresAt = attempt + lease.toNanos();
            return true;
        }

        @Override
        public long fence() {
            return fence;
        }

        @Override
        public Optional<String> check() {
            if (lost.get() == null) {
                try {
                    renewOnce();
                } catch (RuntimeException e) {
                    lose("Redis could not confirm it before an irreversible step (" + e.getClass().getSimpleName() + ")");
                }
            }
            return lost();
        }

        private void lose(String why) {
            if (closed || !lost.compareAndSet(null, why)) return; // a renewal racing the release is no loss
            LOG.error("Lost the lock {}: {}", name, why);
            onLoss.cancel("the lock on " + name + " was lost: " + why);
        }

        @Override
        public Optional<String> lost() {
            return Optional.ofNullable(lost.get());
        }

        @Override
        public void close() {
            closed = true;
            renewer.interrupt();
            if (lost.get() != null) return; // nothing of ours left to release
            try {
                bounded(lease.dividedBy(3), () -> release.run(redis.sync(), ScriptOutputType.INTEGER, new String[]{key}, token));
            } catch (RuntimeException e) {
                // the execution's outcome matters more than the release: unreleased, the lease runs out on its own
                LOG.warn("Releasing the lock {} failed; it expires within {}: {}", name, Durations.format(lease), e.toString());
            }
        }
    }

    /**
     * Runs one lock command on a thread of its own and waits for it at most {@code bound}, uninterruptibly (a stopping
     * Quorum interrupts its executions, and their locks must still be released): Lettuce's command timeout is the
     * connection's, shared with every other command, and longer than a short lease allows.
     *
     * @throws RedisCommandTimeoutException when Redis did not answer within {@code bound}
     */
    private static <T> T bounded(Duration bound, Supplier<T> command) {
        CompletableFuture<T> answer = new CompletableFuture<>();
        Thread.ofVirtual().name("lock-command").start(() -> {
            try {
                answer.complete(command.get());
            } catch (Throwable t) {
                answer.completeExceptionally(t);
            }
        });
        boolean interrupted = Thread.interrupted();
        long deadline = System.nanoTime() + bound.toNanos();
        try {
            while (true) {
                try {
                    return answer.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (TimeoutException e) {
                    throw new RedisCommandTimeoutException("Redis did not answer within " + Durations.format(bound));
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException r) throw r;
                    throw new IllegalStateException(e.getCause());
                }
            }
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }
}
