package dev.quorum.chat.github;

import dev.quorum.approval.Vote;
import dev.quorum.github.FakeGitHub;
import dev.quorum.request.Request;
import dev.quorum.request.RequestState;
import dev.quorum.testing.QuorumHarness;
import dev.quorum.testing.Suites;
import dev.quorum.testing.TestRedis;
import io.vertx.core.json.JsonObject;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A team whose repository is on GitHub, for end-to-end tests of pull request conversations: {@link FakeGitHub} with
 * its real git server holds {@code acme/shop} (tests on {@code main}, a branch {@code feature/x}, and pull request
 * {@link #pr} from it, opened by dave), and a whole Quorum guards it as repo {@code shop} (and {@code acme/web}, empty,
 * as repo {@code web}), with GitHub's webhooks
 * delivered, signed, to its {@code POST /github/webhook}. alice, bob, carol and dave are people of the group
 * {@code engineers} with their GitHub logins (bob's written {@code github:Bob}: logins ignore case); merges need two
 * approvals, and reviews count ({@code github.count_reviews}).
 */
public final class PullRequestWorld implements AutoCloseable {
    public static final String SECRET = "hook-secret-4f1e2d3c4b5a6978";
    public static final String TOKEN = "github_pat_conversation_9d8e7f";
    public static final Duration WAIT = Duration.ofSeconds(60);
    /** Quorum's login on GitHub when it uses a personal token, as the fake names it. */
    public static final String QUORUM = "quorum-user";

    public final FakeGitHub github;
    public final FakeGitHub.Repo shop;
    public final QuorumHarness q;
    /** Pull request {@code feature/x} into {@code main}, by dave. */
    public final int pr;
    /** Its head commit. */
    public final String head;

    private PullRequestWorld(FakeGitHub github, FakeGitHub.Repo shop, QuorumHarness q, int pr, String head) {
        this.github = github;
        this.shop = shop;
        this.q = q;
        this.pr = pr;
        this.head = head;
    }

    /** @param tests the test script on {@code main} ({@link Suites}); {@code moreYaml} is added to the config */
    public static PullRequestWorld start(Path dir, String tests, String moreYaml) throws Exception {
        TestRedis.flush();
        FakeGitHub github = FakeGitHub.withGit(dir.resolve("github"));
        try {
            github.acceptToken(TOKEN);
            FakeGitHub.Repo shop = github.createRepo("acme", "shop");
            shop.pushTo("main", Map.of(Suites.SCRIPT, tests));
            String head = shop.pushTo("feature/x", Map.of("greeting.txt", "hello\n"));
            int pr = shop.openPull("feature/x", "main", "dave");
            github.createRepo("acme", "web");
            Path secret = Files.writeString(Files.createDirectories(dir.resolve("secrets")).resolve("webhook"), SECRET + "\n");
            Path token = Files.writeString(dir.resolve("secrets/token"), TOKEN);
            QuorumHarness q = QuorumHarness.start(dir.resolve("data"), """
                    console: {demo: true, users: {alice: {}, bob: {}, carol: {}, dave: {}}}
                    people: {alice: [console:alice, github:alice], bob: [console:bob, github:Bob], carol: [github:carol], dave: [github:dave]}
                    groups: {engineers: [alice, bob, carol, dave], oncall: [alice]}
                    default_repo: shop
                    repos:
                      shop: {github: {owner: acme, repo: shop}, test_command: "%s", reports: ["%s"], test_timeout: 30s}
                      web: {github: {owner: acme, repo: web}, test_command: "sh run-tests.sh"}
                    policies:
                      merge: {approvals: 2, eligible: [engineers], ttl: 1h}
                    github: {api_url: "%s", webhook_secret: "file:%s", token: "file:%s", count_reviews: true}
                    %s""".formatted(Suites.COMMAND, Suites.REPORTS, github.apiUrl(), secret, token, moreYaml), Map.of(), Clock.systemUTC());
            github.webhook(q.url("/github/webhook"), SECRET);
            return new PullRequestWorld(github, shop, q, pr, head);
        } catch (Exception | Error e) {
            github.close();
            throw e;
        }
    }

    /** What Quorum said on pull request {@code n}, as it reads now (edits applied), oldest first. */
    public List<String> said(int n) {
        return shop.comments(n).stream().filter(c -> QUORUM.equals(c.getJsonObject("user").getString("login")))
                .map(c -> c.getString("body")).toList();
    }

    /** Waits for a comment of Quorum's on pull request {@code n} that matches, as it reads now. */
    public String awaitSaid(int n, Predicate<String> matching) throws Exception {
        return await(() -> said(n).stream().filter(matching).findFirst().orElse(null), "a comment on #" + n + "; Quorum said " + said(n));
    }

    /** {@code login} comments on the world's pull request. */
    public JsonObject comment(String login, String body) {
        return shop.comment(pr, login, body);
    }

    public Request request(String id) {
        return q.quorum().requests().find(id).orElseThrow();
    }

    public Request awaitState(String id, RequestState state) throws Exception {
        return await(() -> q.quorum().requests().find(id).filter(r -> r.state() == state).orElse(null),
                id + " " + state.wire() + "; it is " + q.quorum().requests().find(id).map(r -> r.state().wire()).orElse("missing"));
    }

    /** The votes counted on {@code id}. */
    public List<Vote> votes(String id) {
        return new dev.quorum.approval.ActionStore(q.quorum().redis()).votes(id);
    }

    public static <T> T await(Supplier<T> found, String what) throws Exception {
        long end = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < end) {
            T t = found.get();
            if (t != null) return t;
            Thread.sleep(25);
        }
        throw new AssertionError("waited " + WAIT + " for " + what);
    }

    @Override
    public void close() throws Exception {
        try {
            q.close();
        } finally {
            github.close();
        }
    }
}
