package dev.quorum.request;

import dev.quorum.store.Redis;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Cancel requests across instances: {@code cancel R7} may arrive at one Quorum while R7 runs on
 * another. A flag in Redis (seen by work that starts later) plus a pub/sub broadcast (reaches work
 * running now) signal the local {@link Cancellation} of that request. Thread-safe.
 */
public final class CancelBoard implements AutoCloseable {
    private static final String CHANNEL = "q:cancel";
    private static final String FLAG = "{q}:cancel:";
    private static final Duration FLAG_TTL = Duration.ofDays(7);

    private final Redis redis;
    private final Map<String, Cancellation> running = new ConcurrentHashMap<>();
    private final StatefulRedisPubSubConnection<String, String> sub;

    public CancelBoard(Redis redis) {
        this.redis = redis;
        this.sub = redis.pubSub();
        sub.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
                int bar = message.indexOf('|');
                String id = bar < 0 ? message : message.substring(0, bar);
                Cancellation c = running.get(id);
                if (c != null) c.cancel(bar < 0 ? "cancelled" : message.substring(bar + 1));
            }
        });
        sub.sync().subscribe(CHANNEL);
    }

    /** Asks whoever runs the request to stop. */
    public void request(String requestId, String reason) {
        redis.sync().setex(FLAG + requestId, FLAG_TTL.toSeconds(), reason);
        redis.sync().publish(CHANNEL, requestId + "|" + reason);
    }

    /** The token for work that starts now on this instance; already cancelled if a request came first. */
    public Cancellation register(String requestId) {
        Cancellation c = running.computeIfAbsent(requestId, k -> new Cancellation());
        String earlier = redis.sync().get(FLAG + requestId);
        if (earlier != null) c.cancel(earlier);
        return c;
    }

    public void unregister(String requestId) {
        running.remove(requestId);
    }

    @Override
    public void close() {
        sub.close();
    }
}
