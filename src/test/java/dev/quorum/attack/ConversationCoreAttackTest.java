package dev.quorum.attack;

import dev.quorum.config.Directory;
import dev.quorum.config.QuorumConfig;
import dev.quorum.conversation.Conversation;
import dev.quorum.conversation.Identity;
import dev.quorum.conversation.InboundPipeline;
import dev.quorum.conversation.InboundPipeline.Delivery;
import dev.quorum.conversation.InboundPipeline.Kind;
import dev.quorum.conversation.IncomingMessage;
import dev.quorum.conversation.Messenger;
import dev.quorum.store.Redis;
import dev.quorum.testing.QuorumHarness;
import dev.quorum.testing.RecordingAdapter;
import dev.quorum.testing.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Attacks on the shared inbound pipeline and the platform roles it carries. */
class ConversationCoreAttackTest {
    private final List<IncomingMessage> handled = new CopyOnWriteArrayList<>();
    private Redis redis;
    private InboundPipeline pipeline;

    @TempDir
    Path dir;

    @BeforeEach
    void start() {
        redis = TestRedis.fresh();
        Messenger messenger = new Messenger();
        messenger.register(new RecordingAdapter("slack"));
        messenger.register(new RecordingAdapter("discord"));
        pipeline = new InboundPipeline(redis, messenger, m -> {
            handled.add(m);
            return Optional.empty();
        });
    }

    @AfterEach
    void stop() {
        pipeline.close();
        redis.close();
    }

    /** One platform's delivery ids cannot be used to swallow another platform's messages. */
    @Test
    void aDeliveryIdTakenOnOnePlatformDoesNotSilenceTheSameIdOnAnother() {
        assertThat(pipeline.handleNow(delivery("slack", "123", new Conversation("slack", "C1", null), Kind.MENTION))).isEmpty();
        pipeline.handleNow(delivery("discord", "123", new Conversation("discord", "C1", null), Kind.MENTION));

        assertThat(handled).extracting(m -> m.where().adapter()).containsExactly("slack", "discord");
    }

    /** Taking part in thread t1 of one channel does not open chatter in a thread of the same id elsewhere. */
    @Test
    void aThreadIdReusedInAnotherChannelOrPlatformIsNotATakenPartThread() {
        pipeline.takePart(new Conversation("slack", "C1", "t1"));

        pipeline.handleNow(delivery("slack", "a", new Conversation("slack", "C2", "t1"), Kind.THREAD_CHATTER));
        pipeline.handleNow(delivery("discord", "b", new Conversation("discord", "C1", "t1"), Kind.THREAD_CHATTER));
        pipeline.handleNow(delivery("slack", "c", new Conversation("slack", "C1", "t1"), Kind.THREAD_CHATTER));

        assertThat(handled).extracting(m -> m.where().channel() + "/" + m.where().adapter()).containsExactly("C1/slack");
    }

    /** A platform id that could forge a log line or pass for another identity never becomes a sender. */
    @Test
    void aSenderOfAnotherShapeIsRefusedBeforeItReachesThePipeline() {
        assertThatThrownBy(() -> new Identity("slack", "U1\nINFO forged line")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Identity("slack", "U1 console:dave")).isInstanceOf(IllegalArgumentException.class);
    }

    /** A role grants membership only as the adapter delivered it: text that names a role grants nothing. */
    @Test
    void aRoleNamedInTheCommandTextGrantsNothing() throws Exception {
        QuorumConfig c = QuorumHarness.config(dir, """
                groups: {oncall: ["discord-role:1/2"]}
                """, Map.of());
        Directory d = new Directory(c);
        Identity mallory = Identity.parse("discord:99");

        pipeline.handleNow(new Delivery("discord", "m1", mallory, "mallory", new Conversation("discord", "C1", null),
                "freeze discord-role:1/2", false, null, Kind.MENTION, Set.of(), null));

        IncomingMessage said = handled.getFirst();
        assertThat(said.roles()).isEmpty();
        assertThat(d.groupsOf(said.sender(), said.roles())).isEmpty();
    }

    private static Delivery delivery(String adapter, String id, Conversation where, Kind kind) {
        return new Delivery(adapter, id, new Identity(adapter, "U1"), "u1", where, "status", false, null, kind, Set.of(), null);
    }
}
