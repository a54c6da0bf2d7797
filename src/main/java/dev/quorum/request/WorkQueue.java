package dev.quorum.request;

import dev.quorum.store.LuaScript;
import dev.quorum.store.Redis;
import io.lettuce.core.Consumer;
import io.lettuce.core.RedisBusyException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAutoClaimArgs;
import io.lettuce.core.XClaimArgs;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.models.stream.ClaimedMessages;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The work queue: a Redis stream read through one consumer group, so that several Quorum
 * instances share the work and each job goes to one of them. A job stays pending until its
 * worker acknowledges it; a worker that dies stops heartbeating and its jobs are claimed by
 * another instance ({@code XAUTOCLAIM}). Acknowledged entries are deleted, so the stream length
 * is the queue depth. Thread-safe; {@link #take} blocks and uses its own connection.
 */
public final class WorkQueue {
    /** The stream; atomic scripts may add jobs to it directly (fields {@code request}, {@code kind}). */
    public static final String STREAM = "{q}:work";
    static final String GROUP = "workers";
    /** How many times each queued entry has been delivered; an entry leaves it when acknowledged. */
    static final String ATTEMPTS = "{q}:work:attempts";
    /** Jobs given up on after too many deliveries, with why: kept for an admin to look at, never run again. */
    public static final String DEAD_LETTERS = "{q}:work:dead";

    private final LuaScript attempt = LuaScript.load("job_attempt");
    private final LuaScript acknowledge = LuaScript.load("job_ack");

    private final Redis redis;
    private final RedisClusterCommands<String, String> blocking;

    public WorkQueue(Redis redis) {
        this.redis = redis;
        this.blocking = redis.dedicated();
        try {
            redis.sync().xgroupCreate(XReadArgs.StreamOffset.from(STREAM, "0"), GROUP, XGroupCreateArgs.Builder.mkstream());
        } catch (RedisBusyException e) {
            // the group exists: another instance or an earlier run made it
        }
    }

    public String enqueue(Job job) {
        return redis.sync().xadd(STREAM, Map.of("request", job.requestId(), "kind", job.kind()));
    }

    /** Waits up to {@code block} for at most {@code count} new jobs for {@code consumer}. */
    public List<Delivery> take(String consumer, int count, Duration block) {
        List<StreamMessage<String, String>> messages = blocking.xreadgroup(Consumer.from(GROUP, consumer),
                XReadArgs.Builder.count(count).block(block), XReadArgs.StreamOffset.lastConsumed(STREAM));
        return decode(messages, false);
    }

    /** Marks a job done and removes it. */
    public void ack(Delivery d) {
        acknowledge.run(redis.sync(), ScriptOutputType.INTEGER, new String[]{STREAM, ATTEMPTS}, GROUP, d.entryId());
    }

    /**
     * Counts this delivery of the job. Past {@code max} deliveries the job is moved, in the same step, to the
     * {@link #DEAD_LETTERS} stream and out of the queue, and this returns empty: the caller must not run it.
     *
     * @return which delivery this is, from 1
     */
    public OptionalInt attempt(Delivery d, String consumer, int max) {
        Long n = attempt.run(redis.sync(), ScriptOutputType.INTEGER, new String[]{STREAM, ATTEMPTS, DEAD_LETTERS}, GROUP,
                d.entryId(), String.valueOf(max), d.job().requestId(), d.job().kind(), consumer,
                String.valueOf(System.currentTimeMillis()));
        return n > 0 ? OptionalInt.of(n.intValue()) : OptionalInt.empty();
    }

    /** Tells the group the job is still being worked on, resetting its idle time. */
    public void heartbeat(String consumer, Delivery d) {
        redis.sync().xclaim(STREAM, Consumer.from(GROUP, consumer), XClaimArgs.Builder.minIdleTime(0).justid(), d.entryId());
    }

    /** Takes over jobs whose worker has not heartbeated for {@code minIdle}. */
    public List<Delivery> reclaim(String consumer, Duration minIdle, int count) {
        ClaimedMessages<String, String> claimed = redis.sync().xautoclaim(STREAM,
                XAutoClaimArgs.Builder.xautoclaim(Consumer.from(GROUP, consumer), minIdle, "0-0").count(count));
        return decode(claimed.getMessages(), true);
    }

    /** Jobs waiting or in progress. */
    public long depth() {
        return redis.sync().xlen(STREAM);
    }

    private static List<Delivery> decode(List<StreamMessage<String, String>> messages, boolean redelivered) {
        List<Delivery> out = new ArrayList<>();
        if (messages == null) return out;
        for (StreamMessage<String, String> m : messages) {
            Map<String, String> body = m.getBody();
            if (body == null || body.get("request") == null) continue; // deleted meanwhile
            out.add(new Delivery(m.getId(), new Job(body.get("request"), body.getOrDefault("kind", "run")), redelivered));
        }
        return out;
    }
}
