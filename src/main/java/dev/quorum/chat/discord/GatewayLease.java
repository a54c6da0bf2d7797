package dev.quorum.chat.discord;

import dev.quorum.store.Redis;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Who runs the one Discord gateway session among the Quorum instances on one Redis: the
 * instance whose id is the value of {@code q:discord:gateway}. Taken with SET NX PX, renewed and
 * released only by its holder (compare-and-set scripts), so an instance whose lease expired
 * while it was stalled cannot extend or delete the next holder's. Every call waits at most
 * {@code bound}: a Redis that does not answer must not keep a holder believing it still holds.
 */
final class GatewayLease {
    static final String KEY = "{q}:discord:gateway";
    private static final String RENEW = ifHolder("redis.call('PEXPIRE', KEYS[1], ARGV[2])");
    private static final String RELEASE = ifHolder("redis.call('DEL', KEYS[1])");
    private final Redis redis;
    private final String instanceId;
    private final Duration ttl;
    private final Duration bound;

    GatewayLease(Redis redis, String instanceId, Duration ttl, Duration bound) {
        this.redis = redis;
        this.instanceId = instanceId;
        this.ttl = ttl;
        this.bound = bound;
    }

    /** True when this instance took the free lease. */
    boolean tryTake() {
        return "OK".equals(await(redis.async().set(KEY, instanceId, SetArgs.Builder.nx().px(ttl.toMillis()))));
    }

    /** True when this instance still held the lease and it now runs for another TTL. */
    boolean renew() {
        Long kept = await(redis.async().eval(RENEW, ScriptOutputType.INTEGER, new String[] {KEY}, instanceId,
                Long.toString(ttl.toMillis())));
        return kept != null && kept == 1L;
    }

    /** Gives the lease up if this instance holds it, so another takes over at its next try instead of after the TTL. */
    void release() {
        await(redis.async().eval(RELEASE, ScriptOutputType.INTEGER, new String[] {KEY}, instanceId));
    }

    /** A script that runs {@code call} only while the lease's value is this instance's id (ARGV[1]), else answers 0. */
    private static String ifHolder(String call) {
        return "if redis.call('GET', KEYS[1]) == ARGV[1] then return " + call + " end return 0";
    }

    Duration ttl() {
        return ttl;
    }

    private <T> T await(io.lettuce.core.RedisFuture<T> future) {
        try {
            return future.get(bound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new IllegalStateException("Redis did not answer within " + bound.toMillis() + " ms");
        } catch (ExecutionException e) {
            throw new IllegalStateException("Redis failed: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Redis", e);
        }
    }
}
