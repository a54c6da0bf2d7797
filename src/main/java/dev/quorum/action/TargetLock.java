package dev.quorum.action;

import dev.quorum.store.LuaScript;
import dev.quorum.store.Redis;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeoutException;

/**
 * One lock per target branch and per environment, across every Quorum instance, so that two
 * executions never overlap. A held lock is renewed while its holder lives and expires if the
 * holder dies. Thread-safe; blocking.
 */
public final class TargetLock {
    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(100);
    private final Redis redis;
    private final LuaScript release = LuaScript.load("lock_release");

    public TargetLock(Redis redis) {
        this.redis = redis;
    }

    /** A held lock; closing it releases it (only if still ours). */
    public interface Held extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Waits up to {@code wait} for the lock.
     *
     * @throws TimeoutException when another execution held it all that time
     */
    public Held acquire(String name, Duration wait) throws InterruptedException, TimeoutException {
        String key = "q:lock:" + name;
        String token = UUID.randomUUID().toString();
        long deadline = System.nanoTime() + wait.toNanos();
        while (!"OK".equals(redis.sync().set(key, token, SetArgs.Builder.nx().px(LEASE.toMillis())))) {
            if (System.nanoTime() > deadline) throw new TimeoutException("the lock " + name + " is held by another execution");
            Thread.sleep(POLL);
        }
        Thread renewer = Thread.ofVirtual().name("lock-" + name).start(() -> {
            try {
                while (true) {
                    Thread.sleep(LEASE.dividedBy(3));
                    redis.sync().set(key, token, SetArgs.Builder.xx().px(LEASE.toMillis()));
                }
            } catch (InterruptedException e) {
                // released
            } catch (RuntimeException e) {
                // Redis trouble: the lease runs out on its own
            }
        });
        return () -> {
            renewer.interrupt();
            release.run(redis.sync(), ScriptOutputType.INTEGER, new String[]{key}, token);
        };
    }
}
