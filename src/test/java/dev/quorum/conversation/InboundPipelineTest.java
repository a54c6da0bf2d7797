package dev.quorum.conversation;

import dev.quorum.conversation.InboundPipeline.Delivery;
import dev.quorum.conversation.InboundPipeline.Kind;
import dev.quorum.store.Redis;
import dev.quorum.testing.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The shared inbound gate and its after-ack work, against a real Redis. */
class InboundPipelineTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final Identity ALICE = new Identity("chat", "ALICE");
    private static final Conversation CHANNEL = new Conversation("chat", "C1", null);
    private static final Conversation THREAD = CHANNEL.inThread("t1");

    private final BlockingQueue<IncomingMessage> handled = new LinkedBlockingQueue<>();
    private final NamingAdapter adapter = new NamingAdapter();
    private Redis redis;
    private InboundPipeline pipeline;
    private volatile RuntimeException failNext;
    private final AtomicInteger opened = new AtomicInteger();

    @BeforeEach
    void start() {
        redis = TestRedis.fresh();
        Messenger messenger = new Messenger();
        messenger.register(adapter);
        pipeline = new InboundPipeline(redis, messenger, message -> {
            handled.add(message);
            RuntimeException e = failNext;
            failNext = null;
            if (e != null) throw e;
            return Optional.of("R" + opened.incrementAndGet());
        });
    }

    @AfterEach
    void stop() {
        pipeline.close();
        redis.close();
    }

    @Test
    void aMentionIsHandledAfterTheOfferReturnsWithTheAdaptersNameMarkedAndItsThreadTakenPartIn() throws Exception {
        assertThat(pipeline.offer(delivery("Ev1", "hello", Kind.MENTION, THREAD, "m1"))).isTrue();

        IncomingMessage m = next();
        assertThat(m.sender()).isEqualTo(ALICE);
        assertThat(m.displayName()).isEqualTo("Alice A.");
        assertThat(m.text()).isEqualTo("hello");
        assertThat(m.addressed()).isTrue();
        assertThat(m.roles()).containsExactly("discord-role:1/2");
        assertThat(m.handle()).isEqualTo(Handle.ONE);
        assertThat(adapter.taken).containsExactly("t1/m1");
        assertThat(pipeline.takesPart(THREAD)).isTrue();
        assertThat(pipeline.takesPart(CHANNEL.inThread("t2"))).isFalse();
    }

    @Test
    void theSameDeliveryIsTakenOnceEvenByTwoPipelinesOnOneRedis() throws Exception {
        Messenger messenger = new Messenger();
        messenger.register(adapter);
        try (InboundPipeline second = new InboundPipeline(redis, messenger, message -> {
            handled.add(message);
            return Optional.empty();
        })) {
            assertThat(pipeline.offer(delivery("Ev2", "status", Kind.MENTION, CHANNEL, null))).isTrue();
            assertThat(pipeline.offer(delivery("Ev2", "status", Kind.MENTION, CHANNEL, null))).isFalse();
            assertThat(second.offer(delivery("Ev2", "status", Kind.MENTION, CHANNEL, null))).isFalse();
            assertThat(second.handleNow(delivery("Ev2", "status", Kind.MENTION, CHANNEL, null))).isEmpty();
            next();
            assertThat(pipeline.handleNow(delivery("Ev3", "status", Kind.MENTION, CHANNEL, null))).contains("R2");
            next();
            assertThat(handled).as("Ev2 was handled once").isEmpty();
        }
        assertThat(redis.sync().ttl(InboundPipeline.SEEN + "chat:Ev2")).isBetween(3500L, 3600L);
    }

    @Test
    void botsAreNeverHandledNorRecorded() {
        Delivery bot = new Delivery("chat", "EvBot", ALICE, null, CHANNEL, "freeze", true, "m9", Kind.MENTION, Set.of(), null);

        assertThat(pipeline.offer(bot)).isFalse();
        assertThat(pipeline.handleNow(bot)).isEmpty();
        assertThat(redis.sync().keys("{q}:conv:*")).isEmpty();
        assertThat(handled).isEmpty();
    }

    @Test
    void chatterCountsOnlyInAThreadQuorumTakesPartIn() throws Exception {
        assertThat(pipeline.offer(delivery("Ev4", "status", Kind.THREAD_CHATTER, THREAD, "m4"))).isFalse();
        assertThat(pipeline.offer(delivery("Ev5", "status", Kind.THREAD_CHATTER, CHANNEL, "m5"))).isFalse();

        pipeline.takePart(THREAD);
        assertThat(pipeline.offer(delivery("Ev6", "status", Kind.THREAD_CHATTER, THREAD, "m6"))).isTrue();
        IncomingMessage m = next();
        assertThat(m.addressed()).isFalse();
        assertThat(adapter.taken).as("chatter is not marked: it may not be Quorum's business").isEmpty();
        assertThat(redis.sync().ttl(InboundPipeline.THREAD + "chat:C1:t1")).isGreaterThan(Duration.ofDays(6).toSeconds());
    }

    @Test
    void aGivenNameWinsAndAnAskedNameIsAskedOnce() throws Exception {
        pipeline.handleNow(delivery("Ev7", "a", Kind.COMMAND, CHANNEL, null));
        pipeline.handleNow(delivery("Ev8", "b", Kind.COMMAND, CHANNEL, null));
        Delivery named = new Delivery("chat", "Ev9", ALICE, "alice", CHANNEL, "c", false, null, Kind.CLICK, Set.of(), null);
        pipeline.handleNow(named);

        assertThat(List.of(next().displayName(), next().displayName(), next().displayName()))
                .containsExactly("Alice A.", "Alice A.", "alice");
        assertThat(adapter.asked).hasValue(1);
    }

    @Test
    void aFailingHandlerReachesNoChatAndTheNextDeliveryIsHandled() throws Exception {
        failNext = new IllegalStateException("boom at line 42");

        assertThat(pipeline.handleNow(delivery("Ev10", "status", Kind.DIRECT, CHANNEL, null))).isEmpty();
        next();
        assertThat(pipeline.offer(delivery("Ev11", "status", Kind.DIRECT, CHANNEL, null))).isTrue();
        assertThat(next().text()).isEqualTo("status");
        assertThat(adapter.said).isEmpty();
    }

    @Test
    void aRedisThatIsGoneIsAnOutageAnsweredAtOnceAndAcknowledgedNotAFailedOfferThePlatformRetriesLater() throws Exception {
        Redis gone = Redis.connect(TestRedis.uri());
        gone.close();
        Messenger messenger = new Messenger();
        messenger.register(adapter);
        BlockingQueue<IncomingMessage> told = new LinkedBlockingQueue<>();
        InboundHandler handler = new InboundHandler() {
            @Override
            public Optional<String> handle(IncomingMessage message) {
                handled.add(message);
                return Optional.empty();
            }

            @Override
            public void storeUnreachable(IncomingMessage message) {
                told.add(message);
            }
        };
        try (InboundPipeline broken = new InboundPipeline(gone, messenger, handler)) {
            assertThat(broken.storeReachable()).isFalse();
            assertThat(broken.offer(delivery("Ev12", "status", Kind.MENTION, CHANNEL, "m12"))).isTrue();
            IncomingMessage m = told.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(m).isNotNull();
            assertThat(m.text()).isEqualTo("status");
            assertThat(m.handle()).as("a Discord interaction is answered through its handle").isEqualTo(Handle.ONE);
            assertThat(m.displayName()).as("not asked of the platform in an outage").isEqualTo("ALICE");
            assertThatThrownBy(() -> broken.handleNow(delivery(null, "status", Kind.DIRECT, CHANNEL, null)))
                    .isInstanceOf(StoreUnreachableException.class);
        }
        assertThat(handled).isEmpty();
        assertThat(adapter.taken).as("no mark: the message was not taken").isEmpty();
    }

    private static Delivery delivery(String id, String text, Kind kind, Conversation where, String messageId) {
        return new Delivery("chat", id, ALICE, null, where, text, false, messageId, kind, Set.of("discord-role:1/2"), Handle.ONE);
    }

    private IncomingMessage next() throws InterruptedException {
        IncomingMessage m = handled.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(m).as("a handled message within " + WAIT).isNotNull();
        return m;
    }

    private enum Handle implements ReplyHandle { ONE }

    /** A platform that names members and marks messages, and says what it was asked. */
    private static final class NamingAdapter implements ChatAdapter {
        final AtomicInteger asked = new AtomicInteger();
        final List<String> taken = new CopyOnWriteArrayList<>();
        final List<Reply> said = new CopyOnWriteArrayList<>();

        @Override
        public String name() {
            return "chat";
        }

        @Override
        public void start(InboundPipeline pipeline) {}

        @Override
        public void stop() {}

        @Override
        public PostedMessage post(Conversation where, Reply reply) {
            said.add(reply);
            return new PostedMessage(where, "p" + said.size());
        }

        @Override
        public void update(PostedMessage message, Reply reply) {
            said.add(reply);
        }

        @Override
        public void whisper(IncomingMessage to, Reply reply) {
            said.add(reply);
        }

        @Override
        public String health() {
            return "UP";
        }

        @Override
        public Optional<String> displayName(Identity who) {
            asked.incrementAndGet();
            return Optional.of("Alice A.");
        }

        @Override
        public void markTaken(Conversation where, String messageId) {
            taken.add(where.thread() + "/" + messageId);
        }
    }
}
