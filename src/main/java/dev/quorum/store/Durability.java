package dev.quorum.store;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@code WAIT} after critical writes, in one place. Redis replicates asynchronously: a write the
 * master answered may be lost when a replica that never got it is promoted. Waiting until a
 * replica has it before Quorum answers narrows that window to writes still in flight; it does not
 * make replication synchronous (a {@code WAIT} that times out still leaves the write on the master
 * only, and a failover may still pick a replica that lags).
 *
 * <p>{@code WAIT} blocks the connection it is sent on, so it runs on a connection of its own, never
 * the shared one; and it counts only that connection's writes, so each round first writes a
 * marker, which the one replication stream orders after every write answered before it. Callers
 * that arrive while a round runs are covered by the next one (group commit): one round at a time,
 * however many votes arrive at once.
 *
 * <p>Nothing is asked or written before the first critical write (a one-off CLI command that only
 * reads opens no connection for this, writes no marker and never waits). Without
 * {@code redis.wait_replicas} the number to wait for is learned then and learned again: every
 * {@link #RELEARN} while it is 0 (a replica attached later is waited for), and after replicas have
 * not confirmed for that long (a replica removed stops costing each critical write the timeout).
 */
final class Durability implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Durability.class);
    /**
     * Written before each {@code WAIT}; its value means nothing. With {@code SET}, which replaces a
     * key of any type: a list or a non-number someone left there does not turn the waiting off.
     */
    static final String MARK = "{q}:durable";
    /** How long the first look gives a replica to confirm a write; a Redis without any pays this once, at the first critical write. */
    private static final Duration PROBE = Duration.ofMillis(250);
    /**
     * Without {@code redis.wait_replicas}: how often Quorum asks again while it waits for no replica,
     * and how long replicas may fail to confirm before it asks whether there still is one.
     */
    static final Duration RELEARN = Duration.ofSeconds(10);
    private static final int UNKNOWN = -1;
    private static final Durability NONE = new Durability(null, 0, Duration.ZERO, Duration.ZERO);
    private final Redis.Topology topology;
    /** {@code redis.wait_replicas}, or {@code null}: learn it. */
    private final Integer configured;
    private final long timeoutMillis;
    private final long relearnNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final AtomicLong asked = new AtomicLong();
    /** How many replicas to wait for; {@link #UNKNOWN} until the first critical write. Written under the lock. */
    private volatile int wanted;
    /** When {@link #wanted} was last learned ({@code System.nanoTime}). */
    private volatile long learnedAt;
    /** Under the lock; opened at the first critical write, so a Quorum that makes none opens none. */
    private volatile Redis.Connection connection;
    private long covered;
    private boolean shortOfReplicas;
    /** When replicas stopped confirming ({@code System.nanoTime}), while {@link #shortOfReplicas}. */
    private long shortSince;
    /** Redis refused WAIT (an ACL without it): asking again would only fill its ACL LOG. */
    private volatile boolean refused;
    private volatile boolean closed;

    private Durability(Redis.Topology topology, Integer configured, Duration timeout, Duration relearn) {
        this.topology = topology;
        this.configured = configured;
        this.wanted = configured != null && configured == 0 ? 0 : UNKNOWN;
        this.timeoutMillis = timeout.toMillis();
        this.relearnNanos = relearn.toNanos();
    }

    /**
     * Waits for {@code configured} replicas, or (when {@code null}) for one while the master has any,
     * which it learns with {@code WAIT}: unlike {@code INFO replication} or {@code ROLE} it is not
     * {@code @dangerous}, so the README's ACL user may send it. Asks Redis nothing yet.
     */
    static Durability start(Redis.Topology topology, Integer configured, Duration timeout, Duration relearn) {
        if (configured != null && configured == 0) return NONE;
        return new Durability(topology, configured, timeout, relearn);
    }

    /** How many replicas {@link #await} waits for now: learned first if no critical write has asked yet. */
    int replicas() {
        if (wanted != UNKNOWN) return wanted;
        lock.lock();
        try {
            if (wanted == UNKNOWN && !closed) learn(home());
            return Math.max(wanted, 0);
        } catch (RedisException e) {
            return 0; // not learned: the next critical write asks again
        } finally {
            lock.unlock();
        }
    }

    void await() {
        long mine = asked.incrementAndGet();
        if (wanted == 0 && !relearnDue()) return; // no replica to wait for, and not yet time to look again
        lock.lock();
        try {
            if (covered >= mine || closed) return; // a round that began after this caller's write has covered it
            long upTo = asked.get();
            RedisClusterCommands<String, String> home = home();
            if (wanted == UNKNOWN) learn(home);
            else if (wanted == 0 && relearnDue()) relearn(home);
            int replicas = wanted;
            if (replicas <= 0) return;
            home.set(MARK, "1");
            long acknowledged = home.waitForReplication(replicas, timeoutMillis);
            covered = upTo;
            boolean stillShort = acknowledged < replicas;
            report(stillShort, acknowledged + " of " + replicas + " replica(s) confirmed within " + timeoutMillis + " ms");
            if (stillShort && relearnDue() && System.nanoTime() - shortSince >= relearnNanos) relearn(home);
        } catch (RedisException e) {
            report(true, "WAIT failed: " + firstWord(e));
        } finally {
            lock.unlock();
        }
    }

    /** Under the lock: the connection {@code WAIT} blocks, not the shared one. */
    private RedisClusterCommands<String, String> home() {
        if (connection == null) {
            Redis.Connection c = topology.connect();
            c.connection().setTimeout(Duration.ofMillis(timeoutMillis).plusSeconds(2));
            connection = c;
            if (closed) close(); // closed while it connected: its commands fail, and are caught
        }
        return topology.home(connection);
    }

    /** Only without {@code redis.wait_replicas}, and at most once every {@link #RELEARN}. */
    private boolean relearnDue() {
        return configured == null && !refused && System.nanoTime() - learnedAt >= relearnNanos;
    }

    /** The first look, at the first critical write. */
    private void learn(RedisClusterCommands<String, String> home) {
        long attached;
        try {
            attached = attached(home);
        } catch (RedisCommandExecutionException e) {
            LOG.warn("Redis refused WAIT or its marker ({}): critical writes are not confirmed by a replica", firstWord(e));
            refused = true;
            wanted = 0;
            learnedAt = System.nanoTime();
            return;
        }
        learnedAt = System.nanoTime();
        if (configured == null) {
            settle(attached > 0 ? 1 : 0);
            return;
        }
        if (attached < configured) {
            LOG.warn("redis.wait_replicas is {} but the master has {} replicas now: until they are there, each vote or state change "
                    + "waits the whole redis.wait_timeout ({} ms)", configured, attached, timeoutMillis);
        }
        settle(configured);
    }

    /**
     * Asks again, without waiting: {@code WAIT 0 0} counts the replicas that have this connection's
     * latest marker, so a replica attached since (it copied everything) counts, and one gone or
     * stalled does not.
     */
    private void relearn(RedisClusterCommands<String, String> home) {
        long confirming = home.waitForReplication(0, 0);
        learnedAt = System.nanoTime();
        int now = confirming > 0 ? 1 : 0;
        if (now == 0 && wanted > 0) {
            LOG.warn("No replica has confirmed a critical write for {} s: votes, state changes and action markers stop waiting for one "
                    + "(Redis is asked again every {} s)", TimeUnit.NANOSECONDS.toSeconds(relearnNanos), TimeUnit.NANOSECONDS.toSeconds(relearnNanos));
            shortOfReplicas = false; // this says it: no "not yet on a replica" for the writes that no longer wait
        }
        settle(now);
    }

    private void settle(int replicas) {
        if (replicas > 0 && replicas != wanted) {
            LOG.info("Votes, state changes and action markers wait for {} replica(s) to have them, at most {} ms each "
                    + "(redis.wait_replicas, redis.wait_timeout)", replicas, timeoutMillis);
        }
        wanted = replicas;
    }

    /**
     * Replicas that have the master's latest write: {@code WAIT 0 0} counts them at once; when it
     * finds none (no replica, or one that has not acknowledged the latest write yet, which its
     * once-a-second ACK leaves open), a marker is written and a replica given {@link #PROBE} to confirm
     * it (the master asks its replicas to acknowledge at once while a WAIT is pending).
     */
    private static long attached(RedisClusterCommands<String, String> home) {
        long now = home.waitForReplication(0, 0);
        if (now > 0) return now;
        home.set(MARK, "1");
        return home.waitForReplication(1, PROBE.toMillis());
    }

    /** Says so once when replicas stop confirming, and once when they confirm again: not on every vote. */
    private void report(boolean now, String what) {
        if (now && !shortOfReplicas) {
            LOG.warn("A critical write is on the Redis master but not yet on a replica ({}); Quorum carries on, and a failover "
                    + "now could lose it. Said once until replicas confirm again.", what);
            shortSince = System.nanoTime();
        } else if (!now && shortOfReplicas) {
            LOG.info("Replicas confirm critical writes again");
        }
        shortOfReplicas = now;
    }

    /** An error's first word (NOPERM, READONLY...): Lettuce's messages may repeat an address. */
    private static String firstWord(RuntimeException e) {
        if (e.getMessage() == null) return e.getClass().getSimpleName();
        String m = String.valueOf(e.getMessage());
        int space = m.indexOf(' ');
        return space < 0 ? m : m.substring(0, space);
    }

    @Override
    public void close() {
        closed = true;
        Redis.Connection c = connection; // read without the lock: a WAIT may hold it for the whole timeout
        if (c != null && c.connection().isOpen()) c.connection().close();
    }
}
