package dev.quorum.github;

import dev.quorum.config.ConfigLoader;
import dev.quorum.config.GitHubConfig;
import dev.quorum.config.QuorumConfig;
import dev.quorum.config.RepoConfig;
import dev.quorum.evidence.Redactor;
import dev.quorum.repo.CommitCheck;
import dev.quorum.repo.Sha;
import dev.quorum.evidence.TestTargets;
import dev.quorum.repo.remote.RemoteGitHost;
import dev.quorum.testing.GitHttpServer;
import dev.quorum.testing.TestClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The GitHub host as a GitHub App: each fetch and push asks the client for the installation token now, so a token that
 * expires between two fetches is replaced (before it expires by Quorum's clock, or after GitHub refused it early), and
 * every token minted is masked in Quorum's logs whatever its shape.
 */
class GitHubAppTokenTest {
    private static final long APP = 31;
    private static final long INSTALLATION = 77;

    @TempDir
    Path tmp;
    private FakeGitHub github;
    private FakeGitHub.Repo shop;
    private final TestClock clock = TestClock.startingNow();
    private GitHubClient client;
    private RemoteGitHost host;

    @BeforeEach
    void anAppInstalledOnARepository() throws Exception {
        github = FakeGitHub.withGit(tmp.resolve("github"));
        AppKeys keys = AppKeys.generate();
        github.registerApp(APP, keys.pair().getPublic(), INSTALLATION);
        shop = github.createRepo("acme", "shop");
        GitHubConfig config = new GitHubConfig(github.apiUrl(), null, null, null,
                new GitHubConfig.App(APP, keys.writePkcs8(tmp).toString(), INSTALLATION));
        client = GitHubClient.connect(config, name -> null, clock);
        RepoConfig.GitHub repo = new RepoConfig.GitHub("acme", "shop");
        host = RemoteGitHost.open("shop", new GitHubUpstream("shop", repo, client, github.apiUrl()), tmp.resolve("mirrors/shop.git"),
                h -> new GitHubPullRequests("shop", repo, client, h));
    }

    @AfterEach
    void stop() throws Exception {
        github.close();
    }

    private static String basic(String token) {
        return "Basic " + Base64.getEncoder().encodeToString(("x-access-token:" + token).getBytes(StandardCharsets.UTF_8));
    }

    /** The logins git was sent, in order ({@code null}: JGit's first request, before the server asks for one). */
    private List<String> sentLogins() {
        return github.git().requests().stream().map(GitHttpServer.Request::authorization).filter(a -> a != null).distinct().toList();
    }

    @Test
    void aTokenAboutToExpireIsRenewedBeforeTheNextFetch() throws Exception {
        github.tokenLifetime(Duration.ofMinutes(5).plusSeconds(40)); // Quorum renews 5 minutes before the end: 40 s of use
        host.refresh();
        String first = github.issuedTokens().getLast();
        clock.advance(Duration.ofSeconds(50));
        String pushed = shop.pushTo("main", Map.of("next.txt", "next\n"));

        host.refresh();

        assertThat(github.issuedTokens()).hasSize(2);
        String second = github.issuedTokens().getLast();
        assertThat(sentLogins()).containsExactly(basic(first), basic(second));
        assertThat(github.git().requests()).noneMatch(r -> r.status() == 401 && basic(first).equals(r.authorization()));
        assertThat(host.head("main")).hasValueSatisfying(sha -> assertThat(sha.hex()).isEqualTo(pushed));
    }

    @Test
    void aTokenGitHubExpiredEarlyIsRefusedOnceThenANewOneIsMintedAndTheFetchDone() throws Exception {
        host.refresh();
        String first = github.issuedTokens().getLast();
        github.revoke(first); // expired at GitHub while Quorum's clock says it has most of an hour left
        String pushed = shop.pushTo("main", Map.of("next.txt", "next\n"));

        host.refresh();

        String second = github.issuedTokens().getLast();
        assertThat(second).isNotEqualTo(first);
        assertThat(github.git().requests()).anyMatch(r -> r.status() == 401 && basic(first).equals(r.authorization()));
        assertThat(sentLogins()).containsExactly(basic(first), basic(second));
        assertThat(host.head("main")).hasValueSatisfying(sha -> assertThat(sha.hex()).isEqualTo(pushed));
    }

    @Test
    void aPersonalTokenGitRefusesIsNamedByItsReferenceNeverShown() throws Exception {
        String token = "github_pat_refused_by_git_4411";
        github.acceptToken(token);
        GitHubClient personal = GitHubClient.connect(new GitHubConfig(github.apiUrl(), null, null, "env:GH", null), Map.of("GH", token)::get, clock);
        RepoConfig.GitHub repo = new RepoConfig.GitHub("acme", "shop");
        RemoteGitHost viaToken = RemoteGitHost.open("shop", new GitHubUpstream("shop", repo, personal, github.apiUrl()),
                tmp.resolve("mirrors/personal.git"), h -> new GitHubPullRequests("shop", repo, personal, h));
        github.git().tokens(t -> false); // git no longer takes it (revoked), the API still answers

        assertThatThrownBy(viaToken::refresh).hasMessage("could not fetch from " + shop.cloneUrl()
                + " for repo shop: the server did not accept the credentials from github.token");
    }

    @Test
    void mintedTokensAreMaskedByEveryRedactorEvenOnesBuiltBeforeAndWithoutTheirShape() throws Exception {
        github.tokenPrefix("v1.");
        QuorumConfig config = new ConfigLoader(Map.<String, String>of()::get).parse(new ByteArrayInputStream(
                "repos:\n  shop:\n    github: {owner: acme, repo: shop}\ngithub:\n  app: {id: 31, private_key_file: /k.pem, installation_id: 77}\n"
                        .getBytes(StandardCharsets.UTF_8)), "test");
        Redactor atStart = TestTargets.redactorFor(config, Map.of());
        Redactor shapesOnly = Redactor.SHAPES_ONLY;
        var openBefore = atStart.lines(); // a test log that was already being written

        host.refresh();

        String token = github.issuedTokens().getLast();
        assertThat(token).startsWith("v1.");
        String unlearnt = "v1.0123456789abcdef0123456789abcdef";
        assertThat(shapesOnly.redact(unlearnt)).as("no shape catches such a token: it is masked because it was learnt").isEqualTo(unlearnt);
        assertThat(openBefore.push("later: " + token)).containsExactly("later: " + Redactor.MASK);
        String log = "git said: could not read " + token + " and " + basic(token);
        for (Redactor redactor : List.of(atStart, shapesOnly, atStart.with(List.of("another-secret-99")))) {
            assertThat(redactor.redact(log)).doesNotContain(token).doesNotContain(basic(token)).startsWith("git said: could not read ");
            var stream = redactor.lines();
            assertThat(stream.push("token " + token)).allSatisfy(line -> assertThat(line).doesNotContain(token));
            assertThat(stream.finish()).allSatisfy(line -> assertThat(line).doesNotContain(token));
        }
    }
    @Test
    void asAnAppTheVerdictIsACheckRunNotAStatus() throws Exception {
        String head = shop.pushTo("feature/x", Map.of("x.txt", "x\n"));

        host.pullRequests().orElseThrow().publish(new Sha(head),
                new CommitCheck(CommitCheck.State.FAILURE, "failed: 1 failed · evidence 9f2c41d0", "https://q.example/r/R1"));

        assertThat(shop.checkRuns(head)).singleElement().satisfies(run -> {
            assertThat(run.getString("name")).isEqualTo("quorum");
            assertThat(run.getString("status")).isEqualTo("completed");
            assertThat(run.getString("conclusion")).isEqualTo("failure");
            assertThat(run.getString("details_url")).isEqualTo("https://q.example/r/R1");
        });
        assertThat(shop.statuses(head)).isEmpty();
        assertThat(github.calls("POST", "repos/acme/shop/check-runs")).singleElement()
                .satisfies(c -> assertThat(c.header("Authorization")).isEqualTo("Bearer " + github.issuedTokens().getLast()));
    }
}
