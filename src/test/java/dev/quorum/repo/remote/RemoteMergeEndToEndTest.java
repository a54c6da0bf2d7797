package dev.quorum.repo.remote;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quorum.testing.GitHttpServer;
import dev.quorum.testing.QuorumHarness;
import dev.quorum.testing.SseClient;
import dev.quorum.testing.Suites;
import dev.quorum.testing.TestClock;
import dev.quorum.testing.TestRedis;
import dev.quorum.testing.TestRepo;
import org.eclipse.jgit.transport.RefSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;

import static dev.quorum.testing.GitHttpServer.git;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real Quorum guarding a repository on a git server (git http-backend with Basic auth on 127.0.0.1): {@code merge
 * feature} is fetched, tested and voted on from the mirror, and lands on the server by a non-force push of the tested
 * merge; a push to the server's branch after the votes makes the server refuse the landing and the request ends stale.
 */
class RemoteMergeEndToEndTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String TOKEN = "tok-e2e-0a1b2c3d4e5f";

    @TempDir Path dir;
    private GitHttpServer server;
    private Path served;
    private TestRepo work;
    private QuorumHarness q;
    private SseClient room;
    private String mainSha;
    private String featureSha;

    @BeforeEach
    void setUp() throws Exception {
        TestRedis.flush();
        server = new GitHttpServer(dir.resolve("served")).token(TOKEN);
        served = server.createBare("app");
        work = TestRepo.init(dir.resolve("work"));
        mainSha = work.commit("app with tests", Map.of(Suites.SCRIPT, Suites.passing(2), "README.md", "app\n"));
        featureSha = work.commit("greeting", Map.of(Suites.SCRIPT, Suites.passing(3), "greeting.txt", "hello\n"));
        work.branch("feature", featureSha);
        work.git().reset().setMode(org.eclipse.jgit.api.ResetCommand.ResetType.HARD).setRef(mainSha).call();
        push("refs/heads/main", "refs/heads/feature");
        Path credentials = dir.resolve("secrets/git-token");
        Files.createDirectories(credentials.getParent());
        Files.writeString(credentials, TOKEN + "\n");
        String yaml = """
                console: {demo: true, users: {alice: {}, bob: {}, carol: {}}}
                groups:
                  engineers: [console:alice, console:bob, console:carol]
                repos:
                  app: {url: "%s", credentials: "file:%s", test_command: "%s", reports: ["%s"], test_timeout: 20s}
                policies:
                  merge: {approvals: 2, eligible: [engineers], ttl: 1h}
                """.formatted(server.url("app"), credentials, Suites.COMMAND, Suites.REPORTS);
        q = QuorumHarness.start(dir.resolve("data"), yaml, Map.of(), TestClock.startingNow());
        room = q.events("alice");
    }

    @AfterEach
    void tearDown() {
        room.close();
        q.close();
        work.close();
        server.close();
    }

    private void push(String... refs) throws Exception {
        for (String ref : refs) {
            work.git().push().setRemote(served.toString()).setForce(true).setRefSpecs(new RefSpec("+" + ref + ":" + ref)).call();
        }
    }

    private String propose() throws Exception {
        var res = q.say("alice", "merge feature");
        assertThat(res.status()).as(res.json().toString()).isEqualTo(202);
        String id = res.json().get("request_id").asText();
        room.await(e -> e.kind().equals("reply") && e.text().startsWith(id + " · ") && e.text().contains("awaiting approval"), WAIT);
        return id;
    }

    private JsonNode request(String id) throws Exception {
        return q.get("/api/requests/" + id).json();
    }

    @Test
    void theTestedMergeLandsOnTheServerByANonForcePush() throws Exception {
        String id = propose();
        String mergeSha = request(id).get("subject").get("merge_sha").asText();
        assertThat(git(served, "rev-parse", "refs/heads/main")).isEqualTo(mainSha);
        q.say("bob", "approve " + id);
        room.awaitReply("bob approved " + id);
        q.say("carol", "approve " + id);
        room.awaitReply("Done: " + id);
        assertThat(git(served, "rev-parse", "refs/heads/main")).isEqualTo(mergeSha);
        assertThat(git(served, "rev-parse", mergeSha + "^1", mergeSha + "^2")).isEqualTo(mainSha + "\n" + featureSha);
        assertThat(request(id).get("state").asText()).isEqualTo("done");
        assertThat(server.requests()).allSatisfy(r -> assertThat(r.path()).doesNotContain(TOKEN));
    }

    @Test
    void aPushToTheServerAfterTheVotesMakesTheServerRefuseTheLandingAndTheRequestStale() throws Exception {
        String id = propose();
        // Someone pushes to main on the server after the votes were checked and before Quorum's push lands: the
        // server's own pre-receive hook moves main the moment Quorum's push arrives, so the push finds main moved.
        String sneaked = work.commit("pushed after the votes", Map.of("late.txt", "late\n"));
        work.git().push().setRemote(served.toString()).setRefSpecs(new RefSpec("refs/heads/main:refs/heads/late")).call();
        Path hook = served.resolve("hooks/pre-receive");
        Files.writeString(hook, """
                #!/bin/sh
                env -u GIT_QUARANTINE_PATH -u GIT_OBJECT_DIRECTORY -u GIT_ALTERNATE_OBJECT_DIRECTORIES git update-ref refs/heads/main %s
                """.formatted(sneaked));
        Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwxr-xr-x"));
        q.say("bob", "approve " + id);
        room.awaitReply("bob approved " + id);
        q.say("carol", "approve " + id);
        room.awaitReply(id + " is stale: `main` moved while the merge was executing");
        assertThat(request(id).get("state").asText()).isEqualTo("stale");
        assertThat(git(served, "rev-parse", "refs/heads/main")).isEqualTo(sneaked);
    }
}
