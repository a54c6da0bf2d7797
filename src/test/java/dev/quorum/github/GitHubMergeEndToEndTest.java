package dev.quorum.github;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quorum.testing.QuorumHarness;
import dev.quorum.testing.SseClient;
import dev.quorum.testing.Suites;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.quorum.testing.GitHttpServer.git;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pull requests as subjects, end to end: a real Quorum guarding {@code acme/shop} on {@link FakeGitHub} (GitHub's REST
 * API on 127.0.0.1 with a real git server behind it). {@code merge #N} is verified as a branch is (its head merged into
 * its base in Quorum's mirror, the tests on the result), voted on in the console, and lands bors-style by a non-force
 * push or through the merge API with the head SHA the votes saw; GitHub's state (a push to the head, a close, a merge
 * elsewhere, a refusal) is respected, and {@code test #N} posts its verdict on the head.
 */
class GitHubMergeEndToEndTest {
    private static final Duration WAIT = GitHubQuorum.WAIT;
    private static final String TOKEN = "github_pat_e2e_merge_5b1f0c";

    @TempDir
    Path dir;
    private FakeGitHub github;
    private FakeGitHub.Repo shop;
    private GitHubQuorum quorum;
    private QuorumHarness q;
    private SseClient room;
    private String main;
    private String head;
    private int pr;

    @BeforeEach
    void aPullRequestOnGitHub() throws Exception {
        github = FakeGitHub.withGit(dir.resolve("github"));
        shop = GitHubQuorum.shop(github, TOKEN);
        head = shop.pushTo("feature/x", Map.of(Suites.SCRIPT, Suites.passing(3), "x.txt", "x\n"));
        main = shop.pushTo("main", Map.of("m.txt", "moved on\n")); // the merge is a real merge commit
        pr = shop.openPull("feature/x", "main", "erin");
    }

    @AfterEach
    void tearDown() throws Exception {
        if (quorum != null) quorum.close();
        github.close();
    }

    private void start(String landing, String method) throws Exception {
        started(GitHubQuorum.start(dir, github, TOKEN, landing, method));
    }

    private void started(GitHubQuorum started) {
        quorum = started;
        q = started.q();
        room = started.room();
    }

    private String propose(String text) throws Exception {
        return quorum.propose(text);
    }

    private JsonNode request(String id) throws Exception {
        return quorum.request(id);
    }

    /** GitHub's next answer to the merge of {@link #pr}, instead of merging. */
    private void mergeAnswers(int status, JsonObject body) {
        github.script("PUT", "repos/acme/shop/pulls/" + pr + "/merge", status, Map.of(), body);
    }

    private void approveByBobAndCarol(String id) throws Exception {
        quorum.approveByBobAndCarol(id);
    }

    @Test
    void mergeOfAPullRequestIsVerifiedAsABranchIsAndLandsByANonForcePushOfTheTestedMerge() throws Exception {
        start(null, null);
        String id = propose("merge #" + pr);

        JsonNode subject = request(id).get("subject");
        assertThat(subject.get("pull_request").asInt()).isEqualTo(pr);
        assertThat(subject.get("source").asText()).isEqualTo("#" + pr);
        assertThat(subject.get("source_sha").asText()).isEqualTo(head);
        assertThat(subject.get("target").asText()).isEqualTo("main");
        assertThat(subject.get("target_sha").asText()).isEqualTo(main);
        String merge = subject.get("merge_sha").asText();
        assertThat(request(id).get("evidence").get("commit").asText()).as("the tests ran on the merge result").isEqualTo(merge);
        // the pull request's author (github:erin, linked to console:erin) is an author
        q.say("erin", "approve " + id);
        assertThat(q.events("erin").awaitReply("You are an author of " + id).text()).isEqualTo("You are an author of " + id
                + " (you asked for it, opened its pull request, or asked for the work in it), so you cannot approve it: someone else must.");
        approveByBobAndCarol(id);
        room.awaitReply("Done: " + id);

        assertThat(shop.head("main")).contains(merge);
        assertThat(git(shop.bare(), "rev-parse", merge + "^1", merge + "^2")).isEqualTo(main + "\n" + head);
        assertThat(shop.pull(pr).merged).as("GitHub marks it merged: its head is in its base").isTrue();
        assertThat(shop.mergeCalls(pr)).as("landed by push, not by the merge API").isEmpty();
        // the verify run's verdict is on the head (the merge result is not on GitHub until it lands)
        List<JsonObject> statuses = shop.statuses(head);
        assertThat(statuses).extracting(s -> s.getString("state")).containsExactly("pending", "success");
        assertThat(statuses).allSatisfy(s -> {
            assertThat(s.getString("context")).isEqualTo("quorum");
            assertThat(s.getString("target_url")).endsWith("/#/requests/" + id);
        });
        assertThat(statuses.get(1).getString("description")).startsWith("passed: 3 passed, 0 failed, 0 skipped · " + merge.substring(0, 7));
    }

    @ParameterizedTest(name = "merge_method {0}")
    @ValueSource(strings = {"merge", "squash", "rebase"})
    void theMergeApiLandsWithTheHeadTheVotesSawAndWhatLandedHasTheTestedTree(String method) throws Exception {
        start("merge_api", method);
        String id = propose("merge #" + pr);
        String merge = request(id).get("subject").get("merge_sha").asText();
        approveByBobAndCarol(id);
        SseClient.Event done = room.awaitReply("Done: " + id);

        assertThat(shop.mergeCalls(pr)).singleElement().satisfies(call -> {
            assertThat(call.body().getString("sha")).isEqualTo(head);
            assertThat(call.body().getString("merge_method")).isEqualTo(method);
        });
        String landed = shop.head("main").orElseThrow();
        assertThat(landed).isNotEqualTo(main);
        // the tested merge is Quorum's own (in its mirror); GitHub wrote another commit with the same tree
        assertThat(git(shop.bare(), "rev-parse", landed + "^{tree}"))
                .isEqualTo(git(dir.resolve("data/mirrors/shop.git"), "rev-parse", merge + "^{tree}"));
        assertThat(done.text()).contains("`main` is now " + landed.substring(0, 7) + ": GitHub merged pull request #" + pr
                + " with exactly the tested tree of " + merge.substring(0, 7));
        assertThat(done.data().get("tone").asText()).isEqualTo("success");
        assertThat(request(id).get("state").asText()).isEqualTo("done");
    }

    @ParameterizedTest(name = "landing {0}")
    @ValueSource(strings = {"push", "merge_api"})
    void aPushToTheHeadAfterTheFirstApprovalMakesTheRequestStaleAndNothingLands(String landing) throws Exception {
        start(landing, null);
        String id = propose("merge #" + pr);
        q.say("bob", "approve " + id);
        room.awaitReply("bob approved " + id);
        String pushed = shop.pushTo("feature/x", Map.of("late.txt", "after the vote\n"));
        q.say("carol", "approve " + id);

        room.awaitReply(id + " is stale: the head of pull request #" + pr + " moved from " + head.substring(0, 7) + " to "
                + pushed.substring(0, 7));
        assertThat(request(id).get("state").asText()).isEqualTo("stale");
        assertThat(shop.head("main")).contains(main);
        assertThat(shop.mergeCalls(pr)).isEmpty();
        assertThat(shop.pull(pr).merged).isFalse();
    }

    @Test
    void aHeadGitHubSaysMovedWhenTheMergeIsMadeMakesTheRequestStale() throws Exception {
        start("merge_api", null);
        String id = propose("merge #" + pr);
        // a push lands between Quorum's last check and its merge call: GitHub refuses the sha with 409
        mergeAnswers(409, new JsonObject().put("message", "Head branch was modified. Review and try the merge again."));
        approveByBobAndCarol(id);

        room.awaitReply(id + " is stale: the head of pull request #" + pr + " moved while the merge was executing "
                + "(GitHub: Head branch was modified. Review and try the merge again.)");
        assertThat(request(id).get("state").asText()).isEqualTo("stale");
        assertThat(shop.head("main")).contains(main);
        assertThat(shop.mergeCalls(pr)).singleElement().satisfies(call -> assertThat(call.body().getString("sha")).isEqualTo(head));
    }

    @Test
    void aMergeGitHubRefusesFailsWithItsReasonAndNothingLands() throws Exception {
        start("merge_api", null);
        String id = propose("merge #" + pr);
        mergeAnswers(405, new JsonObject().put("message", "Required status check \"ci\" is expected."));
        approveByBobAndCarol(id);

        SseClient.Event failed = room.awaitReply("Failed: " + id);
        assertThat(failed.text()).contains("GitHub refused to merge pull request #" + pr + ": Required status check \"ci\" is expected. Nothing landed.");
        assertThat(request(id).get("state").asText()).isEqualTo("failed");
        assertThat(shop.head("main")).contains(main);
    }

    @Test
    void whatTheMergeApiLandedWithAnotherTreeIsSaidLoudlyAndAudited() throws Exception {
        start("merge_api", "squash");
        String other = shop.pushTo("elsewhere", Map.of("other.txt", "not what was tested\n"));
        String id = propose("merge #" + pr);
        String merge = request(id).get("subject").get("merge_sha").asText();
        // GitHub answers with a commit whose tree is not the tested one (the base moved under the merge)
        mergeAnswers(200, new JsonObject().put("sha", other).put("merged", true).put("message", "Pull Request successfully merged"));
        approveByBobAndCarol(id);

        SseClient.Event done = room.awaitReply("Done: " + id);
        assertThat(done.text()).contains("GitHub merged pull request #" + pr + " into `main`, but it landed " + other.substring(0, 7)
                + " whose tree differs from the tested " + merge.substring(0, 7) + ": the base moved under the merge API. Check `main`: "
                + "what landed was not tested by Quorum.");
        assertThat(done.data().get("tone").asText()).isEqualTo("warning");
        JsonNode audit = q.get("/api/audit").json();
        assertThat(audit.toString()).contains("merge.tree_mismatch", other, merge);
    }

    @Test
    void aPullRequestClosedOrMergedElsewhereAfterItWasProposedMakesTheRequestStale() throws Exception {
        start(null, null);
        String closed = propose("merge #" + pr);
        shop.close(pr);
        q.say("bob", "approve " + closed);
        room.awaitReply(closed + " is stale: pull request #" + pr + " was closed");

        String other = shop.pushTo("feature/y", Map.of("y.txt", "y\n"));
        int second = shop.openPull("feature/y", "main", "carol");
        String merged = propose("merge #" + second);
        shop.mergeElsewhere(second);
        q.say("bob", "approve " + merged);
        room.awaitReply(merged + " is stale: pull request #" + second + " was merged elsewhere");
        assertThat(request(merged).get("state").asText()).isEqualTo("stale");
        assertThat(shop.head("main")).contains(shop.pull(second).mergeCommit);
        assertThat(shop.head("feature/y")).contains(other);
    }

    @Test
    void aClosedDraftOrOtherwiseTargetedPullRequestIsRefusedWhenProposedAndNothingIsStored() throws Exception {
        start(null, null);
        github.change("acme", "shop", pr, p -> p.draft = true);
        q.say("alice", "merge #" + pr);
        assertThat(room.awaitReply("#" + pr + " is a draft").text()).isEqualTo("#" + pr
                + " is a draft, not ready to merge: mark it ready for review on GitHub, then propose it again.");
        github.change("acme", "shop", pr, p -> p.draft = false);
        q.say("alice", "merge #" + pr + " into release");
        assertThat(room.awaitReply("merges into").text()).isEqualTo("#" + pr + " merges into `main`, not `release`: a pull request "
                + "lands in its base. Change its base on GitHub, or merge its branch with `into`.");
        q.say("alice", "merge #404");
        assertThat(room.awaitReply("#404").text()).isEqualTo("No pull request #404 in repo shop.");
        shop.close(pr);
        q.say("alice", "merge #" + pr);
        assertThat(room.awaitReply("is closed").text()).isEqualTo("#" + pr + " is closed; reopen it on GitHub to propose it.");
        assertThat(q.get("/api/requests").json().get("requests")).isEmpty();
    }

    @Test
    void aForksPullRequestIsVerifiedAndLandsFromItsPullRef() throws Exception {
        start(null, null);
        int fork = shop.openForkPull("mallory", "main", Map.of("fork.txt", "from a fork\n"), "mallory");
        String forkHead = shop.pull(fork).headSha;
        String id = propose("merge #" + fork);
        assertThat(request(id).get("subject").get("source_sha").asText()).isEqualTo(forkHead);
        String merge = request(id).get("subject").get("merge_sha").asText();
        approveByBobAndCarol(id);
        room.awaitReply("Done: " + id);
        assertThat(shop.head("main")).contains(merge);
        assertThat(git(shop.bare(), "show", "main:fork.txt")).isEqualTo("from a fork");
    }

    @Test
    void testOfAPullRequestTestsItsMergeIntoItsBaseAndPostsACommitStatusOnTheHeadWithAToken() throws Exception {
        start(null, null);
        var res = q.say("alice", "test #" + pr);
        assertThat(res.status()).isEqualTo(202);
        String id = res.json().get("request_id").asText();
        SseClient.Event line = room.awaitReply("passed: 3 passed, 0 failed, 0 skipped · ");
        String tested = request(id).get("evidence").get("commit").asText();
        assertThat(tested).isNotIn(head, main);
        assertThat(git(shop.bare(), "rev-parse", "main")).isEqualTo(main);
        assertThat(line.text()).contains(tested.substring(0, 7));
        room.await(e -> e.text().startsWith(id + " · ") && e.text().endsWith("· succeeded"), WAIT);

        List<JsonObject> statuses = shop.statuses(head);
        assertThat(statuses).extracting(s -> s.getString("state")).containsExactly("pending", "success");
        assertThat(statuses.get(0).getString("description")).isEqualTo("testing the merge result " + tested.substring(0, 7) + " (Quorum " + id + ")");
        assertThat(statuses.get(1).getString("description")).isEqualTo(line.text().length() <= 140 ? line.text() : line.text().substring(0, 139) + "…");
        assertThat(statuses.get(1).getString("target_url")).endsWith("/#/requests/" + id);
        assertThat(statuses.get(1).getString("context")).isEqualTo("quorum");
    }

    @Test
    void testOfAPullRequestPostsACheckRunOnTheHeadAsAnApp() throws Exception {
        AppKeys keys = AppKeys.generate();
        github.registerApp(4242, keys.pair().getPublic(), 777);
        Path key = keys.writePkcs1(Files.createDirectories(dir.resolve("secrets")));
        started(GitHubQuorum.start(dir, null, null, "github: {api_url: \"" + github.apiUrl() + "\", app_id: 4242, private_key_file: \""
                + key + "\", installation_id: 777}\n"));
        String id = q.say("alice", "test #" + pr).json().get("request_id").asText();
        SseClient.Event line = room.awaitReply("passed: 3 passed");
        room.await(e -> e.text().startsWith(id + " · ") && e.text().endsWith("· succeeded"), WAIT);

        List<JsonObject> runs = shop.checkRuns(head);
        assertThat(runs).extracting(r -> r.getString("status")).containsExactly("in_progress", "completed");
        assertThat(runs.get(1).getString("conclusion")).isEqualTo("success");
        assertThat(runs.get(1).getString("name")).isEqualTo("quorum");
        assertThat(runs.get(1).getJsonObject("output").getString("title")).isEqualTo(line.text());
        assertThat(runs.get(1).getString("details_url")).endsWith("/#/requests/" + id);
        assertThat(shop.statuses(head)).as("an App posts check runs, not statuses").isEmpty();
    }

    @Test
    void aFailingMergeResultPostsAFailureOnTheHeadAndAPostThatFailsIsSaidNotFatal() throws Exception {
        String broken = shop.pushTo("feature/broken", Map.of(Suites.SCRIPT, Suites.failing("greets")));
        int bad = shop.openPull("feature/broken", "main", "carol");
        start(null, null);
        github.script("POST", "repos/acme/shop/statuses/" + broken, 500, Map.of(), new JsonObject().put("message", "Server Error"));
        String id = q.say("alice", "merge #" + bad).json().get("request_id").asText();
        SseClient.Event end = room.await(e -> e.text().startsWith(id + " · ") && e.text().contains("failed: the tests did not pass"), WAIT);

        assertThat(end.text()).contains("the quorum check could not be posted on " + broken.substring(0, 7) + ": ");
        assertThat(shop.statuses(broken)).as("the pending post failed, the verdict went through")
                .extracting(s -> s.getString("state")).containsExactly("failure");
        assertThat(request(id).get("state").asText()).isEqualTo("failed");
    }

    @Test
    void aBranchOfARepoThatLandsThroughTheMergeApiStillLandsByPush() throws Exception {
        start("merge_api", null);
        String id = propose("merge feature/x");
        assertThat(request(id).get("subject").has("pull_request")).isFalse();
        String merge = request(id).get("subject").get("merge_sha").asText();
        approveByBobAndCarol(id);
        room.awaitReply("Done: " + id);
        assertThat(shop.head("main")).contains(merge);
        assertThat(shop.mergeCalls(pr)).isEmpty();
    }
}
