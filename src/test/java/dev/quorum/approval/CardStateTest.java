package dev.quorum.approval;

import dev.quorum.conversation.Identity;
import dev.quorum.conversation.Reply;
import dev.quorum.request.RequestState;
import dev.quorum.testing.QuorumHarness;
import dev.quorum.testing.RecordingAdapter;
import dev.quorum.testing.TestClock;
import dev.quorum.testing.TestRedis;
import dev.quorum.testing.TestRepo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The card follows what changes without a vote: a freeze that begins after the quorum, while
 * the execution waits it out, then the end of the freeze and the execution.
 */
class CardStateTest {
    @TempDir
    Path dir;

    @Test
    void anExecutionThatWaitsOutAFreezeSaysSoOnItsCardAndThenSaysDone() throws Exception {
        TestRedis.flush();
        try (TestRepo repo = TestRepo.init(dir.resolve("app"))) {
            repo.commit("base", Map.of("a.txt", "a\n"));
            repo.git().checkout().setCreateBranch(true).setName("feature").call();
            repo.commit("feature", Map.of("b.txt", "b\n"));
            repo.git().checkout().setName("main").call();
            var config = QuorumHarness.config(dir.resolve("data"), """
                    console: {demo: true, users: {alice: {}, bob: {}, carol: {}, dave: {}}}
                    groups: {engineers: [console:alice, console:bob, console:carol, console:dave], oncall: [console:dave]}
                    repos: {app: {path: %s}}
                    policies: {merge: {approvals: 2, eligible: [engineers], ttl: 60m}}
                    """.formatted(repo.dir()), Map.of());
            try (ApprovalRig rig = new ApprovalRig(TestRedis.uri(), config, TestClock.startingNow())) {
                String id = rig.openMerge("alice", "feature").id();
                rig.vote("bob", id, true);
                assertThat(rig.vote("carol", id, true)).isInstanceOf(VoteOutcome.QuorumReached.class);
                assertThat(lastCard(rig, id).text()).endsWith("— quorum reached: executing");
                rig.freeze.freeze(Identity.console("dave"), "drill", rig.requests.clock().instant());
                CompletableFuture<Integer> execution = CompletableFuture.supplyAsync(() -> {
                    try {
                        return rig.runJobs();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                long deadline = System.nanoTime() + 20_000_000_000L;
                while (!lastCard(rig, id).text().endsWith("— quorum reached; waiting for unfreeze")) {
                    assertThat(System.nanoTime()).as("the card says it waits for unfreeze").isLessThan(deadline);
                    Thread.sleep(20);
                }
                assertThat(lastCard(rig, id).buttons()).isEmpty();
                assertThat(rig.state(id)).isEqualTo(RequestState.EXECUTING);
                rig.freeze.unfreeze();
                assertThat(execution.get()).isEqualTo(1);
                assertThat(lastCard(rig, id).text()).contains("— done: `main` is now ");
            }
        }
    }

    private static Reply lastCard(ApprovalRig rig, String id) {
        return rig.chat.said().reversed().stream().map(RecordingAdapter.Said::reply)
                .filter(r -> id.equals(r.requestId()) && r.text().startsWith(id + " · merge `")).findFirst().orElseThrow();
    }
}
