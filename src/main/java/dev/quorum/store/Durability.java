package dev.quorum.store;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
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
 */
final class Durability implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Durability.class);
    /** Written before each {@code WAIT}; its value means nothing. */
    static final String MARK = "{q}:durable";
    /** How long the start-up probe gives a replica to confirm a write; a Redis without any pays this once. */
    private static final Duration PROBE = Duration.ofMillis(250);
    private static final Durability NONE = new Durability(null, null, CompletableFuture.completedFuture(0), Duration.ZERO);
    private final Redis.Topology topology;
    private final Redis.Connection connection;
    /** How many replicas to wait for, once the probe has found out: Quorum's start does not wait for it, the first critical write does. */
    private final CompletableFuture<Integer> replicas;
    private final long timeoutMillis;
    private final ReentrantLock lock = new ReentrantLock();
    private final AtomicLong asked = new AtomicLong();
    private long covered;
    private boolean shortOfReplicas;
    private volatile boolean closed;

    private Durability(Redis.Topology topology, Redis.Connection connection, CompletableFuture<Integer> replicas, Duration timeout) {
        this.topology = topology;
        this.connection = connection;
        this.replicas = replicas;
        this.timeoutMillis = timeout.toMillis();
    }

    /**
     * How many replicas to wait for: {@code configured}, or (when {@code null}) one if the master has
     * any now. Found with {@code WAIT}, which unlike {@code INFO replication} or {@code ROLE} is not
     * {@code @dangerous}, so the README's ACL user may send it.
     */
    static Durability start(Redis.Topology topology, Integer configured, Duration timeout) {
        if (configured != null && configured == 0) return NONE;
        Redis.Connection c = topology.connect();
        c.connection().setTimeout(timeout.plusSeconds(2));
        CompletableFuture<Integer> found = new CompletableFuture<>();
        Durability d = new Durability(topology, c, found, timeout);
        Thread.ofVirtual().name("redis-replica-probe").start(() -> found.complete(d.probe(configured)));
        return d;
    }

    private int probe(Integer configured) {
        long attached;
        try {
            attached = attached(topology.home(connection));
        } catch (RuntimeException e) { // always an answer: the first critical write waits for it
            if (!closed) {
                LOG.warn("{} ({}): critical writes are not confirmed by a replica",
                        e instanceof RedisCommandExecutionException ? "Redis refused WAIT" : "Could not ask Redis about its replicas", firstWord(e));
            }
            close();
            return 0;
        }
        int wanted = configured != null ? configured : attached > 0 ? 1 : 0;
        if (wanted == 0) {
            close();
            return 0;
        }
        if (attached < wanted) {
            LOG.warn("redis.wait_replicas is {} but the master has {} replicas now: until they are there, each vote or state change "
                    + "waits the whole redis.wait_timeout ({} ms)", wanted, attached, timeoutMillis);
        }
        LOG.info("Votes, state changes and action markers wait for {} replica(s) to have them, at most {} ms each "
                + "(redis.wait_replicas, redis.wait_timeout)", wanted, timeoutMillis);
        return wanted;
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
        home.incr(MARK);
        return home.waitForReplication(1, PROBE.toMillis());
    }

    int replicas() {
        return replicas.join();
    }

    void await() {
        int replicas = replicas();
        if (replicas == 0) return;
        long mine = asked.incrementAndGet();
        lock.lock();
        try {
            if (covered >= mine) return; // a round that began after this caller's write has covered it
            long upTo = asked.get();
            RedisClusterCommands<String, String> home = topology.home(connection);
            home.incr(MARK);
            long acknowledged = home.waitForReplication(replicas, timeoutMillis);
            covered = upTo;
            report(acknowledged < replicas, acknowledged + " of " + replicas + " replica(s) confirmed within " + timeoutMillis + " ms");
        } catch (RedisException e) {
            report(true, "WAIT failed: " + firstWord(e));
        } finally {
            lock.unlock();
        }
    }

    /** Says so once when replicas stop confirming, and once when they confirm again: not on every vote. */
    private void report(boolean now, String what) {
        if (now && !shortOfReplicas) {
            LOG.warn("A critical write is on the Redis master but not yet on a replica ({}); Quorum carries on, and a failover "
                    + "now could lose it. Said once until replicas confirm again.", what);
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
        closed = true; // a short-lived Redis (the CLI's) may close before the probe is done: that is no news
        if (connection != null && connection.connection().isOpen()) connection.connection().close(); // the probe may have closed it
    }
}
