package dev.quorum.github;

import dev.quorum.config.ConfigException;
import dev.quorum.config.GitHubConfig;
import dev.quorum.config.RepoConfig;
import dev.quorum.repo.CommitCheck;
import dev.quorum.repo.MergeOutcome;
import dev.quorum.repo.PullRequest;
import dev.quorum.repo.Sha;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GitHubClientTest {
    private static final String TOKEN = "github_pat_11AAAAAAA0secretvalue";
    private static final RepoConfig.GitHub SHOP = new RepoConfig.GitHub("acme", "shop");
    private static final String HEAD = "a".repeat(40);
    private static final String BASE = "b".repeat(40);

    @TempDir
    Path dir;
    private FakeGitHub github;

    @BeforeEach
    void start() throws Exception {
        github = new FakeGitHub();
        github.acceptToken(TOKEN);
        github.addRepo("acme", "shop");
        github.addPull("acme", "shop", 7, "feature/x", HEAD, "main", BASE, "alice");
    }

    @AfterEach
    void stop() throws Exception {
        github.close();
    }

    private GitHubClient tokenClient() {
        return GitHubClient.connect(new GitHubConfig(github.apiUrl(), null, false, "env:GH", null), Map.of("GH", TOKEN)::get, Clock.systemUTC());
    }

    private GitHubClient appClient(Path key) {
        return GitHubClient.connect(new GitHubConfig(github.apiUrl(), null, false, null,
                new GitHubConfig.App(42L, key.toString(), 9L)), v -> null, Clock.systemUTC());
    }

    private AppKeys registerApp() {
        AppKeys keys = AppKeys.generate();
        github.registerApp(42, keys.pair().getPublic(), 9);
        return keys;
    }

    @Test
    void reads_a_pull_request_with_the_token_and_githubs_media_type_and_version() {
        PullRequest pr = tokenClient().pullRequest(SHOP, 7);

        assertThat(pr).isEqualTo(new PullRequest(7, "open", false, false, new Sha(HEAD), "feature/x", "acme/shop", new Sha(BASE), "main",
                "github:alice", false, "https://github.example/acme/shop/pull/7"));
        FakeGitHub.Call call = github.calls().getFirst();
        assertThat(call.toString()).isEqualTo("GET /repos/acme/shop/pulls/7");
        assertThat(call.header("Authorization")).isEqualTo("Bearer " + TOKEN);
        assertThat(call.header("Accept")).isEqualTo("application/vnd.github+json");
        assertThat(call.header("X-GitHub-Api-Version")).isEqualTo("2022-11-28");
    }

    @Test
    void merges_with_the_expected_head_and_method_and_reports_a_push_after_the_votes_as_head_moved() {
        GitHubClient client = tokenClient();
        github.change("acme", "shop", 7, p -> p.headSha = "c".repeat(40)); // someone pushed after the approval

        assertThat(client.merge(SHOP, 7, new Sha(HEAD), MergeMethod.SQUASH))
                .isEqualTo(new MergeOutcome.HeadMoved("Head branch was modified. Review and try the merge again."));
        assertThat(github.pull("acme", "shop", 7).orElseThrow().merged).isFalse();
        assertThat(github.calls("PUT", ".*/merge").getFirst().body())
                .isEqualTo(new JsonObject().put("sha", HEAD).put("merge_method", "squash"));

        MergeOutcome landed = client.merge(SHOP, 7, new Sha("c".repeat(40)), MergeMethod.REBASE);
        assertThat(landed).isEqualTo(new MergeOutcome.Merged(new Sha(github.pull("acme", "shop", 7).orElseThrow().mergeCommit)));
        assertThat(client.merge(SHOP, 7, new Sha("c".repeat(40)), MergeMethod.MERGE))
                .isEqualTo(new MergeOutcome.NotMergeable("Pull Request is not mergeable"));
    }

    @Test
    void opens_a_draft_pull_request_once_and_updates_it_on_later_runs() {
        GitHubClient client = tokenClient();
        PullRequest first = client.openOrUpdateDraft(SHOP, "quorum/R12", "main", "R12: add a greeting", "evidence line 1");
        PullRequest again = client.openOrUpdateDraft(SHOP, "quorum/R12", "main", "R12: add a greeting", "evidence line 2");

        assertThat(first.draft()).isTrue();
        assertThat(again.number()).isEqualTo(first.number());
        assertThat(github.calls("POST", "repos/acme/shop/pulls")).singleElement().extracting(FakeGitHub.Call::body)
                .isEqualTo(new JsonObject().put("title", "R12: add a greeting").put("head", "quorum/R12").put("base", "main")
                        .put("body", "evidence line 1").put("draft", true));
        assertThat(github.calls("GET", "repos/acme/shop/pulls").getLast().query()).isEqualTo("state=open&head=acme%3Aquorum%2FR12&base=main");
        assertThat(github.pull("acme", "shop", first.number()).orElseThrow().body).isEqualTo("evidence line 2");
    }

    @Test
    void with_a_token_the_verdict_is_a_commit_status_named_quorum_cut_to_githubs_140_characters() {
        String line = "passed: 42 passed, 0 failed, 1 skipped · abc1234 · 12.3 s · evidence 9f2c41d0 " + "x".repeat(100);
        tokenClient().postCheck(SHOP, new Sha(HEAD), new CommitCheck(CommitCheck.State.SUCCESS, line, "http://q.example/requests/R7"));

        JsonObject status = github.statuses("acme", "shop", HEAD).getFirst();
        assertThat(status.getString("context")).isEqualTo("quorum");
        assertThat(status.getString("state")).isEqualTo("success");
        assertThat(status.getString("target_url")).isEqualTo("http://q.example/requests/R7");
        assertThat(status.getString("description")).hasSize(140).startsWith("passed: 42 passed").endsWith("…");
        assertThat(github.checkRuns("acme", "shop")).isEmpty();
    }

    @Test
    void as_an_app_the_verdict_is_a_check_run_named_quorum() throws Exception {
        AppKeys keys = registerApp();
        appClient(keys.writePkcs1(dir)).postCheck(SHOP, new Sha(HEAD), new CommitCheck(CommitCheck.State.FAILURE,
                "failed: 40 passed, 2 failed · aaaaaaa · 3.1 s · evidence 1234abcd", "http://q.example/requests/R8"));

        JsonObject run = github.checkRuns("acme", "shop").getFirst();
        assertThat(run.getString("name")).isEqualTo("quorum");
        assertThat(run.getString("head_sha")).isEqualTo(HEAD);
        assertThat(run.getString("status")).isEqualTo("completed");
        assertThat(run.getString("conclusion")).isEqualTo("failure");
        assertThat(run.getString("details_url")).isEqualTo("http://q.example/requests/R8");
        assertThat(run.getJsonObject("output").getString("title")).isEqualTo("failed: 40 passed, 2 failed · aaaaaaa · 3.1 s · evidence 1234abcd");
    }

    @Test
    void answers_on_the_pull_requests_conversation() {
        Comment c = tokenClient().comment(SHOP, 7, "R12 approved by alice (1 of 2)");
        assertThat(github.comments("acme", "shop", 7)).singleElement()
                .satisfies(j -> assertThat(j.getString("body")).isEqualTo("R12 approved by alice (1 of 2)"));
        assertThat(c.htmlUrl()).isEqualTo("https://github.example/acme/shop/pull/7#issuecomment-" + c.id());
    }

    @Test
    void an_app_signs_a_jwt_the_fake_verifies_with_either_pem_format_and_caches_the_installation_token() throws Exception {
        AppKeys keys = registerApp();
        for (Path key : new Path[]{keys.writePkcs1(dir), keys.writePkcs8(dir)}) {
            GitHubClient client = appClient(key);
            client.pullRequest(SHOP, 7);
            client.pullRequest(SHOP, 7);
            client.comment(SHOP, 7, "hello");
        }
        assertThat(github.issuedTokens()).hasSize(2); // one per client, each used for its three calls
        var tokenCalls = github.calls("POST", "app/installations/9/access_tokens");
        assertThat(tokenCalls).hasSize(2);
        String jwt = tokenCalls.getFirst().header("Authorization").substring(7);
        JsonObject claims = new JsonObject(new String(java.util.Base64.getUrlDecoder().decode(jwt.split("\\.")[1])));
        long now = Instant.now().getEpochSecond();
        assertThat(claims.getString("iss")).isEqualTo("42");
        assertThat(claims.getLong("iat")).isBetween(now - 65, now - 55);
        assertThat(claims.getLong("exp") - claims.getLong("iat")).isEqualTo(540);
        assertThat(github.calls("GET", "repos/acme/shop/pulls/7").getLast().header("Authorization"))
                .isEqualTo("Bearer " + github.issuedTokens().getLast());
    }

    @Test
    void an_installation_token_close_to_its_expiry_is_replaced_before_it_is_used() throws Exception {
        AppKeys keys = registerApp();
        github.tokenLifetime(Duration.ofMinutes(4)); // inside the five minutes Quorum keeps in hand
        GitHubClient client = appClient(keys.writePkcs8(dir));
        client.pullRequest(SHOP, 7);
        client.pullRequest(SHOP, 7);
        assertThat(github.issuedTokens()).hasSize(2).doesNotHaveDuplicates();
        github.tokenLifetime(Duration.ofHours(1));
        client.pullRequest(SHOP, 7);
        client.pullRequest(SHOP, 7);
        assertThat(github.issuedTokens()).hasSize(3);
    }

    @Test
    void a_revoked_installation_token_is_replaced_and_the_call_made_once_more() throws Exception {
        AppKeys keys = registerApp();
        GitHubClient client = appClient(keys.writePkcs8(dir));
        client.pullRequest(SHOP, 7);
        github.revoke(github.issuedTokens().getFirst());

        assertThat(client.pullRequest(SHOP, 7).number()).isEqualTo(7);
        assertThat(github.issuedTokens()).hasSize(2);
        assertThat(github.calls("GET", "repos/acme/shop/pulls/7")).hasSize(3);
    }

    @Test
    void a_secondary_rate_limit_with_retry_after_is_waited_out_then_the_call_succeeds() {
        github.script("GET", "repos/acme/shop/pulls/7", 403, Map.of("retry-after", "1"),
                new JsonObject().put("message", "You have exceeded a secondary rate limit. Please wait a few minutes before you try again."));
        long started = System.nanoTime();
        assertThat(tokenClient().pullRequest(SHOP, 7).number()).isEqualTo(7);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(github.calls("GET", "repos/acme/shop/pulls/7")).hasSize(2);
    }

    @Test
    void a_primary_rate_limit_resetting_later_than_quorum_waits_fails_at_once_saying_when() {
        long reset = Instant.now().getEpochSecond() + 1800;
        github.script("GET", "repos/acme/shop/pulls/7", 403, Map.of("x-ratelimit-remaining", "0", "x-ratelimit-reset", String.valueOf(reset)),
                new JsonObject().put("message", "API rate limit exceeded for installation ID 9."));

        assertThatThrownBy(() -> tokenClient().pullRequest(SHOP, 7)).isInstanceOf(GitHubException.class)
                .hasMessageMatching("GitHub rate-limited GET /repos/acme/shop/pulls/7; try again in 18\\d\\d s");
        assertThat(github.calls("GET", "repos/acme/shop/pulls/7")).hasSize(1);
    }

    @Test
    void a_secondary_limit_naming_no_time_waits_a_minute_which_a_short_bound_refuses() {
        github.script("GET", "repos/acme/shop/pulls/7", 403, Map.of(),
                new JsonObject().put("message", "You have exceeded a secondary rate limit and have been temporarily blocked."));
        GitHubClient client = new GitHubClient(new GitHubHttp(github.apiUrl(), Clock.systemUTC(), Duration.ofSeconds(5)),
                new Credentials.PersonalToken(TOKEN));

        assertThatThrownBy(() -> client.pullRequest(SHOP, 7)).hasMessage("GitHub rate-limited GET /repos/acme/shop/pulls/7; try again in 60 s");
    }

    @Test
    void errors_name_the_call_and_githubs_message_and_never_the_token() {
        github.script("GET", "repos/acme/shop/pulls/8", 401, Map.of(), new JsonObject().put("message", "Bad credentials"));
        GitHubClient client = tokenClient();

        assertThatThrownBy(() -> client.pullRequest(SHOP, 999)).isInstanceOf(GitHubException.class)
                .hasMessage("GitHub answered 404 to GET /repos/acme/shop/pulls/999: Not Found; no such repository or pull request, or Quorum cannot see it");
        assertThatThrownBy(() -> client.pullRequest(SHOP, 8))
                .hasMessage("GitHub answered 401 to GET /repos/acme/shop/pulls/8: Bad credentials; GitHub refused Quorum's credentials")
                .satisfies(e -> assertThat(e.toString()).doesNotContain(TOKEN));
        assertThat(client.toString()).doesNotContain(TOKEN);
    }

    @Test
    void a_missing_secret_or_unreadable_key_is_a_config_error_that_shows_no_value() throws Exception {
        assertThatThrownBy(() -> GitHubClient.connect(new GitHubConfig(github.apiUrl(), null, false, "env:GH", null), v -> null, Clock.systemUTC()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("config error: github.token = \"env:GH\": the environment variable is not set");
        Path twoLines = Files.writeString(dir.resolve("token"), "ghp_one\nX-Injected: yes\n");
        assertThatThrownBy(() -> GitHubClient.connect(new GitHubConfig(github.apiUrl(), null, false, "file:" + twoLines, null), v -> null, Clock.systemUTC()))
                .hasMessage("config error: github.token = \"file:" + twoLines + "\": holds spaces, line breaks or other characters no GitHub token has");
        Path notAKey = Files.writeString(dir.resolve("key.pem"), "ghp_notakey");
        assertThatThrownBy(() -> appClient(notAKey)).isInstanceOf(ConfigException.class)
                .hasMessage("config error: github.app.private_key_file = \"" + notAKey + "\": " + notAKey
                        + " is not a PEM RSA private key (BEGIN RSA PRIVATE KEY or BEGIN PRIVATE KEY)");
    }
}
