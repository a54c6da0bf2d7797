package dev.quorum.approval;

import dev.quorum.conversation.Identity;
import dev.quorum.conversation.IncomingMessage;
import dev.quorum.request.Request;
import dev.quorum.request.RequestState;
import dev.quorum.testing.QuorumHarness;
import dev.quorum.testing.TestClock;
import dev.quorum.testing.TestRedis;
import dev.quorum.testing.TestRepo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One person with a Slack and a Discord identity (linked in {@code people:}) is one voter: the second
 * platform's vote is a repeat, and the quorum needs another person. A Discord member counts for a group
 * through a role ({@code discord-role:<guild>/<role>} in {@code groups:}).
 */
class CrossPlatformPersonTest {
    private static final String GUILD = "900000000000000001";
    private static final String ROLE = "900000000000000077";

    @TempDir
    Path dir;

    @Test
    void aPersonVotingFromSlackAndFromDiscordCountsOnce() throws Exception {
        TestRedis.flush();
        try (TestRepo repo = TestRepo.init(dir.resolve("app"))) {
            String base = repo.commit("base", Map.of("a.txt", "a\n"));
            repo.branch("feature", repo.commit("feature", Map.of("b.txt", "b\n")));
            repo.git().reset().setMode(org.eclipse.jgit.api.ResetCommand.ResetType.HARD).setRef(base).call();
            var config = QuorumHarness.config(dir.resolve("data"), """
                    console: {demo: true, users: {carol: {}}}
                    people: {alice: [slack:UALICE, discord:400000000000000001]}
                    groups: {engineers: [alice, "discord-role:%s/%s"]}
                    repos: {app: {path: %s}}
                    policies: {merge: {approvals: 2, eligible: [engineers], ttl: 60m}}
                    """.formatted(GUILD, ROLE, repo.dir()), Map.of());
            try (ApprovalRig rig = new ApprovalRig(TestRedis.uri(), config, TestClock.startingNow())) {
                Request r = rig.openMerge("carol", "feature");

                VoteOutcome fromSlack = rig.approvals.vote(say(new Identity("slack", "UALICE"), Set.of(), r), r.id(), true, null);
                VoteOutcome fromDiscord = rig.approvals.vote(say(new Identity("discord", "400000000000000001"), Set.of(), r), r.id(), true, null);

                assertThat(fromSlack).isInstanceOf(VoteOutcome.Counted.class);
                assertThat(fromDiscord).isEqualTo(new VoteOutcome.Refused("You already voted on " + r.id() + "; a vote counts once."));
                assertThat(rig.state(r.id())).isEqualTo(RequestState.AWAITING_APPROVAL);

                Identity dana = new Identity("discord", "400000000000000002");
                VoteOutcome withoutRole = rig.approvals.vote(say(dana, Set.of(), r), r.id(), true, null);
                VoteOutcome withRole = rig.approvals.vote(say(dana, Set.of("discord-role:" + GUILD + "/" + ROLE), r), r.id(), true, null);

                assertThat(withoutRole).isEqualTo(new VoteOutcome.Refused("Only members of engineers may vote on " + r.id() + "; your vote cannot count."));
                assertThat(withRole).isInstanceOf(VoteOutcome.QuorumReached.class);
            }
        }
    }

    /** An approval said where the request's card is (its own conversation), by {@code who}. */
    private static IncomingMessage say(Identity who, Set<String> roles, Request r) {
        return new IncomingMessage(who, who.id(), r.origin(), "approve " + r.id(), false, null, true, roles, null);
    }
}
