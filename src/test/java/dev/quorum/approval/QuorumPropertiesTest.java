package dev.quorum.approval;

import dev.quorum.conversation.Identity;
import dev.quorum.config.QuorumConfig;
import dev.quorum.request.Request;
import dev.quorum.request.RequestState;
import dev.quorum.testing.QuorumHarness;
import dev.quorum.testing.TestClock;
import dev.quorum.testing.TestRedis;
import dev.quorum.testing.TestRepo;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.lifecycle.BeforeTry;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random histories of votes, pushes, clock jumps, freezes, restarts and execution runs, through
 * the real approval services on a real Redis and a real repository, checked against
 * {@link QuorumModel}: nothing executes without quorum on the current subject, and everything
 * executes at most once.
 */
class QuorumPropertiesTest {
    sealed interface Op {
        record Vote(String user, boolean approve) implements Op {}
        record Push() implements Op {}
        record Advance(int minutes) implements Op {}
        record Freeze() implements Op {}
        record Unfreeze() implements Op {}
        record Restart() implements Op {}
        record Sweep() implements Op {}
        record RunJobs() implements Op {}
    }

    private Path dir;
    private TestRepo repo;
    private QuorumConfig config;
    private TestClock clock;
    private String mainSha;

    @BeforeTry
    void freshWorld() throws Exception {
        TestRedis.flush();
        dir = Files.createTempDirectory("quorum-props");
        repo = TestRepo.init(dir.resolve("app"));
        mainSha = repo.commit("base", Map.of("a.txt", "a\n"));
        repo.git().checkout().setCreateBranch(true).setName("feature").call();
        repo.commit("feature", Map.of("b.txt", "b\n"));
        repo.git().checkout().setName("main").call();
        config = QuorumHarness.config(dir.resolve("data"), """
                console: {demo: true, users: {alice: {}, bob: {}, carol: {}, dave: {}, erin: {}}}
                groups: {engineers: [console:alice, console:bob, console:carol, console:dave], oncall: [console:dave]}
                repos: {app: {path: %s}}
                policies: {merge: {approvals: 2, eligible: [engineers], veto: true, ttl: 60m}}
                """.formatted(repo.dir()), Map.of());
        clock = TestClock.startingNow();
    }

    @AfterTry
    void cleanUp() {
        repo.close();
    }

    @Property(tries = 150)
    void nothingExecutesWithoutQuorumOnTheCurrentSubjectAndNothingTwice(@ForAll("histories") List<Op> history) throws Exception {
        QuorumModel model = new QuorumModel();
        ApprovalRig rig = new ApprovalRig(TestRedis.uri(), config, clock);
        try {
            Request r = rig.openMerge("alice", "feature");
            String mergeSha = rig.approvals.store().find(r.id()).orElseThrow().subject().resultSha();
            for (Op op : history) {
                switch (op) {
                    case Op.Vote v -> {
                        rig.vote(v.user(), r.id(), v.approve());
                        model.vote(v.user(), v.approve());
                    }
                    case Op.Push p -> {
                        repo.git().checkout().setName("feature").call();
                        repo.commit("push", Map.of("c.txt", "c" + System.nanoTime() + "\n"));
                        repo.git().checkout().setName("main").call();
                        model.push();
                    }
                    case Op.Advance a -> {
                        clock.advance(Duration.ofMinutes(a.minutes()));
                        model.advance(a.minutes());
                    }
                    case Op.Freeze f -> {
                        rig.freeze.freeze(Identity.console("dave"), "drill", clock.instant());
                        model.freeze();
                    }
                    case Op.Unfreeze u -> {
                        if (rig.freeze.unfreeze()) rig.approvals.releaseAfterUnfreeze("console:dave");
                        model.unfreeze();
                    }
                    case Op.Restart s -> {
                        rig.close();
                        rig = new ApprovalRig(TestRedis.uri(), config, clock);
                    }
                    case Op.Sweep s -> {
                        rig.approvals.expireDue();
                        model.sweep();
                    }
                    case Op.RunJobs j -> {
                        if (!rig.freeze.isFrozen()) rig.runJobs();
                        model.runJobs();
                    }
                }
                String main = repo.head("main");
                assertThat(rig.executions()).as("executions after %s", op).isLessThanOrEqualTo(1);
                assertThat(main).as("main after %s", op).isIn(mainSha, mergeSha);
                if (main.equals(mergeSha)) {
                    assertThat(model.executions).as("main moved, so the model must have executed (after %s)", op).isEqualTo(1);
                }
            }
            Statistics.label("final state").collect(model.state);
            // the histories must keep reaching every ending, or this property proves little
            Statistics.label("final state").coverage(c -> {
                c.check(QuorumModel.State.DONE).count(n -> n >= 5);
                c.check(QuorumModel.State.STALE).count(n -> n >= 3);
                c.check(QuorumModel.State.REJECTED).count(n -> n >= 3);
                c.check(QuorumModel.State.EXPIRED).count(n -> n >= 3);
            });
            assertThat(rig.state(r.id())).as("state after %s", history).isEqualTo(expected(model.state));
            assertThat(rig.executions()).isEqualTo(model.executions);
            if (model.executions == 1) {
                assertThat(rig.approvals.store().votes(r.id()).stream().filter(Vote::approves).map(Vote::voter).distinct()
                        .filter(v -> !v.equals("console:alice")).count()).isGreaterThanOrEqualTo(2);
            }
        } finally {
            rig.close();
        }
    }

    private static RequestState expected(QuorumModel.State s) {
        return switch (s) {
            case OPEN -> RequestState.AWAITING_APPROVAL;
            case EXECUTING -> RequestState.EXECUTING;
            case DONE -> RequestState.DONE;
            case REJECTED -> RequestState.REJECTED;
            case EXPIRED -> RequestState.EXPIRED;
            case STALE -> RequestState.STALE;
        };
    }

    @Provide
    Arbitrary<List<Op>> histories() {
        Arbitrary<Op> vote = Arbitraries.of("alice", "bob", "carol", "dave", "erin")
                .flatMap(user -> Arbitraries.frequency(Tuple.of(6, true), Tuple.of(1, false))
                        .map(approve -> (Op) new Op.Vote(user, approve)));
        Arbitrary<Op> advance = Arbitraries.integers().between(5, 60).map(Op.Advance::new);
        Arbitrary<Op> op = Arbitraries.frequencyOf(
                Tuple.of(12, vote),
                Tuple.of(1, Arbitraries.just(new Op.Push())),
                Tuple.of(3, advance),
                Tuple.of(1, Arbitraries.just(new Op.Freeze())),
                Tuple.of(2, Arbitraries.just(new Op.Unfreeze())),
                Tuple.of(1, Arbitraries.just(new Op.Restart())),
                Tuple.of(2, Arbitraries.just(new Op.Sweep())),
                Tuple.of(4, Arbitraries.just(new Op.RunJobs())));
        return op.list().ofMinSize(4).ofMaxSize(24);
    }
}
