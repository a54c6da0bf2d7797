package dev.quorum.agent.work;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quorum.agent.transcript.ToolCall;
import dev.quorum.conversation.Conversation;
import dev.quorum.conversation.Identity;
import dev.quorum.conversation.Links;
import dev.quorum.conversation.Messenger;
import dev.quorum.evidence.Redactor;
import dev.quorum.request.Cancellation;
import dev.quorum.request.Request;
import dev.quorum.request.RequestProgress;
import dev.quorum.request.RequestStore;
import dev.quorum.request.RequestType;
import dev.quorum.store.Redis;
import dev.quorum.testing.TestRedis;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Fencing: when an instance stalls past the reclaim period, another one takes the request over with a newer attempt;
 * the stalled attempt must stop at its next step and leave the request to the newer one.
 */
class SupersededAttemptTest {
    private final Redis redis = TestRedis.fresh();
    private final RequestStore requests = new RequestStore(redis);
    private final AgentRunStore store = new AgentRunStore(redis, Redactor.SHAPES_ONLY);
    private final RunWiring wiring = new RunWiring(new RequestProgress(new Messenger(), requests, new Links("http://q")),
            requests, store, Redactor.SHAPES_ONLY);

    @AfterEach
    void tearDown() {
        redis.close();
    }

    private Request aRequest() {
        return requests.create(RequestType.CODE, Identity.console("alice"), "alice", new Conversation("console", "room", null),
                "code something", null, Instant.now());
    }

    private static ToolCall aToolCall(int seq) {
        return new ToolCall(seq, Instant.now(), "list_files", "{}", ToolCall.Status.OK, "README.md", 1);
    }

    @Test
    void anAttemptThatANewerAttemptSupersededIsStoppedAtItsNextStep() {
        Request r = aRequest();
        int first = store.nextAttempt(r.id());
        try (RunWiring.Wired wired = wiring.wire(r, first, new Cancellation())) {
            wired.context().transcript().append(r.id(), aToolCall(1));
            assertThat(wired.context().cancel().isCancelled()).isFalse();

            store.nextAttempt(r.id()); // another instance reclaimed the job and started attempt 2
            wired.context().transcript().append(r.id(), aToolCall(2));

            assertThat(wired.superseded()).isTrue();
            assertThat(wired.context().cancel().isCancelled()).isTrue();
        }
    }

    @Test
    void aCancelOfTheJobReachesTheRunButIsNoSupersession() {
        Request r = aRequest();
        Cancellation cancel = new Cancellation();
        try (RunWiring.Wired wired = wiring.wire(r, store.nextAttempt(r.id()), cancel)) {
            cancel.cancel("cancelled by alice");
            assertThat(wired.context().cancel().isCancelled()).isTrue();
            assertThat(wired.superseded()).isFalse();
        }
    }
}
