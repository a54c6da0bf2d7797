package dev.quorum.repo.remote;

import dev.quorum.testing.GitHttpServer;

import dev.quorum.testing.TestRepo;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.TransportException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static dev.quorum.testing.GitHttpServer.git;

/** The test git server is a real one: JGit and the git CLI clone, fetch and push through it; wrong credentials get 401. */
class GitHttpServerTest {
    @TempDir Path tmp;
    private GitHttpServer server;
    private String seeded;

    @BeforeEach
    void start() throws Exception {
        server = new GitHttpServer(tmp.resolve("served")).user("alice", "s3cret-pass").token("tok-123");
        Path bare = server.createBare("app");
        try (TestRepo repo = TestRepo.init(tmp.resolve("seed"))) {
            seeded = repo.commit("first", Map.of("README.md", "hello\n"));
            repo.git().push().setRemote(bare.toString()).setRefSpecs(new RefSpec("refs/heads/main:refs/heads/main")).call();
        }
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void jgitClonesFetchesAndPushesWithAUserOrAToken() throws Exception {
        var alice = new UsernamePasswordCredentialsProvider("alice", "s3cret-pass");
        try (Git clone = Git.cloneRepository().setURI(server.url("app")).setDirectory(tmp.resolve("jgit").toFile())
                .setCredentialsProvider(alice).call()) {
            assertThat(clone.getRepository().resolve("refs/heads/main").name()).isEqualTo(seeded);
            Files.writeString(tmp.resolve("jgit/more.txt"), "more\n");
            clone.add().addFilepattern(".").call();
            String pushed = clone.commit().setMessage("second").setAuthor("A", "a@example.com").call().name();
            var token = new UsernamePasswordCredentialsProvider("x-access-token", "tok-123");
            clone.push().setCredentialsProvider(token).setRefSpecs(new RefSpec("refs/heads/main:refs/heads/main")).call()
                    .forEach(result -> assertThat(result.getRemoteUpdate("refs/heads/main").getStatus().name()).isEqualTo("OK"));
            assertThat(git(tmp.resolve("served/app.git"), "rev-parse", "refs/heads/main")).isEqualTo(pushed);
            clone.fetch().setCredentialsProvider(alice).call();
            assertThat(clone.getRepository().exactRef(Constants.R_REMOTES + "origin/main").getObjectId().name()).isEqualTo(pushed);
        }
    }

    @Test
    void theGitCliClonesFetchesAndPushes() throws Exception {
        String url = server.url("app").replace("http://", "http://alice:s3cret-pass@");
        Path work = tmp.resolve("cli");
        git(tmp, "clone", "-q", url, work.toString());
        assertThat(git(work, "rev-parse", "HEAD")).isEqualTo(seeded);
        Files.writeString(work.resolve("cli.txt"), "cli\n");
        git(work, "add", ".");
        git(work, "-c", "user.name=C", "-c", "user.email=c@example.com", "commit", "-q", "-m", "cli");
        String pushed = git(work, "rev-parse", "HEAD");
        git(work, "push", "-q", "origin", "main");
        assertThat(git(tmp.resolve("served/app.git"), "rev-parse", "refs/heads/main")).isEqualTo(pushed);
        git(work, "fetch", "-q", "origin");
        assertThat(git(work, "rev-parse", "origin/main")).isEqualTo(pushed);
        assertThat(server.uploadPacks()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void wrongOrMissingCredentialsGet401WithAChallenge() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (String authorization : new String[] {null, basic("alice", "wrong"), basic("bob", "s3cret-pass"), "Bearer tok-123"}) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url("app") + "/info/refs?service=git-upload-pack"));
            if (authorization != null) request.header("Authorization", authorization);
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(String.valueOf(authorization)).isEqualTo(401);
            assertThat(response.headers().firstValue("WWW-Authenticate")).contains("Basic realm=\"git\"");
        }
        assertThatThrownBy(() -> Git.cloneRepository().setURI(server.url("app")).setDirectory(tmp.resolve("denied").toFile())
                .setCredentialsProvider(new UsernamePasswordCredentialsProvider("alice", "wrong")).call())
                .isInstanceOf(TransportException.class).hasMessageContaining("not authorized");
        HttpResponse<String> ok = http.send(HttpRequest.newBuilder(URI.create(server.url("app") + "/info/refs?service=git-upload-pack"))
                .header("Authorization", basic("alice", "s3cret-pass")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).contains("# service=git-upload-pack").contains(seeded + " refs/heads/main");
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

}
