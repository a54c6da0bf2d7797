package dev.quorum.store;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;

import java.time.Duration;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.List;

/**
 * Quorum's Redis connections. One shared, multiplexed connection serves all ordinary commands
 * (Lettuce connections are thread-safe); blocking reads ({@code XREADGROUP BLOCK}) and pub/sub
 * each get a dedicated connection so they never stall the shared one. Commands here block the
 * caller: call them from virtual threads, never from an event loop.
 */
public final class Redis implements AutoCloseable {
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> shared;
    private final List<AutoCloseable> dedicated = new CopyOnWriteArrayList<>();

    private Redis(RedisClient client) {
        this.client = client;
        this.shared = client.connect();
    }

    /** Connects; fails fast when the server is not reachable. */
    public static Redis connect(String uri) {
        RedisURI redisUri = RedisURI.create(uri);
        redisUri.setTimeout(Duration.ofSeconds(10));
        RedisClient client = RedisClient.create(redisUri);
        try {
            return new Redis(client);
        } catch (RuntimeException e) {
            client.shutdown();
            throw e;
        }
    }

    /** Commands on the shared connection. */
    public RedisCommands<String, String> sync() {
        return shared.sync();
    }

    /** Asynchronous commands on the shared connection, to pipeline many reads. */
    public RedisAsyncCommands<String, String> async() {
        return shared.async();
    }

    /** A new connection for blocking commands; closed with this object. */
    public RedisCommands<String, String> dedicated() {
        StatefulRedisConnection<String, String> c = client.connect();
        c.setTimeout(Duration.ofMinutes(5));
        dedicated.add(c);
        return c.sync();
    }

    /** A new pub/sub connection; closed with this object. */
    public StatefulRedisPubSubConnection<String, String> pubSub() {
        StatefulRedisPubSubConnection<String, String> c = client.connectPubSub();
        dedicated.add(c);
        return c;
    }

    /** True when Redis answers PING. */
    public boolean ping() {
        try {
            return "PONG".equals(shared.sync().ping());
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public void close() {
        for (AutoCloseable c : dedicated) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing anyway
            }
        }
        shared.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
}
