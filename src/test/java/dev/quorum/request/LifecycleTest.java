package dev.quorum.request;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import static dev.quorum.request.RequestState.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LifecycleTest {
    @Test
    void workFollowsTheSpecPath() {
        assertThat(Lifecycle.allowed(RequestType.TEST, QUEUED, RUNNING)).isTrue();
        assertThat(Lifecycle.allowed(RequestType.TEST, RUNNING, SUCCEEDED)).isTrue();
        assertThat(Lifecycle.allowed(RequestType.CODE, RUNNING, CANCELLED)).isTrue();
        assertThat(Lifecycle.statesOf(RequestType.RESEARCH)).containsExactlyInAnyOrder(QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED);
    }

    @Test
    void actionsFollowTheSpecPath() {
        assertThat(Lifecycle.allowed(RequestType.MERGE, QUEUED, VERIFYING)).isTrue();
        assertThat(Lifecycle.allowed(RequestType.MERGE, VERIFYING, AWAITING_APPROVAL)).isTrue();
        assertThat(Lifecycle.allowed(RequestType.MERGE, AWAITING_APPROVAL, EXECUTING)).isTrue();
        assertThat(Lifecycle.allowed(RequestType.DEPLOY, EXECUTING, DONE)).isTrue();
        assertThat(Lifecycle.statesOf(RequestType.DEPLOY)).containsExactlyInAnyOrder(QUEUED, VERIFYING, AWAITING_APPROVAL,
                EXECUTING, DONE, REJECTED, EXPIRED, STALE, FAILED, CANCELLED);
    }

    @Test
    void nothingSkipsTheApproval() {
        assertThat(Lifecycle.allowed(RequestType.MERGE, VERIFYING, EXECUTING)).isFalse();
        assertThat(Lifecycle.allowed(RequestType.MERGE, QUEUED, EXECUTING)).isFalse();
        assertThat(Lifecycle.allowed(RequestType.DEPLOY, QUEUED, DONE)).isFalse();
    }

    @Test
    void workNeverEntersActionStates() {
        assertThat(Lifecycle.allowed(RequestType.TEST, QUEUED, VERIFYING)).isFalse();
        assertThat(Lifecycle.allowed(RequestType.CODE, RUNNING, DONE)).isFalse();
    }

    @Test
    void anIllegalTransitionFailsLoudlyNamingTheRequest() {
        assertThatThrownBy(() -> Lifecycle.check("R7", RequestType.MERGE, DONE, EXECUTING))
                .isInstanceOf(IllegalTransitionException.class)
                .hasMessage("request R7 (merge) cannot go from done to executing");
    }

    @Property
    void terminalStatesAreFinal(@ForAll RequestType type, @ForAll RequestState from, @ForAll RequestState to) {
        if (from.isTerminal()) assertThat(Lifecycle.allowed(type, from, to)).isFalse();
    }

    @Property
    void noStateLeadsToItself(@ForAll RequestType type, @ForAll RequestState s) {
        assertThat(Lifecycle.allowed(type, s, s)).isFalse();
    }
}
