package dev.quorum.chat.slack;

import dev.quorum.store.Redis;
import io.lettuce.core.SetArgs;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Remembers, in Redis, which Slack deliveries some Quorum instance has taken, so that Slack's
 * retries ({@code X-Slack-Retry-Num}) and a second instance behind the same load balancer do not
 * act twice on one event. One {@code SET NX EX} per delivery: atomic across instances.
 * Thread-safe; blocks for one Redis round trip.
 */
final class EventDedupe {
    /** Slack retries for minutes (after 1 and 5 minutes); an hour covers that with room. */
    static final Duration REMEMBER = Duration.ofHours(1);
    static final String PREFIX = "q:slack:seen:";
    /** Slack wants its answer within 3 s; a slower Redis fails the delivery and Slack retries it. */
    private static final Duration REDIS_WAIT = Duration.ofMillis(1500);

    private final Redis redis;

    EventDedupe(Redis redis) {
        this.redis = redis;
    }

    /**
     * True the first time {@code key} is offered (across every instance on this Redis), false
     * for every later offer within {@link #REMEMBER}.
     *
     * @throws IllegalStateException when Redis does not answer in time; the delivery must then
     *                               not be acknowledged, so that Slack sends it again
     */
    boolean firstTime(String key) {
        try {
            String set = redis.async().set(PREFIX + key, "1", SetArgs.Builder.nx().ex(REMEMBER))
                    .get(REDIS_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            return "OK".equals(set);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while recording Slack delivery " + key, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Redis did not record Slack delivery " + key + " in time", e);
        }
    }
}
