package dev.quorum.github;

import dev.quorum.testing.GitHttpServer;
import dev.quorum.testing.QuorumHarness;
import dev.quorum.testing.SseClient;
import dev.quorum.testing.Suites;
import dev.quorum.testing.TestClock;
import dev.quorum.testing.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real Quorum with {@code repos.shop.github} and nothing else about where the repository is: the host is wired in,
 * asks GitHub where to fetch from only when first used (an outage of GitHub's API does not stop the start), and fetches over git
 * with {@code x-access-token:<token>} — here as a GitHub App, so with an installation token it minted.
 */
class GitHubHostEndToEndTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;
    private FakeGitHub github;
    private FakeGitHub.Repo shop;
    private QuorumHarness q;
    private SseClient room;

    @BeforeEach
    void quorumGuardingARepositoryOnGitHub() throws Exception {
        TestRedis.flush();
        github = FakeGitHub.withGit(dir.resolve("github"));
        AppKeys keys = AppKeys.generate();
        github.registerApp(31, keys.pair().getPublic(), 77);
        shop = github.createRepo("acme", "shop");
        shop.pushTo("main", Map.of(Suites.SCRIPT, Suites.passing(2)));
        shop.pushTo("feature/x", Map.of(Suites.SCRIPT, Suites.passing(3)));
        github.outage(true); // GitHub's API is down while Quorum starts
        String yaml = """
                console: {demo: true, users: {alice: {}}}
                github:
                  api_url: "%s"
                  app: {id: 31, private_key_file: "%s", installation_id: 77}
                repos:
                  shop:
                    github: {owner: acme, repo: shop}
                    test_command: "%s"
                    reports: ["%s"]
                    test_timeout: 20s
                """.formatted(github.apiUrl(), keys.writePkcs1(dir), Suites.COMMAND, Suites.REPORTS);
        q = QuorumHarness.start(dir.resolve("data"), yaml, Map.of(), TestClock.startingNow());
        room = q.events("alice");
    }

    @AfterEach
    void stop() throws Exception {
        room.close();
        q.close();
        github.close();
    }

    @Test
    void quorumStartsWhileGitHubIsDownThenFetchesFromItsCloneUrlWithAnInstallationToken() throws Exception {
        q.say("alice", "test shop feature/x");
        room.await(e -> e.kind().equals("reply") && e.text().equals("Cannot read repo shop to resolve 'feature/x': cannot get a "
                + "token for git from GitHub for repo shop: GitHub could not give an installation token for installation 77 (503: "
                + "Service Unavailable); try again later."), WAIT);
        github.outage(false);
        q.say("alice", "test shop feature/x");
        room.await(e -> e.kind().equals("reply") && e.text().startsWith("passed: 3 passed"), WAIT);

        assertThat(github.calls("GET", "repos/acme/shop")).as("asked once it answered, then kept").hasSize(1);
        assertThat(github.issuedTokens()).isNotEmpty();
        String login = "Basic " + Base64.getEncoder().encodeToString(("x-access-token:" + github.issuedTokens().getLast())
                .getBytes(StandardCharsets.UTF_8));
        assertThat(github.git().requests()).filteredOn(r -> r.status() == 200).isNotEmpty()
                .allSatisfy(r -> assertThat(r.authorization()).isEqualTo(login));
        assertThat(Files.exists(dir.resolve("data/mirrors/shop.git/HEAD"))).isTrue();
        assertThat(GitHttpServer.git(dir.resolve("data/mirrors/shop.git"), "rev-parse", "refs/heads/feature/x"))
                .isEqualTo(shop.head("feature/x").orElseThrow());
    }
}
