package dev.quorum.github;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quorum.agent.testing.AgentConfigs;
import dev.quorum.agent.testing.FakeOpenAiServer;
import dev.quorum.testing.QuorumHarness;
import dev.quorum.testing.SseClient;
import dev.quorum.testing.Suites;
import dev.quorum.testing.TestClock;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.quorum.agent.testing.FakeOpenAiServer.call;
import static dev.quorum.agent.testing.FakeOpenAiServer.text;
import static dev.quorum.agent.testing.FakeOpenAiServer.toolCalls;
import static dev.quorum.testing.GitHttpServer.git;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The coding agent on GitHub, end to end: a code request's branch {@code quorum/R1} is pushed to {@link FakeGitHub}'s git
 * server and opened as a draft pull request at its first push (the agent's {@code run_tests()}), whose description is
 * replaced with the summary, the evidence line, the console link and the requester when the run ends; the agent's test
 * run posts its verdict on the pushed commit; {@code merge R1} then has that pull request as its subject and lands it.
 */
class GitHubCodeDraftEndToEndTest {
    private static final String TOKEN = "github_pat_e2e_code_93d0aa";
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;
    private final FakeOpenAiServer model = FakeOpenAiServer.start();
    private FakeGitHub github;
    private FakeGitHub.Repo shop;
    private QuorumHarness q;

    @BeforeEach
    void setUp() throws Exception {
        github = FakeGitHub.withGit(dir.resolve("github"));
        shop = GitHubQuorum.shop(github, TOKEN);
        Path token = Files.createDirectories(dir.resolve("secrets")).resolve("github-token");
        Files.writeString(token, TOKEN + "\n");
        String yaml = """
                console: {demo: true, users: {alice: {}, bob: {}, carol: {}}}
                groups: {engineers: [console:alice, console:bob, console:carol]}
                repos:
                  shop: {github: {owner: acme, repo: shop}, test_command: "%s", reports: ["%s"], test_timeout: 20s}
                github: {api_url: "%s", token: "file:%s"}
                model: {max_retries: 2, prices: %s}
                policies:
                  merge: {approvals: 2, eligible: [engineers], ttl: 1h}
                """.formatted(Suites.COMMAND, Suites.REPORTS, github.apiUrl(), token, AgentConfigs.PRICES);
        q = QuorumHarness.start(dir.resolve("data"), yaml, AgentConfigs.openAi(model), TestClock.startingNow());
    }

    @AfterEach
    void tearDown() throws Exception {
        if (q != null) q.close();
        model.close();
        github.close();
    }

    @Test
    void aCodeRequestOpensADraftAtItsFirstPushUpdatesItAtTheEndAndMergeOfTheRequestLandsIt() throws Exception {
        model.enqueue(toolCalls(call("write_file", new JsonObject().put("path", "ping.txt").put("content", "pong\n").encode())))
                .enqueue(toolCalls(call("run_tests", "{}")))
                .enqueue(text("Added ping.txt.\n```\n@acme/everyone look ![x](http://evil.example/x.png)"));
        try (SseClient room = q.events("alice")) {
            var res = q.say("alice", "code add a ping file");
            assertThat(res.status()).isEqualTo(202);
            String id = res.json().get("request_id").asText();
            SseClient.Event done = room.await(e -> e.kind().equals("reply") && e.text().startsWith(id + " · done"), WAIT);

            String branch = "quorum/" + id;
            String pushed = shop.head(branch).orElseThrow();
            List<FakeGitHub.Call> opened = github.calls("POST", "repos/acme/shop/pulls");
            assertThat(opened).singleElement().satisfies(c -> {
                assertThat(c.body().getBoolean("draft")).isTrue();
                assertThat(c.body().getString("head")).isEqualTo(branch);
                assertThat(c.body().getString("base")).isEqualTo("main");
                assertThat(c.body().getString("title")).isEqualTo(id + ": add a ping file");
                assertThat(c.body().getString("body")).startsWith("Quorum's coding agent is working on this (" + id + ")");
            });
            FakeGitHub.Pull draft = github.pull("acme", "shop", 100).orElseThrow();
            assertThat(draft.draft).isTrue();
            assertThat(github.calls("PATCH", "repos/acme/shop/pulls/100")).as("updated when the run ended").singleElement();
            JsonNode evidence = q.get("/api/requests/" + id).json().get("evidence");
            String line = "passed: 2 passed, 0 failed, 0 skipped · " + pushed.substring(0, 7);
            assertThat(draft.body)
                    .startsWith("````text\nAdded ping.txt.\n```\n@acme/everyone look ![x](http://evil.example/x.png)\n````\n\n")
                    .contains("Evidence: ` " + line, "evidence " + evidence.get("digest").asText().substring(0, 8))
                    .contains("/#/requests/" + id)
                    .contains("Requested by ` alice ` in Quorum (" + id + ")");
            assertThat(done.text()).contains("\nDraft pull request #100: https://github.example/acme/shop/pull/100");
            // the agent's own test run posted its verdict on the commit it pushed
            assertThat(shop.statuses(pushed)).extracting(s -> s.getString("state")).containsExactly("pending", "success");

            String merge = q.say("alice", "merge " + id).json().get("request_id").asText();
            room.await(e -> e.text().startsWith(merge + " · ") && e.text().contains("awaiting approval"), WAIT);
            JsonNode subject = q.get("/api/requests/" + merge).json().get("subject");
            assertThat(subject.get("pull_request").asInt()).isEqualTo(100);
            assertThat(subject.get("source").asText()).isEqualTo(branch);
            assertThat(subject.get("source_sha").asText()).isEqualTo(pushed);
            q.say("bob", "approve " + merge);
            room.awaitReply("bob approved " + merge);
            q.say("carol", "approve " + merge);
            room.awaitReply("Done: " + merge);
            assertThat(git(shop.bare(), "show", "main:ping.txt")).isEqualTo("pong");
            assertThat(shop.pull(100).merged).as("the draft is merged by the push of its tested merge").isTrue();
        }
    }
}
