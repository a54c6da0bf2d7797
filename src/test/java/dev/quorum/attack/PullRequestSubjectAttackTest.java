package dev.quorum.attack;

import dev.quorum.github.FakeGitHub;
import dev.quorum.github.GitHubQuorum;
import dev.quorum.testing.SseClient;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Attacks on pull requests as merge subjects (a real Quorum on {@link FakeGitHub}): a pull request retargeted after the
 * votes to land in another branch, a fork that names its branch like a coding run's to pass as Quorum's own draft, a
 * merge API that answers with a commit nobody can see, the pull request's author voting through a linked identity,
 * and hostile {@code #} arguments.
 */
class PullRequestSubjectAttackTest {
    private static final String TOKEN = "github_pat_attack_pr_c0ffee";

    @TempDir
    Path dir;
    private FakeGitHub github;
    private FakeGitHub.Repo shop;
    private GitHubQuorum quorum;
    private String main;
    private int pr;

    @BeforeEach
    void setUp() throws Exception {
        github = FakeGitHub.withGit(dir.resolve("github"));
        shop = GitHubQuorum.shop(github, TOKEN);
        main = shop.head("main").orElseThrow();
        shop.pushTo("release", "main", Map.of("release.txt", "r\n"));
        shop.pushTo("feature/x", Map.of("x.txt", "x\n"));
        pr = shop.openPull("feature/x", "main", "erin");
    }

    @AfterEach
    void tearDown() throws Exception {
        if (quorum != null) quorum.close();
        github.close();
    }

    @Test
    void aPullRequestRetargetedAfterTheVotesBeganIsStaleAndLandsNowhere() throws Exception {
        quorum = GitHubQuorum.start(dir, github, TOKEN, null, null);
        String id = quorum.propose("merge #" + pr);
        String release = shop.head("release").orElseThrow();
        github.change("acme", "shop", pr, p -> p.baseRef = "release");
        quorum.q().say("bob", "approve " + id);
        quorum.room().awaitReply(id + " is stale: ");
        // the voted merge was into main: neither branch moved
        assertThat(quorum.request(id).get("reason").asText()).startsWith("the base of pull request #" + pr + " changed from `main` to `release`");
        assertThat(shop.head("main")).contains(main);
        assertThat(shop.head("release")).contains(release);
    }

    @Test
    void aForkBranchNamedLikeACodingRunsIsNoQuorumDraft() throws Exception {
        quorum = GitHubQuorum.start(dir, github, TOKEN, null, null);
        int fork = shop.openForkPull("mallory", "main", Map.of("evil.txt", "e\n"), "mallory");
        github.change("acme", "shop", fork, p -> {
            p.headRef = "quorum/R1"; // as if it were coding request R1's branch
            p.draft = true;
        });
        quorum.q().say("alice", "merge #" + fork);
        assertThat(quorum.room().awaitReply("is a draft").text()).isEqualTo("#" + fork
                + " is a draft, not ready to merge: mark it ready for review on GitHub, then propose it again.");
        assertThat(quorum.q().get("/api/requests").json().get("requests")).isEmpty();
    }

    @Test
    void thePullRequestsAuthorCannotApproveThroughALinkedIdentityNorSneakACountedVote() throws Exception {
        quorum = GitHubQuorum.start(dir, github, TOKEN, null, null);
        String id = quorum.propose("merge #" + pr);
        quorum.q().say("erin", "approve " + id);
        SseClient erin = quorum.q().events("erin");
        assertThat(erin.awaitReply("You are an author of " + id).text()).contains("opened its pull request");
        erin.close();
        assertThat(quorum.request(id).get("votes")).isEmpty();
        assertThat(quorum.request(id).get("state").asText()).isEqualTo("awaiting_approval");
    }

    @Test
    void aVoteWhileGitHubCannotSayWhetherThePullRequestStillHoldsIsNotCountedAndNothingIsDecidedOnAGuess() throws Exception {
        quorum = GitHubQuorum.start(dir, github, TOKEN, null, null);
        String id = quorum.propose("merge #" + pr);
        github.script("GET", "repos/acme/shop/pulls/" + pr, 502, Map.of(), new JsonObject().put("message", "Server Error"));
        quorum.q().say("bob", "approve " + id);
        SseClient bob = quorum.q().events("bob");
        assertThat(bob.awaitReply("could not check").text()).isEqualTo("Quorum could not check that " + id
                + " still holds (its repository or GitHub did not answer), so your vote was not counted; try again in a moment.");
        bob.close();
        assertThat(quorum.request(id).get("votes")).isEmpty();
        assertThat(quorum.request(id).get("state").asText()).isEqualTo("awaiting_approval");
        quorum.q().say("bob", "approve " + id);
        quorum.room().awaitReply("bob approved " + id);
    }

    @Test
    void aMergeApiAnswerNamingACommitTheRepositoryDoesNotShowIsSaidAsUntestedNeverAsDone() throws Exception {
        quorum = GitHubQuorum.start(dir, github, TOKEN, "merge_api", null);
        String id = quorum.propose("merge #" + pr);
        String invented = "1234567890abcdef1234567890abcdef12345678";
        github.script("PUT", "repos/acme/shop/pulls/" + pr + "/merge", 200, Map.of(),
                new JsonObject().put("sha", invented).put("merged", true).put("message", "Pull Request successfully merged"));
        quorum.approveByBobAndCarol(id);
        SseClient.Event done = quorum.room().awaitReply("Done: " + id);
        assertThat(done.text()).contains("but it landed 1234567, which the repository does not show",
                "what landed was not tested by Quorum");
        assertThat(done.data().get("tone").asText()).isEqualTo("warning");
        assertThat(quorum.q().get("/api/audit").json().toString()).contains("merge.tree_mismatch", invented);
    }

    @Test
    void hostileHashArgumentsNeverReachGitHub() throws Exception {
        quorum = GitHubQuorum.start(dir, github, TOKEN, null, null);
        int before = github.calls().size();
        for (String text : new String[]{"merge #1;id", "merge #../../x", "test #-1", "merge #%2e%2e", "test shop #1 #2", "merge #1e9"}) {
            var res = quorum.q().say("alice", text);
            assertThat(res.status()).as(text).isEqualTo(400);
        }
        quorum.q().say("alice", "merge #999999999");
        assertThat(quorum.room().awaitReply("#999999999").text()).isEqualTo("No pull request #999999999 in repo shop.");
        assertThat(github.calls().subList(before, github.calls().size()))
                .allSatisfy(c -> assertThat(c.path()).matches("repos/acme/shop(/pulls/999999999)?"));
        assertThat(quorum.q().get("/api/requests").json().get("requests")).isEmpty();
    }
}
