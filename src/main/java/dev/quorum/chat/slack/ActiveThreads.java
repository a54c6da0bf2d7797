package dev.quorum.chat.slack;

import dev.quorum.store.Redis;

import java.time.Duration;

/**
 * The Slack threads Quorum takes part in (it was mentioned or posted there), kept in Redis for
 * every instance. In those threads a member may talk to Quorum without mentioning it; elsewhere
 * plain messages are not Quorum's business. Thread-safe; blocks for one Redis round trip.
 */
final class ActiveThreads {
    /** A thread quiet this long is forgotten; a mention wakes it again. */
    static final Duration KEEP = Duration.ofDays(7);
    private static final String PREFIX = "q:slack:thread:";

    private final Redis redis;

    ActiveThreads(Redis redis) {
        this.redis = redis;
    }

    void mark(String channel, String threadTs) {
        redis.sync().setex(key(channel, threadTs), KEEP.toSeconds(), "1");
    }

    boolean isActive(String channel, String threadTs) {
        return redis.sync().exists(key(channel, threadTs)) > 0;
    }

    private static String key(String channel, String threadTs) {
        return PREFIX + channel + ":" + threadTs;
    }
}
