package dev.quorum.command;

import dev.quorum.conversation.Conversation;
import dev.quorum.conversation.Identity;
import dev.quorum.request.Request;
import dev.quorum.request.RequestStore;
import dev.quorum.request.RequestType;
import dev.quorum.store.Redis;
import dev.quorum.testing.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** How a member goes on with a request Quorum gave up on, from the registry of rerunners alone. */
class RerunsTest {
    private final Redis redis = TestRedis.fresh();
    private final Map<RequestType, Rerunner> registry = new EnumMap<>(RequestType.class);
    private final Reruns reruns = new Reruns(registry);

    @AfterEach
    void tearDown() {
        redis.close();
    }

    private Request request(RequestType type, String text) {
        return new RequestStore(redis).create(type, Identity.console("alice"), "alice", new Conversation("console", "general", null),
                text, null, Instant.now());
    }

    @Test
    void aTypeWithARerunnerIsToldToRerunOnlyOnceItsRerunnerIsRegistered() {
        Request research = request(RequestType.RESEARCH, "research why");
        assertThat(reruns.howToGoOn(research)).as("nothing registered yet: no rerun to offer").isEmpty();
        registry.put(RequestType.RESEARCH, (original, by) -> original); // a capability registers it while Quorum assembles
        assertThat(reruns.howToGoOn(research)).contains("`rerun " + research.id() + "` starts it again");
        assertThat(reruns.of(RequestType.RESEARCH)).isPresent();
        assertThat(reruns.of(RequestType.CODE)).isEmpty();
    }

    @Test
    void anActionIsNeverToldToRerunButToCheckAndProposeItAgain() {
        registry.put(RequestType.MERGE, (original, by) -> original); // even if something registered one
        Request merge = request(RequestType.MERGE, "merge `feature`");
        assertThat(reruns.howToGoOn(merge)).contains("check what it acts on before proposing it again (`merge 'feature'`)");
    }
}
