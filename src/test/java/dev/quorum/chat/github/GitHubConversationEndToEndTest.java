package dev.quorum.chat.github;

import dev.quorum.approval.Vote;
import dev.quorum.request.RequestState;
import dev.quorum.testing.Suites;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A team working in a pull request's comments on GitHub, against a whole Quorum: {@link PullRequestWorld}'s
 * FakeGitHub (with a real git server) delivers signed webhook events to {@code POST /github/webhook}, and what Quorum
 * answers is read back from the comments it posted there. Commands, votes, reviews, and GitHub's state (closed
 * elsewhere, pushed to) acted on at once, with no vote needed to notice.
 */
class GitHubConversationEndToEndTest {
    @TempDir
    Path dir;
    private PullRequestWorld w;

    @AfterEach
    void stop() throws Exception {
        if (w != null) w.close();
    }

    private void start(String tests) throws Exception {
        w = PullRequestWorld.start(dir, tests, "");
    }

    /** alice proposes merging the pull request in its comments; its card is a comment there. */
    private String proposed() throws Exception {
        w.comment("alice", "/quorum merge #" + w.pr);
        w.awaitSaid(w.pr, body -> body.contains("R1 · merge `#" + w.pr + "` into `main` — awaiting approval"));
        return "R1";
    }

    @Test
    void helpIsAnsweredByACommentOnThePullRequest() throws Exception {
        start(Suites.passing(2));

        w.comment("carol", "/quorum help");

        assertThat(w.awaitSaid(w.pr, body -> body.contains("I am Quorum."))).startsWith("I am Quorum. Agents do the work");
    }

    @Test
    void anApprovalCommentedInThePullRequestCountsAndTheCardIsEditedInPlace() throws Exception {
        start(Suites.passing(2));
        String id = proposed();
        assertThat(w.request(id).origin().channel()).isEqualTo("shop#" + w.pr);

        w.comment("bob", "/quorum approve " + id);

        assertThat(w.awaitSaid(w.pr, body -> body.startsWith("bob approved")))
                .isEqualTo("bob approved R1: 1 approval (bob); still needs 1 more approval.");
        assertThat(w.awaitSaid(w.pr, body -> body.contains("awaiting approval") && body.contains("1 approval (bob)")))
                .as("the card, edited").contains("Approve: `/quorum approve R1`");
        assertThat(w.votes(id)).extracting(Vote::voter).containsExactly("github:bob");
    }

    @Test
    void aReviewAndACommentByOnePersonCountOnceAndAnotherPersonsVoteLandsIt() throws Exception {
        start(Suites.passing(2));
        String id = proposed();

        w.shop.review(w.pr, "carol", "approved", w.head);
        assertThat(w.awaitSaid(w.pr, body -> body.startsWith("carol approved")))
                .isEqualTo("carol approved R1: 1 approval (carol); still needs 1 more approval.");
        w.comment("carol", "/quorum approve " + id);

        assertThat(w.awaitSaid(w.pr, body -> body.contains("You already voted")))
                .isEqualTo("@carol ❌ You already voted on R1; a vote counts once.");
        assertThat(w.votes(id)).extracting(Vote::voter).containsExactly("github:carol");
        assertThat(w.request(id).state()).isEqualTo(RequestState.AWAITING_APPROVAL);

        w.comment("bob", "/quorum approve " + id);
        w.awaitState(id, RequestState.DONE);
        assertThat(w.shop.head("main")).as("landed by push").isNotEmpty();
        assertThat(w.shop.pull(w.pr).merged).isTrue();
    }

    @Test
    void aReviewBeforeTheCardIsRefusedAsAnEarlyVoteIsSoTheReviewerApprovesAgain() throws Exception {
        start(Suites.slowPassing(3));
        w.comment("alice", "/quorum merge #" + w.pr);
        w.awaitState("R1", RequestState.VERIFYING);

        w.shop.review(w.pr, "carol", "approved", w.head);

        assertThat(w.awaitSaid(w.pr, body -> body.startsWith("@carol"))).isEqualTo("@carol ❌ R1 is still being verified (tests run on "
                + "the exact change first); votes open when its card is posted.");
        w.awaitState("R1", RequestState.AWAITING_APPROVAL);
        assertThat(w.votes("R1")).isEmpty();
    }

    @Test
    void aPullRequestClosedOnGitHubMakesItsMergeStaleAtOnce() throws Exception {
        start(Suites.passing(2));
        String id = proposed();
        w.comment("bob", "/quorum approve " + id);
        w.awaitSaid(w.pr, body -> body.startsWith("bob approved"));

        w.shop.close(w.pr); // the delivery is answered once Quorum has acted on it

        assertThat(w.request(id).state()).isEqualTo(RequestState.STALE);
        assertThat(w.request(id).reason()).isEqualTo("pull request #" + w.pr + " was closed; votes are void");
        assertThat(w.awaitSaid(w.pr, body -> body.contains("is stale"))).isEqualTo("⚠️ R1 is stale: pull request \\#&#8203;" + w.pr
                + " was closed. Its votes are void and nothing was changed; propose it again to vote on the new state.");
    }

    @Test
    void aPushToTheHeadMakesItsMergeStaleAtOnce() throws Exception {
        start(Suites.passing(2));
        String id = proposed();

        String moved = w.shop.pushTo("feature/x", Map.of("greeting.txt", "hello again\n"));

        assertThat(w.request(id).state()).isEqualTo(RequestState.STALE);
        assertThat(w.request(id).reason()).isEqualTo("the head of pull request #" + w.pr + " moved from " + w.head.substring(0, 7)
                + " to " + moved.substring(0, 7) + "; votes are void");
        w.comment("bob", "/quorum approve " + id);
        assertThat(w.awaitSaid(w.pr, body -> body.contains("votes on a closed request")))
                .isEqualTo("@bob ❌ R1 is already stale; votes on a closed request change nothing.");
        assertThat(w.votes(id)).isEmpty();
    }

    @Test
    void aPushToABranchAMergeProposedElsewhereNamesMakesItStaleAtOnce() throws Exception {
        start(Suites.passing(2));
        w.q.say("alice", "merge feature/x");
        w.awaitState("R1", RequestState.AWAITING_APPROVAL);

        w.shop.pushTo("feature/x", Map.of("greeting.txt", "hello again\n"));

        assertThat(w.request("R1").state()).isEqualTo(RequestState.STALE);
        assertThat(w.request("R1").reason()).startsWith("`feature/x` moved from " + w.head.substring(0, 7));
    }

    @Test
    void aPushWhileTheMergeIsVerifiedFailsItWithTheReason() throws Exception {
        start(Suites.slowPassing(4));
        w.comment("alice", "/quorum merge #" + w.pr);
        w.awaitState("R1", RequestState.VERIFYING);

        String moved = w.shop.pushTo("feature/x", Map.of("greeting.txt", "hello again\n"));

        String why = "pull request #" + w.pr + " got new commits (its head is now " + moved.substring(0, 7)
                + ") while R1 was being verified; propose it again";
        assertThat(w.request("R1").state()).isEqualTo(RequestState.FAILED);
        assertThat(w.request("R1").reason()).isEqualTo(why);
        assertThat(w.awaitSaid(w.pr, body -> body.contains("· failed"))).contains("failed: " + why.replace("#", "\\#&#8203;"));
    }
}
