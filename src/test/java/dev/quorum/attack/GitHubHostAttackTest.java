package dev.quorum.attack;

import dev.quorum.config.QuorumConfig;
import dev.quorum.github.FakeGitHub;
import dev.quorum.github.GitHubCapability;
import dev.quorum.github.GitHubClient;
import dev.quorum.repo.PullRequest;
import dev.quorum.repo.PullRequests;
import dev.quorum.repo.RefResolutionException;
import dev.quorum.repo.RepoHost;
import dev.quorum.repo.Sha;
import dev.quorum.testing.GitHttpServer;
import dev.quorum.testing.QuorumHarness;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Attacks on the GitHub host: a {@code clone_url} that would carry Quorum's token to another server, a redirect from
 * the git server, a fork's pull request whose head branch is named like the base, hostile SHAs in GitHub's answers,
 * and pull request numbers that are no pull requests. The host is built as Quorum builds it ({@link GitHubCapability#hosts}).
 */
class GitHubHostAttackTest {
    private static final String TOKEN = "github_pat_attack_9b7e55aa";

    @TempDir
    Path dir;
    private FakeGitHub github;
    private FakeGitHub.Repo shop;
    private GitHttpServer rogue;
    private RepoHost host;

    @BeforeEach
    void quorumsHostOfARepositoryOnGitHub() throws Exception {
        github = FakeGitHub.withGit(dir.resolve("github"));
        github.acceptToken(TOKEN);
        shop = github.createRepo("acme", "shop");
        rogue = new GitHttpServer(dir.resolve("rogue"));
        rogue.createBare("acme/shop");
        Path token = Files.writeString(dir.resolve("token"), TOKEN + "\n");
        QuorumConfig config = QuorumHarness.config(dir.resolve("data"), """
                github: {api_url: "%s", token: "file:%s"}
                repos:
                  shop: {github: {owner: acme, repo: shop}}
                """.formatted(github.apiUrl(), token), Map.of());
        Optional<GitHubClient> client = GitHubCapability.connect(config, name -> null, Clock.systemUTC());
        host = GitHubCapability.hosts(config, client).apply("shop").orElseThrow();
    }

    @AfterEach
    void stop() throws Exception {
        rogue.close();
        github.close();
    }

    private PullRequests pulls() {
        return host.pullRequests().orElseThrow();
    }

    private void cloneUrlIs(String url) {
        github.script("GET", "repos/acme/shop", 200, Map.of(), new JsonObject().put("full_name", "acme/shop").put("clone_url", url)
                .put("default_branch", "main").put("private", true));
    }

    @Test
    void aCloneUrlOnAnotherHostIsRefusedAndTheTokenGoesNowhere() {
        String elsewhere = rogue.url("acme/shop").replace("127.0.0.1", "localhost");
        cloneUrlIs(elsewhere);

        assertThatThrownBy(host::refresh).hasMessage("GitHub's clone_url for repo shop is not on GitHub's host (127.0.0.1); "
                + "refused, so that Quorum's token is sent nowhere else");
        assertThat(rogue.requests()).isEmpty();
        for (String hostile : new String[]{"ext::sh -c touch% /tmp/pwned", "file:///etc", "https://evil.example/acme/shop.git"}) {
            cloneUrlIs(hostile);
            assertThatThrownBy(host::refresh).as(hostile).hasMessageContaining("refused");
        }
        assertThat(Path.of("/tmp/pwned")).doesNotExist();
    }

    @Test
    void aRedirectFromGitHubsGitServerCarriesNoToken() {
        github.git().redirectTo(rogue.url("x").replaceFirst("/git/x\\.git$", "/git"));

        assertThatThrownBy(host::refresh).hasMessageStartingWith("could not fetch from " + shop.cloneUrl() + " for repo shop: ");
        assertThat(rogue.requests()).allSatisfy(r -> assertThat(r.authorization()).isNull());
    }

    @Test
    void aForksHeadBranchNamedLikeTheBaseNeverMovesTheMirrorsBranches() throws Exception {
        String main = shop.head("main").orElseThrow();
        int n = shop.openForkPull("mallory", "main", Map.of("evil.txt", "evil\n"), "mallory");
        github.change("acme", "shop", n, p -> p.headRef = "main"); // the fork's branch is called main

        host.refresh();
        PullRequest pr = pulls().find(n);
        host.refresh();

        assertThat(pr.headRef()).isEqualTo("main");
        assertThat(host.resolve("main")).as("the base repository's main, not the fork's").isEqualTo(new Sha(main));
        assertThat(host.head("main")).contains(new Sha(main));
        assertThat(host.refNames(true)).containsExactly("main");
        assertThat(shop.head("main")).contains(main);
    }

    @Test
    void aHostileShaInGitHubsAnswerIsNoPullRequest() throws Exception {
        shop.pushTo("feature/x", Map.of("x.txt", "x\n"));
        int n = shop.openPull("feature/x", "main", "alice");
        github.script("GET", "repos/acme/shop/pulls/" + n, 200, Map.of(), new JsonObject().put("number", n).put("state", "open")
                .put("user", new JsonObject().put("login", "alice").put("type", "User"))
                .put("head", new JsonObject().put("ref", "feature/x").put("sha", "--upload-pack=touch /tmp/pwned"))
                .put("base", new JsonObject().put("ref", "main").put("sha", "b".repeat(40))));

        assertThatThrownBy(() -> pulls().find(n)).isInstanceOf(RefResolutionException.class)
                .hasMessage("cannot read pull request #" + n + " of repo shop: GitHub's answer to GET /pulls/" + n
                        + " has no commit SHA where one belongs");
        assertThat(Path.of("/tmp/pwned")).doesNotExist();
    }

    @Test
    void numbersThatAreNoPullRequestsAreNotAsked() {
        for (int n : new int[]{0, -1, Integer.MIN_VALUE}) {
            assertThatThrownBy(() -> pulls().find(n)).isInstanceOf(RefResolutionException.class)
                    .hasMessage("no pull request #" + n + " in repo shop");
        }
        assertThat(github.calls()).noneMatch(c -> c.path().contains("/pulls/"));
    }
}
