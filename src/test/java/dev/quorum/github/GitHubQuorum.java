package dev.quorum.github;

import dev.quorum.testing.QuorumHarness;
import dev.quorum.testing.SseClient;
import dev.quorum.testing.Suites;
import dev.quorum.testing.TestClock;
import dev.quorum.testing.TestRedis;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real Quorum guarding {@code acme/shop} on a {@link FakeGitHub} with a token, for the end-to-end tests of pull
 * requests as subjects: console users alice, bob, carol and erin (erin is also {@code github:erin}), all engineers; a
 * merge needs two approvals. Closing it closes Quorum and its event stream, not the fake.
 */
public final class GitHubQuorum implements AutoCloseable {
    public static final Duration WAIT = Duration.ofSeconds(40);

    private final QuorumHarness q;
    private final SseClient room;

    private GitHubQuorum(QuorumHarness q) throws Exception {
        this.q = q;
        this.room = q.events("alice");
    }

    /** With the token {@code token} (written to a file under {@code dir}); {@code landing}/{@code method} {@code null} for the defaults. */
    public static GitHubQuorum start(Path dir, FakeGitHub github, String token, String landing, String method) throws Exception {
        return new GitHubQuorum(QuorumHarness.start(dir.resolve("data"), yaml(dir, github, token, landing, method), Map.of(),
                TestClock.startingNow()));
    }

    /** The config {@link #start(Path, FakeGitHub, String, String, String)} runs, for a Quorum in a process of its own. */
    public static String yaml(Path dir, FakeGitHub github, String token, String landing, String method) throws Exception {
        Path file = Files.createDirectories(dir.resolve("secrets")).resolve("github-token");
        Files.writeString(file, token + "\n");
        return yaml(landing, method, "github: {api_url: \"" + github.apiUrl() + "\", token: \"file:" + file + "\"}\n");
    }

    /** With {@code githubYaml} as the {@code github:} section (an App's keys, say). */
    public static GitHubQuorum start(Path dir, String landing, String method, String githubYaml) throws Exception {
        return new GitHubQuorum(QuorumHarness.start(dir.resolve("data"), yaml(landing, method, githubYaml), Map.of(), TestClock.startingNow()));
    }

    private static String yaml(String landing, String method, String githubYaml) {
        String on = "owner: acme, repo: shop" + (landing == null ? "" : ", landing: " + landing) + (method == null ? "" : ", merge_method: " + method);
        return """
                console: {demo: true, users: {alice: {}, bob: {}, carol: {}, erin: {}}}
                people: {erin: [console:erin, github:erin]}
                groups:
                  engineers: [console:alice, console:bob, console:carol, console:erin]
                repos:
                  shop: {github: {%s}, test_command: "%s", reports: ["%s"], test_timeout: 20s}
                policies:
                  merge: {approvals: 2, eligible: [engineers], ttl: 1h}
                """.formatted(on, Suites.COMMAND, Suites.REPORTS) + githubYaml;
    }

    /**
     * {@code acme/shop} on {@code github}, readable with {@code token}: {@code main} has a passing suite of 2 tests
     * ({@link Suites}); Redis is flushed for the Quorum to come.
     */
    public static FakeGitHub.Repo shop(FakeGitHub github, String token) throws Exception {
        TestRedis.flush();
        github.acceptToken(token);
        FakeGitHub.Repo shop = github.createRepo("acme", "shop");
        shop.pushTo("main", Map.of(Suites.SCRIPT, Suites.passing(2)));
        return shop;
    }

    public QuorumHarness q() {
        return q;
    }

    /** What alice sees in the console. */
    public SseClient room() {
        return room;
    }

    /** alice proposes {@code text}; the request's id once its card is up. */
    public String propose(String text) throws Exception {
        var res = q.say("alice", text);
        assertThat(res.status()).as(res.json().toString()).isEqualTo(202);
        String id = res.json().get("request_id").asText();
        room.await(e -> e.text().startsWith(id + " · ") && e.text().contains("awaiting approval"), WAIT);
        return id;
    }

    public com.fasterxml.jackson.databind.JsonNode request(String id) throws Exception {
        return q.get("/api/requests/" + id).json();
    }

    /** bob's approval (counted), then carol's: the quorum. */
    public void approveByBobAndCarol(String id) throws Exception {
        q.say("bob", "approve " + id);
        room.awaitReply("bob approved " + id);
        q.say("carol", "approve " + id);
    }

    @Override
    public void close() {
        room.close();
        q.close();
    }
}
