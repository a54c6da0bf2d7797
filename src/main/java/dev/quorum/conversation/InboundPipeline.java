package dev.quorum.conversation;

import dev.quorum.store.Redis;
import io.lettuce.core.SetArgs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The one way in for what members say, on every platform. An adapter turns each platform payload
 * into a {@link Delivery} (its own mention or prefix already stripped) and {@link #offer}s it
 * before it acknowledges the platform; the pipeline decides at once whether it is Quorum's
 * business (not a bot, not chatter in a thread Quorum is not in, not a delivery some instance
 * already took: one {@code SET NX} in Redis, atomic across instances), and does the rest after
 * the acknowledgement, on a virtual thread: the member's display name (cached), the "taken"
 * mark, the command. While Redis is out of reach ({@link #storeReachable}: a closed connection or
 * no PING answer within {@link #STORE_PROBE}) nothing is recorded or run: the member is told
 * {@link StoreUnreachableException#LINE} at once, and the platform is acknowledged so that it does
 * not deliver the command again later, when the member has been told it was not done. Thread-safe.
 */
public final class InboundPipeline implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(InboundPipeline.class);
    /** Platforms retry for minutes (Slack after 1 and 5 minutes); an hour covers that with room. */
    static final Duration REMEMBER = Duration.ofHours(1);
    /** A thread quiet this long is forgotten; a mention wakes it again. */
    static final Duration KEEP_THREAD = Duration.ofDays(7);
    static final String SEEN = "{q}:conv:seen:";
    static final String THREAD = "{q}:conv:thread:";
    /** Platforms want their answer within 3 s; a slower Redis fails the delivery and the platform retries it. */
    private static final Duration REDIS_WAIT = Duration.ofMillis(1500);
    /**
     * How long a live connection may take to answer PING before Redis counts as out of reach: far
     * above a healthy round trip (well under a millisecond on loopback), far below the platforms' 3 s.
     */
    static final Duration STORE_PROBE = Duration.ofMillis(500);
    /** A bound on memory; a larger membership just asks again. */
    private static final int MAX_NAMES = 10_000;

    private final Redis redis;
    private final Messenger messenger;
    private final InboundHandler handler;
    private final Map<Identity, String> names = new ConcurrentHashMap<>();
    private final ExecutorService afterAck = Executors.newVirtualThreadPerTaskExecutor();

    public InboundPipeline(Redis redis, Messenger messenger, InboundHandler handler) {
        this.redis = redis;
        this.messenger = messenger;
        this.handler = handler;
    }

    /** How a member reached Quorum; everything but {@link #THREAD_CHATTER} is addressed to it. */
    public enum Kind {
        /** Quorum mentioned by name in a channel. */
        MENTION,
        /** A direct message, or the console. */
        DIRECT,
        /** A plain message in a thread Quorum takes part in: acted on only when it is a well-formed command. */
        THREAD_CHATTER,
        /** A slash command. */
        COMMAND,
        /** A click on one of Quorum's buttons: the button's command as text. */
        CLICK
    }

    /**
     * One thing a platform delivered, in neutral terms.
     *
     * @param adapter    the adapter's name
     * @param deliveryId the platform's id for this delivery (Slack {@code event_id} or trigger id, Discord
     *                   message or interaction id), so that a redelivery or a second instance does not act
     *                   twice; {@code null}: no dedupe
     * @param givenName  the name the payload carried, or {@code null} to ask {@link ChatAdapter#displayName}
     * @param text       the command text, already stripped of the platform's mention or prefix
     * @param fromBot    said by a bot or app (Quorum included): dropped
     * @param messageId  the message to mark as taken, or {@code null} (clicks, slash commands)
     * @param roles      platform roles of the sender in group-entry form; may be empty
     * @param handle     the adapter's handle for a private answer, or {@code null}
     */
    public record Delivery(String adapter, String deliveryId, Identity sender, String givenName, Conversation where,
                           String text, boolean fromBot, String messageId, Kind kind, Set<String> roles,
                           ReplyHandle handle) {
        public Delivery {
            Objects.requireNonNull(adapter, "adapter");
            Objects.requireNonNull(sender, "sender");
            Objects.requireNonNull(where, "where");
            Objects.requireNonNull(kind, "kind");
            roles = roles == null ? Set.of() : Set.copyOf(roles);
        }

        public boolean addressed() {
            return kind != Kind.THREAD_CHATTER;
        }
    }

    /**
     * The part before the adapter acknowledges the platform: true when the delivery is taken (its
     * work then runs on a virtual thread), false when it is not Quorum's business or was taken before.
     *
     * @throws IllegalStateException when Redis does not record the delivery in time; the adapter must
     *                               then not acknowledge, so that the platform delivers it again
     */
    public boolean offer(Delivery d) {
        if (d.fromBot()) return false;
        try {
            if (!storeReachable()) throw new StoreUnreachableException("Redis is not connected or did not answer PING");
            if (!admits(d)) return false;
        } catch (StoreUnreachableException e) {
            LOG.warn("Redis is out of reach; a {} delivery from {} is answered with the outage line: {}", d.adapter(), d.sender(), e.getMessage());
            afterAck.execute(() -> tellUnreachable(d));
            return true;
        }
        afterAck.execute(() -> work(d));
        return true;
    }

    /**
     * {@link #offer}'s gate and work on the caller's thread, for adapters that answer with the
     * outcome (the console's {@code POST} answers with the request it opened).
     *
     * @return the id of the request the command opened; empty also when the delivery was not taken
     * @throws StoreUnreachableException when Redis is out of reach, before or while the command ran:
     *                                   the adapter answers {@link StoreUnreachableException#LINE} itself
     * @throws LimitReachedException     when a load limit refused the command
     */
    public Optional<String> handleNow(Delivery d) {
        if (d.fromBot()) return Optional.empty();
        if (!storeReachable()) throw new StoreUnreachableException("Redis is not connected or did not answer PING");
        if (!admits(d)) return Optional.empty();
        try {
            return handler.handle(prepare(d));
        } catch (StoreUnreachableException | LimitReachedException e) {
            throw e;
        } catch (RuntimeException e) {
            if (StoreUnreachableException.explains(e)) throw new StoreUnreachableException("Redis failed mid-command", e);
            LOG.warn("Could not hand on a {} message from {} in {}: {}", d.adapter(), d.sender(), d.where(), e.toString());
            return Optional.empty();
        }
    }

    /**
     * Whether Redis can be used right now, decided without waiting on Lettuce's command timeout: a
     * connection Lettuce knows is down answers false at once, a live one must answer PING within
     * {@link #STORE_PROBE} (a stalled server, a dropped route).
     */
    public boolean storeReachable() {
        if (!redis.connected()) return false;
        try {
            return "PONG".equals(redis.async().ping().get(STORE_PROBE.toMillis(), TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            return false;
        }
    }

    /** Quorum takes part in this thread from now on: members may talk to it there without a mention. */
    public void takePart(Conversation where) {
        if (where.thread() == null) return;
        redis.sync().setex(threadKey(where), KEEP_THREAD.toSeconds(), "1");
    }

    public boolean takesPart(Conversation where) {
        return where.thread() != null && redis.sync().exists(threadKey(where)) > 0;
    }

    private boolean admits(Delivery d) {
        if (d.fromBot()) return false; // bots never command Quorum, Quorum included
        if (d.kind() == Kind.THREAD_CHATTER && !takesPartInTime(d.where())) return false;
        return d.deliveryId() == null || firstTime(d.adapter() + ":" + d.deliveryId());
    }

    /** {@link #takesPart} on the gate, bounded like the delivery mark. */
    private boolean takesPartInTime(Conversation where) {
        return where.thread() != null && bounded(redis.async().exists(threadKey(where)), "thread " + where) > 0;
    }

    private boolean firstTime(String key) {
        return "OK".equals(bounded(redis.async().set(SEEN + key, "1", SetArgs.Builder.nx().ex(REMEMBER)), "delivery " + key));
    }

    /** Waits at most {@link #REDIS_WAIT} on the gate's Redis step; longer is an outage, not a slow answer. */
    private static <T> T bounded(java.util.concurrent.Future<T> step, String what) {
        try {
            return step.get(REDIS_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnreachableException("interrupted while recording " + what, e);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            throw new StoreUnreachableException("Redis did not record " + what + " in time", e);
        }
    }

    /** Never throws: a failure is logged, and the member has the router's apology, the outage line or nothing. */
    private Optional<String> work(Delivery d) {
        try {
            return handler.handle(prepare(d));
        } catch (LimitReachedException e) {
            return Optional.empty(); // the sender has been told; a refusal is no failure to log
        } catch (RuntimeException e) {
            LOG.warn("Could not hand on a {} message from {} in {}: {}", d.adapter(), d.sender(), d.where(), e.toString());
            return Optional.empty();
        }
    }

    private IncomingMessage prepare(Delivery d) {
        ChatAdapter adapter = messenger.adapter(d.adapter());
        if (d.addressed()) {
            takePart(d.where());
            if (d.messageId() != null) markTaken(adapter, d);
        }
        return message(d, nameOf(adapter, d));
    }

    private static IncomingMessage message(Delivery d, String name) {
        return new IncomingMessage(d.sender(), name, d.where(), d.text(), false, d.messageId(), d.addressed(), d.roles(), d.handle());
    }

    /**
     * The outage answer, on the after-ack thread: no Redis step at all (no mark, no thread, no
     * cached-name write), only the platform's post; the handler decides whether the text is a command.
     */
    private void tellUnreachable(Delivery d) {
        try {
            String name = d.givenName() != null && !d.givenName().isBlank() ? d.givenName() : d.sender().id();
            handler.storeUnreachable(message(d, name));
        } catch (RuntimeException e) {
            LOG.warn("Could not tell {} in {} that the store is out of reach: {}", d.sender(), d.where(), e.toString());
        }
    }

    /** The mark is a courtesy: a platform that refuses it must not cost the member their command. */
    private static void markTaken(ChatAdapter adapter, Delivery d) {
        try {
            adapter.markTaken(d.where(), d.messageId());
        } catch (RuntimeException e) {
            LOG.debug("Could not mark {} as taken: {}", d.messageId(), e.toString());
        }
    }

    private String nameOf(ChatAdapter adapter, Delivery d) {
        if (d.givenName() != null && !d.givenName().isBlank()) return d.givenName();
        String known = names.get(d.sender());
        if (known != null) return known;
        Optional<String> asked;
        try {
            asked = adapter.displayName(d.sender());
        } catch (RuntimeException e) {
            LOG.debug("No display name for {}: {}", d.sender(), e.toString());
            asked = Optional.empty();
        }
        if (asked.isEmpty() || asked.get().isBlank()) return d.sender().id();
        if (names.size() >= MAX_NAMES) names.clear();
        names.put(d.sender(), asked.get());
        return asked.get();
    }

    private static String threadKey(Conversation where) {
        return THREAD + where.adapter() + ":" + where.channel() + ":" + where.thread();
    }

    @Override
    public void close() {
        afterAck.shutdown();
        try {
            afterAck.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
