package dev.quorum.attack;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quorum.repo.Diff;
import dev.quorum.testing.QuorumHarness;
import dev.quorum.testing.TestRedis;
import dev.quorum.testing.TestRepo;
import dev.quorum.web.ShellRepo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Attacks on the request page's data, {@code GET /api/requests/{id}/diff} above all: reading a change
 * without signing in, steering the diff at another repository or at garbage through what Redis holds,
 * and a change so large its diff would be an answer of many megabytes. Each test fails if the attack works.
 */
class RequestPageAttackTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    private ShellRepo app;
    private QuorumHarness q;

    @BeforeEach
    void setUp() throws Exception {
        TestRedis.flush();
        app = ShellRepo.start(dir, false);
        q = app.quorum();
    }

    @AfterEach
    void tearDown() {
        app.close();
    }

    @Test
    void theDiffIsForSignedInMembersOnly() throws Exception {
        String merge = proposeMerge("feature/secret-sauce", Map.of("src/sauce.py", "RECIPE = 'classified'\n"));
        var anonymous = q.get("/api/requests/" + merge + "/diff");
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.toString()).doesNotContain("classified");
        assertThat(q.get("/api/requests/" + merge + "/diff", Map.of("Authorization", "Bearer not-a-token-000000000")).status()).isEqualTo(401);
        // A demo-style user header is no credential when demo mode is off.
        assertThat(q.get("/api/requests/" + merge + "/diff", Map.of("X-Quorum-User", "alice")).status()).isEqualTo(401);
        var member = q.get("/api/requests/" + merge + "/diff", bob());
        assertThat(member.status()).isEqualTo(200);
        assertThat(member.json().toString()).contains("classified");
    }

    @Test
    void aSubjectRewrittenInRedisCannotPointTheDiffAtAnotherRepositoryOrAtGarbage() throws Exception {
        String merge = proposeMerge("feature/x", Map.of("x.txt", "x\n"));
        var redis = q.quorum().redis().sync();
        String genuine = redis.hget("{q}:action:" + merge, "subject");

        // Another repository on the machine, not configured in Quorum: never read.
        TestRepo other = ShellRepo.create(dir.resolve("other"));
        other.commit("private", Map.of("private.txt", "not for this Quorum\n"));
        redis.hset("{q}:action:" + merge, "subject", genuine.replace("\"repo\":\"app\"", "\"repo\":\"../other\""));
        var elsewhere = q.get("/api/requests/" + merge + "/diff", bob());
        assertThat(elsewhere.status()).isEqualTo(404);
        assertThat(elsewhere.json().toString()).doesNotContain("not for this Quorum");
        other.close();

        for (String sha : new String[] {"not-a-sha", "0123456789012345678901234567890123456789", "../../../../etc/passwd"}) {
            var subject = (com.fasterxml.jackson.databind.node.ObjectNode) new com.fasterxml.jackson.databind.ObjectMapper().readTree(genuine);
            subject.put("merge_sha", sha);
            redis.hset("{q}:action:" + merge, "subject", subject.toString());
            var garbage = q.get("/api/requests/" + merge + "/diff", bob());
            assertThat(garbage.status()).as(sha).isEqualTo(404);
            assertThat(garbage.json().get("error").asText()).isEqualTo("the commits of " + merge + "'s change are no longer in app");
        }
    }

    @Test
    void aHugeChangeMakesABoundedAnswer() throws Exception {
        Map<String, String> files = new HashMap<>();
        String row = "generated row with some text to make it long enough, ".repeat(3) + "\n";
        for (int f = 0; f < 40; f++) files.put("gen/data" + f + ".txt", row.repeat(1_000)); // ~6.5 MB of new lines
        files.put("gen/one-line.min.js", "var x=1;".repeat(400_000) + "\n"); // one 3.2 MB line
        String merge = proposeMerge("feature/generated", files);

        HttpResponse<String> res = q.http().send(HttpRequest.newBuilder(URI.create(q.url("/api/requests/" + merge + "/diff")))
                .header("Authorization", "Bearer " + QuorumHarness.TOKENS.get("bob")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(res.statusCode()).isEqualTo(200);
        assertThat(res.body().length()).as("the answer's size").isLessThan(1_500_000);
        JsonNode diff = new com.fasterxml.jackson.databind.ObjectMapper().readTree(res.body());
        assertThat(diff.get("truncated").asBoolean()).isTrue();
        assertThat(diff.get("files")).hasSize(41); // every file named, with its counts
        assertThat(diff.get("insertions").asInt()).isEqualTo(40 * 1_000 + 1);
        JsonNode minified = diff.get("files").get(40);
        assertThat(minified.get("path").asText()).isEqualTo("gen/one-line.min.js");
        assertThat(minified.get("hunks").toString().length()).isLessThan(Diff.LINE_CHARS + 200); // cut, or left out
    }

    private String proposeMerge(String branch, Map<String, String> files) throws Exception {
        app.branch(branch, files);
        var res = q.post("/api/console/messages", alice(), "{\"text\":\"merge " + branch + "\"}");
        assertThat(res.status()).as(res.json().toString()).isEqualTo(202);
        String id = res.json().get("request_id").asText();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!q.get("/api/requests/" + id, bob()).json().path("state").asText().equals("awaiting_approval")) {
            if (System.nanoTime() > deadline) throw new AssertionError(id + " is not up for votes: " + q.get("/api/requests/" + id, bob()).json());
            Thread.sleep(50);
        }
        return id;
    }

    private static Map<String, String> alice() {
        return Map.of("Authorization", "Bearer " + QuorumHarness.TOKENS.get("alice"));
    }

    private static Map<String, String> bob() {
        return Map.of("Authorization", "Bearer " + QuorumHarness.TOKENS.get("bob"));
    }
}
