package dev.quorum.github;

import dev.quorum.config.RepoConfig;
import dev.quorum.repo.CommitCheck;
import dev.quorum.repo.MergeOutcome;
import dev.quorum.repo.MergePlan;
import dev.quorum.repo.PullRequest;
import dev.quorum.repo.PullRequests;
import dev.quorum.repo.RefResolutionException;
import dev.quorum.repo.Sha;
import dev.quorum.repo.remote.RemoteGitHost;
import dev.quorum.testing.GitHttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The GitHub host's pull requests over {@link FakeGitHub} with a real git server: a pull request found has its head in
 * the mirror (a fork's too), the merge API lands with the configured method only while the head is the one voted on.
 */
class GitHubPullRequestsTest {
    private static final String TOKEN = "github_pat_pulls_77c3a1";
    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

    @TempDir
    Path tmp;
    private FakeGitHub github;
    private FakeGitHub.Repo shop;

    @BeforeEach
    void aRepositoryOnGitHub() throws Exception {
        github = FakeGitHub.withGit(tmp.resolve("github"));
        github.acceptToken(TOKEN);
        shop = github.createRepo("acme", "shop");
    }

    @AfterEach
    void stop() throws Exception {
        github.close();
    }

    private RemoteGitHost host(String landing, String method) throws Exception {
        return GitHubHostContractTest.hostFor(github, "shop", new RepoConfig.GitHub("acme", "shop", landing, method), TOKEN,
                tmp.resolve("data/mirrors/shop.git"));
    }

    private static PullRequests pulls(RemoteGitHost host) {
        return host.pullRequests().orElseThrow();
    }

    @Test
    void aPullRequestIsFoundWithItsHeadInTheMirrorReadyToPlan() throws Exception {
        String head = shop.pushTo("feature/x", Map.of("x.txt", "x\n"));
        int n = shop.openPull("feature/x", "main", "alice");
        RemoteGitHost host = host(null, null);

        PullRequest pr = pulls(host).find(n);

        assertThat(pr.headSha()).isEqualTo(new Sha(head));
        assertThat(pr.headRef()).isEqualTo("feature/x");
        assertThat(pr.headRepo()).isEqualTo("acme/shop");
        assertThat(pr.baseRef()).isEqualTo("main");
        assertThat(pr.author()).isEqualTo("github:alice");
        assertThat(pr.authorIsBot()).isFalse();
        assertThat(pr.open()).isTrue();
        assertThat(host.resolve(GitHubPullRequests.headRef(n))).isEqualTo(pr.headSha());
        host.refresh();
        assertThat(host.resolve(GitHubPullRequests.headRef(n))).as("a refresh does not prune the pull request's head").isEqualTo(pr.headSha());
        Sha main = host.resolve("main");
        assertThat(host.planMerge(main, pr.headSha(), false, "Merge #" + n, "refs/quorum/merges/R1", NOW)).isInstanceOf(MergePlan.Ready.class);
    }

    @Test
    void aForksPullRequestIsReadFromItsPullRefAlone() throws Exception {
        int n = shop.openForkPull("mallory", "main", Map.of("fork.txt", "from a fork\n"), "mallory");
        RemoteGitHost host = host(null, null);

        PullRequest pr = pulls(host).find(n);

        assertThat(pr.headRepo()).isEqualTo("mallory/shop");
        assertThat(shop.head(pr.headRef())).as("no branch of the repository has it").isEmpty();
        Path into = tmp.resolve("checkout");
        host.checkout(pr.headSha(), into);
        assertThat(into.resolve("fork.txt")).hasContent("from a fork");
        String moved = shop.pushToFork(n, Map.of("fork.txt", "more\n"));
        assertThat(pulls(host).find(n).headSha()).isEqualTo(new Sha(moved));
    }

    @Test
    void anUnknownPullRequestIsNamed() throws Exception {
        RemoteGitHost host = host(null, null);
        assertThatThrownBy(() -> pulls(host).find(404)).isInstanceOf(RefResolutionException.class)
                .hasMessage("no pull request #404 in repo shop");
    }

    @ParameterizedTest
    @ValueSource(strings = {"merge", "squash", "rebase"})
    void theMergeApiLandsWithTheConfiguredMethodAndTheVotedHead(String method) throws Exception {
        String head = shop.pushTo("feature/x", Map.of("x.txt", "x\n"));
        String main = shop.pushTo("main", Map.of("m.txt", "m\n"));
        int n = shop.openPull("feature/x", "main", "alice");
        RemoteGitHost host = host("merge_api", method);
        assertThat(pulls(host).landing()).isEqualTo(PullRequests.Landing.MERGE_API);
        PullRequest pr = pulls(host).find(n);

        MergeOutcome outcome = pulls(host).merge(n, pr.headSha(), "R1: merge #" + n, "approved by bob");

        Sha landed = ((MergeOutcome.Merged) outcome).sha();
        assertThat(shop.head("main")).contains(landed.hex());
        assertThat(github.calls("PUT", "repos/acme/shop/pulls/" + n + "/merge")).singleElement()
                .satisfies(c -> assertThat(c.body().getString("sha")).isEqualTo(head))
                .satisfies(c -> assertThat(c.body().getString("merge_method")).isEqualTo(method))
                .satisfies(c -> assertThat(c.body().getString("commit_title")).isEqualTo("R1: merge #" + n));
        String parents = GitHttpServer.git(shop.bare(), "rev-list", "--parents", "-n", "1", landed.hex());
        switch (method) {
            case "merge" -> assertThat(parents).isEqualTo(landed.hex() + " " + main + " " + head);
            case "squash", "rebase" -> assertThat(parents).isEqualTo(landed.hex() + " " + main);
            default -> throw new AssertionError(method);
        }
        host.refresh();
        Sha tested = ((MergePlan.Ready) host.planMerge(new Sha(main), pr.headSha(), false, "m", "refs/quorum/merges/R1", NOW)).result();
        assertThat(host.sameTree(landed, tested)).as("what landed has the tree Quorum would have tested").isTrue();
        assertThat(shop.pull(n).merged).isTrue();
    }

    @Test
    void aPushAfterTheVoteIs409AndNothingLands() throws Exception {
        shop.pushTo("feature/x", Map.of("x.txt", "x\n"));
        int n = shop.openPull("feature/x", "main", "alice");
        RemoteGitHost host = host("merge_api", "squash");
        PullRequest voted = pulls(host).find(n);
        String main = shop.head("main").orElseThrow();
        shop.pushTo("feature/x", Map.of("x.txt", "changed after the vote\n"));

        MergeOutcome outcome = pulls(host).merge(n, voted.headSha(), "t", "m");

        assertThat(outcome).isEqualTo(new MergeOutcome.HeadMoved("Head branch was modified. Review and try the merge again."));
        assertThat(shop.head("main")).contains(main);
        assertThat(shop.pull(n).merged).isFalse();
    }
    @Test
    void aDraftIsOpenedFromTheAgentsBranchThenUpdatedNotOpenedAgain() throws Exception {
        String first = shop.pushTo("quorum/R12", Map.of("agent.txt", "one\n"));
        RemoteGitHost host = host(null, null);

        PullRequest opened = pulls(host).openOrUpdateDraft("quorum/R12", "main", "R12: add a greeting", "summary one");

        assertThat(opened.draft()).isTrue();
        assertThat(opened.headRef()).isEqualTo("quorum/R12");
        assertThat(opened.headSha()).isEqualTo(new Sha(first));
        assertThat(opened.baseRef()).isEqualTo("main");
        String second = shop.pushTo("quorum/R12", Map.of("agent.txt", "two\n"));
        PullRequest updated = pulls(host).openOrUpdateDraft("quorum/R12", "main", "R12: add a greeting", "summary two");

        assertThat(updated.number()).isEqualTo(opened.number());
        assertThat(updated.headSha()).isEqualTo(new Sha(second));
        assertThat(github.calls("POST", "repos/acme/shop/pulls")).hasSize(1);
        assertThat(github.calls("PATCH", "repos/acme/shop/pulls/" + opened.number())).singleElement()
                .satisfies(c -> assertThat(c.body().getString("body")).isEqualTo("summary two"));
        assertThat(shop.pull(opened.number()).body).isEqualTo("summary two");
        assertThat(pulls(host).find(opened.number()).headSha()).isEqualTo(new Sha(second));
    }

    @Test
    void withATokenTheVerdictIsACommitStatusAndCommentsGoOnThePullRequest() throws Exception {
        String head = shop.pushTo("feature/x", Map.of("x.txt", "x\n"));
        int n = shop.openPull("feature/x", "main", "alice");
        PullRequests pulls = pulls(host(null, null));

        pulls.publish(new Sha(head), new CommitCheck(CommitCheck.State.PENDING, "running the tests", "https://q.example/r/R1"));
        pulls.publish(new Sha(head), new CommitCheck(CommitCheck.State.SUCCESS, "passed: 3 passed, 0 failed", "https://q.example/r/R1"));
        pulls.comment(n, "R1 **passed**");

        assertThat(shop.statuses(head)).extracting(s -> s.getString("state") + " " + s.getString("context") + " " + s.getString("description"))
                .containsExactly("pending quorum running the tests", "success quorum passed: 3 passed, 0 failed");
        assertThat(shop.checkRuns(head)).as("check runs are an App's").isEmpty();
        assertThat(shop.comments(n)).extracting(c -> c.getString("body")).containsExactly("R1 **passed**");
    }

    @Test
    void aFailureToPublishIsAnIoErrorWithGitHubsAnswer() throws Exception {
        String head = shop.pushTo("feature/x", Map.of("x.txt", "x\n"));
        PullRequests pulls = pulls(host(null, null));
        github.script("POST", "repos/acme/shop/statuses/.*", 422, Map.of(), new io.vertx.core.json.JsonObject().put("message", "Validation Failed"));

        assertThatThrownBy(() -> pulls.publish(new Sha(head), new CommitCheck(CommitCheck.State.FAILURE, "failed", "https://q.example/r/R1")))
                .isInstanceOf(java.io.IOException.class)
                .hasMessage("GitHub answered 422 to POST /repos/acme/shop/statuses/" + head + ": Validation Failed");
    }

    @Test
    void aMergeGitHubCannotDoIsNotMergeableWithItsReason() throws Exception {
        shop.pushTo("feature/x", Map.of("README.md", "theirs\n"));
        shop.pushTo("main", Map.of("README.md", "ours\n"));
        int n = shop.openPull("feature/x", "main", "alice");
        RemoteGitHost host = host("merge_api", "merge");
        PullRequest pr = pulls(host).find(n);

        assertThat(pulls(host).merge(n, pr.headSha(), "t", "m")).isEqualTo(new MergeOutcome.NotMergeable("Merge conflict"));
        shop.close(n);
        assertThat(pulls(host).merge(n, pr.headSha(), "t", "m")).isEqualTo(new MergeOutcome.NotMergeable("Pull Request is not mergeable"));
        assertThat(pulls(host).find(n).open()).isFalse();
    }
    @Test
    void landingByPushMakesGitHubCountThePullRequestMerged() throws Exception {
        String head = shop.pushTo("feature/x", Map.of("x.txt", "x\n"));
        int n = shop.openPull("feature/x", "main", "alice");
        RemoteGitHost host = host("push", "merge");
        assertThat(pulls(host).landing()).isEqualTo(PullRequests.Landing.PUSH);
        PullRequest pr = pulls(host).find(n);
        host.refresh();
        Sha main = host.resolve("main");
        MergePlan.Ready plan = (MergePlan.Ready) host.planMerge(main, pr.headSha(), false, "Merge #" + n, "refs/quorum/merges/R2", NOW);

        assertThat(host.compareAndSet("main", main, plan.result(), "quorum: R2")).isEqualTo(dev.quorum.repo.RepoHost.Move.MOVED);

        assertThat(shop.head("main")).contains(plan.result().hex());
        PullRequest after = pulls(host).find(n);
        assertThat(after.merged()).isTrue();
        assertThat(after.open()).isFalse();
        assertThat(after.headSha()).isEqualTo(new Sha(head));
        assertThat(github.calls("PUT", ".*/merge")).isEmpty();
    }
}
