package dev.quorum.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quorum.testing.QuorumHarness;
import dev.quorum.testing.SseClient;
import dev.quorum.testing.Suites;
import dev.quorum.testing.TestRedis;
import dev.quorum.testing.TestRepo;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.Range;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code test} end to end in the console: real git repositories, real test processes, real Redis. */
class TestCommandTest {
    private static final String SECRET = "hunter2-configured-secret";

    @TempDir
    Path dir;
    private TestRepo repo;
    private QuorumHarness q;

    @BeforeEach
    void setUp() throws Exception {
        TestRedis.flush();
        repo = TestRepo.init(dir.resolve("app"));
    }

    @AfterEach
    void tearDown() {
        if (q != null) q.close();
        repo.close();
    }

    private void start() throws Exception {
        String yaml = """
                console: {demo: true, users: {alice: {}, bob: {}, dave: {}}}
                groups: {engineers: [console:alice, console:bob, console:dave], oncall: [console:dave]}
                repos:
                  app:
                    path: %s
                    test_command: %s
                    reports: ["%s"]
                    test_timeout: 4s
                    env: [LEAKY_TOKEN]
                evidence: {secrets: [%s]}
                """.formatted(repo.dir(), Suites.COMMAND, Suites.REPORTS, SECRET);
        q = QuorumHarness.start(dir.resolve("data"), yaml, Map.of(), Clock.systemUTC());
    }

    private String commit(String script) throws Exception {
        return repo.commit("suite", Map.of(Suites.SCRIPT, script));
    }

    @Test
    void aPassingSuitePostsTheEvidenceLineBoundToTheCommit() throws Exception {
        String sha = commit(Suites.passing(3));
        start();
        try (SseClient events = q.events("alice")) {
            var res = q.say("alice", "test");
            assertThat(res.status()).isEqualTo(202);
            String id = res.json().get("request_id").asText();
            SseClient.Event line = events.awaitReply("passed: 3 passed, 0 failed, 0 skipped · " + sha.substring(0, 7));
            assertThat(line.data().get("request_id").asText()).isEqualTo(id);
            assertThat(line.data().get("link").get("url").asText()).endsWith("#/requests/" + id);
            events.await(e -> e.kind().equals("update") && e.text().contains("· succeeded"), Duration.ofSeconds(10));

            JsonNode full = q.get("/api/requests/" + id).json();
            assertThat(full.get("state").asText()).isEqualTo("succeeded");
            JsonNode evidence = full.get("evidence");
            assertThat(evidence.get("commit").asText()).isEqualTo(sha);
            assertThat(evidence.get("command").asText()).isEqualTo(Suites.COMMAND);
            assertThat(evidence.get("exit_code").asInt()).isZero();
            assertThat(evidence.get("tests").get("total").asInt()).isEqualTo(3);
            assertThat(evidence.get("digest").asText()).hasSize(64);
            assertThat(EvidenceRecord.verifyDigest(evidence.toString())).isTrue();
            assertThat(line.text()).contains("evidence " + evidence.get("digest").asText().substring(0, 8));

            q.say("bob", "status " + id);
            assertThat(events.awaitReply(id + " · test").data().get("fields").toString()).contains("passed: 3 passed");
        }
    }

    @Test
    void aFailingSuiteNamesTheFailingTests() throws Exception {
        commit(Suites.failing("subtracts", "divides"));
        start();
        try (SseClient events = q.events("alice")) {
            q.say("alice", "test app main");
            SseClient.Event line = events.awaitReply("failed: 1 passed, 2 failed");
            assertThat(line.data().get("tone").asText()).isEqualTo("error");
            assertThat(line.data().get("fields").toString()).contains("app.CalcTest.subtracts", "app.CalcTest.divides", "expected 4 but was 5");
        }
    }

    @Test
    void aHangingSuiteIsKilledAtTheTimeout() throws Exception {
        commit(Suites.hanging());
        start();
        try (SseClient events = q.events("alice")) {
            String id = q.say("alice", "test").json().get("request_id").asText();
            SseClient.Event line = events.await(e -> e.kind().equals("reply") && e.text().startsWith("timed_out"), Duration.ofSeconds(30));
            assertThat(line.text()).contains("killed after");
            assertThat(q.get("/api/requests/" + id).json().get("state").asText()).isEqualTo("failed");
        }
    }

    @Test
    void aSecretPrintedByTheSuiteNeverReachesRedisChatOrTheConsole() throws Exception {
        String githubToken = "ghp_" + "A".repeat(36);
        commit(Suites.printing(githubToken + " " + SECRET));
        start();
        try (SseClient events = q.events("alice")) {
            String id = q.say("alice", "test").json().get("request_id").asText();
            events.awaitReply("passed: 1 passed");
            JsonNode evidence = q.get("/api/requests/" + id).json().get("evidence");
            assertThat(evidence.get("log_tail").asText()).contains("connecting with token").doesNotContain(githubToken, SECRET);
            HttpResponse<String> log = q.http().send(HttpRequest.newBuilder(URI.create(q.url("/api/requests/" + id + "/log"))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(log.statusCode()).isEqualTo(200);
            assertThat(log.body()).contains("connecting with token").doesNotContain(githubToken, SECRET);
            assertThat(events.seen().toString()).doesNotContain(githubToken, SECRET);
        }
        assertThat(everythingInRedis()).doesNotContain(githubToken, SECRET);
    }

    @Test
    void aSuiteWithoutReportsIsFailedEvidence() throws Exception {
        commit("#!/bin/sh\necho 'all good, trust me'\nexit 0\n");
        start();
        try (SseClient events = q.events("alice")) {
            q.say("alice", "test");
            SseClient.Event line = events.awaitReply("failed: ");
            assertThat(line.text()).startsWith("failed: no JUnit XML report matched reports/*.xml · ");
            assertThat(line.data().get("fields").toString()).as("said once, in the line").doesNotContain("no JUnit XML");
        }
    }

    @Test
    void twoRunsAtOnceOnTheSameRepoDoNotInterfere() throws Exception {
        String passing = commit(Suites.slowPassing(1));
        repo.branch("good", passing);
        String failing = commit(Suites.failing("breaks"));
        start();
        try (SseClient events = q.events("alice")) {
            String a = q.say("alice", "test app good").json().get("request_id").asText();
            String b = q.say("bob", "test app main").json().get("request_id").asText();
            events.awaitReply("passed: 2 passed, 0 failed, 0 skipped · " + passing.substring(0, 7));
            events.awaitReply("failed: 1 passed, 1 failed, 0 skipped · " + failing.substring(0, 7));
            assertThat(q.get("/api/requests/" + a).json().get("evidence").get("commit").asText()).isEqualTo(passing);
            assertThat(q.get("/api/requests/" + b).json().get("evidence").get("commit").asText()).isEqualTo(failing);
        }
    }

    @Test
    void cancelStopsARunningSuite() throws Exception {
        commit(Suites.hanging());
        start();
        try (SseClient events = q.events("alice")) {
            String id = q.say("alice", "test").json().get("request_id").asText();
            events.await(e -> e.kind().equals("update") && e.text().contains("running"), Duration.ofSeconds(20));
            q.say("alice", "cancel " + id);
            events.awaitReply("Cancelling " + id);
            events.await(e -> e.kind().equals("reply") && e.text().startsWith("cancelled"), Duration.ofSeconds(20));
            assertThat(q.get("/api/requests/" + id).json().get("state").asText()).isEqualTo("cancelled");
        }
    }

    @Test
    void rerunTestsTheSameCommitEvenAfterTheBranchMoved() throws Exception {
        String first = commit(Suites.passing(1));
        start();
        try (SseClient events = q.events("alice")) {
            String id = q.say("alice", "test").json().get("request_id").asText();
            events.awaitReply("passed: 1 passed");
            commit(Suites.passing(2));
            String again = q.say("bob", "rerun " + id).json().get("request_id").asText();
            events.awaitReply("passed: 1 passed, 0 failed, 0 skipped · " + first.substring(0, 7));
            JsonNode rerun = q.get("/api/requests/" + again).json();
            assertThat(rerun.get("rerun_of").asText()).isEqualTo(id);
            assertThat(rerun.get("requester").asText()).isEqualTo("console:bob");
        }
    }

    @Test
    void badRepoAndRefGetClearReplies() throws Exception {
        commit(Suites.passing(1));
        start();
        try (SseClient events = q.events("alice")) {
            var unknownRepo = q.say("alice", "test nope main");
            assertThat(unknownRepo.status()).isEqualTo(400);
            assertThat(unknownRepo.json().get("error").asText()).isEqualTo("There is no repo `nope`. Repos: app.");
            q.say("alice", "test no-such-branch");
            assertThat(events.awaitReply("no-such-branch").data().get("tone").asText()).isEqualTo("error");
            q.say("alice", "test mian");
            assertThat(events.awaitReply("`mian`").text())
                    .isEqualTo("`mian` is neither a repo nor a branch, tag or commit of app. Did you mean `main`? Repos: app.");
            q.say("alice", "test app mian");
            assertThat(events.awaitReply("`mian` in repo app").text())
                    .isEqualTo("There is no branch, tag or commit `mian` in repo app. Did you mean `main`?");
            var shell = q.say("alice", "test app $(touch pwned)");
            assertThat(shell.status()).isEqualTo(400);
            var semicolon = q.say("alice", "test main;id");
            assertThat(semicolon.status()).isEqualTo(400);
            assertThat(semicolon.json().get("error").asText()).contains("not a valid git ref");
        }
        assertThat(q.get("/api/requests").json().get("requests")).isEmpty();
    }

    @Test
    void aPullRequestOnARepoWithoutPullRequestsGetsAClearReplyAndNothingIsStored() throws Exception {
        commit(Suites.passing(1));
        start();
        try (SseClient events = q.events("alice")) {
            q.say("alice", "test #12");
            SseClient.Event test = events.awaitReply("#12 names");
            assertThat(test.text()).isEqualTo("#12 names a pull request, and repo app has none (it is not on GitHub).");
            assertThat(test.data().get("tone").asText()).isEqualTo("error");
            q.say("alice", "test app #7");
            assertThat(events.awaitReply("#7 names").text()).isEqualTo("#7 names a pull request, and repo app has none (it is not on GitHub).");
            var zero = q.say("alice", "test #0");
            assertThat(zero.status()).isEqualTo(400);
            assertThat(zero.json().get("error").asText()).isEqualTo("`#0` is not a pull request; pull requests look like `#123`.");
        }
        assertThat(q.get("/api/requests").json().get("requests")).isEmpty();
    }

    /** Every string value Quorum keeps in Redis, to search for leaks. */
    private String everythingInRedis() {
        var redis = q.quorum().redis().sync();
        StringBuilder all = new StringBuilder();
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            KeyScanCursor<String> page = redis.scan(cursor, ScanArgs.Builder.limit(500));
            for (String key : page.getKeys()) {
                switch (redis.type(key)) {
                    case "string" -> all.append(redis.get(key));
                    case "hash" -> all.append(redis.hgetall(key));
                    case "zset" -> all.append(redis.zrange(key, 0, -1));
                    case "list" -> all.append(redis.lrange(key, 0, -1));
                    case "stream" -> {
                        List<StreamMessage<String, String>> ms = redis.xrange(key, Range.create("-", "+"));
                        for (StreamMessage<String, String> m : ms) all.append(m.getBody());
                    }
                    default -> { }
                }
            }
            cursor = page;
        } while (!cursor.isFinished());
        return all.toString();
    }
}
