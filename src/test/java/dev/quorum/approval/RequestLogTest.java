package dev.quorum.approval;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.quorum.conversation.Identity;
import dev.quorum.conversation.IncomingMessage;
import dev.quorum.config.QuorumConfig;
import dev.quorum.request.Request;
import dev.quorum.request.RequestState;
import dev.quorum.request.Requests;
import dev.quorum.testing.CapturedLog;
import dev.quorum.testing.QuorumHarness;
import dev.quorum.testing.TestClock;
import dev.quorum.testing.TestRedis;
import dev.quorum.testing.TestRepo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator's log has one INFO line per state change of a request, the ones Quorum's code
 * makes and the ones the vote and expiry scripts make in Redis alike: id, type, who asked (by
 * name), from and to, and the reason when there is one.
 */
class RequestLogTest {
    @TempDir
    Path dir;
    private TestRepo repo;
    private TestClock clock;
    private ApprovalRig rig;
    private CapturedLog log;

    @BeforeEach
    void setUp() throws Exception {
        TestRedis.flush();
        repo = TestRepo.init(dir.resolve("app"));
        repo.commit("base", Map.of("a.txt", "a\n"));
        repo.git().checkout().setCreateBranch(true).setName("feature").call();
        repo.commit("feature", Map.of("b.txt", "b\n"));
        repo.git().checkout().setName("main").call();
        QuorumConfig config = QuorumHarness.config(dir.resolve("data"), """
                console: {demo: true, users: {alice: {}, bob: {}, carol: {}}}
                groups: {engineers: [console:alice, console:bob, console:carol]}
                repos: {app: {path: %s}}
                policies: {merge: {approvals: 2, eligible: [engineers], veto: true, ttl: 60m}}
                """.formatted(repo.dir()), Map.of());
        clock = TestClock.startingNow();
        rig = new ApprovalRig(TestRedis.uri(), config, clock);
        log = CapturedLog.of(Requests.class);
    }

    @AfterEach
    void tearDown() {
        log.close();
        rig.close();
        repo.close();
    }

    @Test
    void everyChangeOfAMergeThatReachesQuorumIsOneLine() throws Exception {
        Request r = rig.openMerge("alice", "feature");
        rig.vote("bob", r.id(), true);
        rig.vote("carol", r.id(), true);
        rig.runJobs();

        assertThat(rig.state(r.id())).isEqualTo(RequestState.DONE);
        assertThat(log.events()).extracting(ILoggingEvent::getLevel).containsOnly(Level.INFO);
        assertThat(lines()).satisfiesExactly(
                l -> assertThat(l).isEqualTo("R1 merge by alice: new -> queued"),
                l -> assertThat(l).isEqualTo("R1 merge by alice: queued -> verifying"),
                l -> assertThat(l).isEqualTo("R1 merge by alice: verifying -> awaiting_approval"),
                l -> assertThat(l).isEqualTo("R1 merge by alice: awaiting_approval -> executing (quorum reached: "
                        + "2 approvals (bob, carol))"),
                l -> assertThat(l).startsWith("R1 merge by alice: executing -> done ("));
    }

    @Test
    void rejectionAndExpiryMadeByTheScriptsAreLoggedToo() throws Exception {
        Request rejected = rig.openMerge("alice", "feature");
        rig.approvals.vote(IncomingMessage.human(Identity.console("bob"), ApprovalRig.ROOM,
                "reject " + rejected.id() + " not now"), rejected.id(), false, "not now");
        Request expired = rig.openMerge("carol", "feature");
        clock.advance(Duration.ofMinutes(61));
        assertThat(rig.approvals.expireDue()).isEqualTo(1);

        assertThat(lines()).contains(
                "R1 merge by alice: awaiting_approval -> rejected (rejected by bob: not now)",
                "R2 merge by carol: awaiting_approval -> expired (the approval window closed before a quorum was reached)");
        assertThat(rig.state(expired.id())).isEqualTo(RequestState.EXPIRED);
    }

    private List<String> lines() {
        return log.events().stream().map(ILoggingEvent::getFormattedMessage).toList();
    }
}
