package dev.quorum.repo.remote;

import dev.quorum.repo.MergePlan;
import dev.quorum.repo.RepoHost.Move;
import dev.quorum.repo.Sha;
import dev.quorum.testing.GitHttpServer;
import dev.quorum.testing.TestRepo;
import org.eclipse.jgit.transport.RefSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.quorum.testing.GitHttpServer.git;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The remote host against a real git server (git http-backend with Basic auth on 127.0.0.1). */
class RemoteGitHostTest {
    static final String TOKEN = "tok-9f8e7d6c5b4a";

    @TempDir Path tmp;
    GitHttpServer server;
    Path served;
    TestRepo work;
    String base;
    String feature;

    @BeforeEach
    void start() throws Exception {
        server = new GitHttpServer(tmp.resolve("served")).token(TOKEN).user("alice", "alice-pass-123");
        served = server.createBare("app");
        work = TestRepo.init(tmp.resolve("work"));
        base = work.commit("base", Map.of("README.md", "hello\n"));
        work.branch("feature", base);
        work.git().checkout().setName("feature").call();
        feature = work.commit("feature", Map.of("feature.txt", "new\n"));
        work.git().checkout().setName("main").call();
        work.annotatedTag("v1", "release");
        pushAll();
    }

    @AfterEach
    void stop() {
        work.close();
        server.close();
    }

    void pushAll() throws Exception {
        work.git().push().setRemote(served.toString()).setForce(true)
                .setRefSpecs(new RefSpec("+refs/heads/*:refs/heads/*"), new RefSpec("+refs/tags/*:refs/tags/*")).call();
    }

    RemoteGitHost host(String credentials, Map<String, String> env) throws IOException {
        return RemoteGitHost.open("app", server.url("app"), credentials, tmp.resolve("data/mirrors/app.git"), env);
    }

    RemoteGitHost host() throws IOException {
        return host("env:APP_GIT_TOKEN", Map.of("APP_GIT_TOKEN", TOKEN));
    }

    @Test
    void refreshMirrorsBranchesAndTagsAndDropsWhatTheServerDeleted() throws Exception {
        RemoteGitHost host = host();
        assertThat(host.refNames(true)).isEmpty();
        host.refresh();
        assertThat(host.resolve("main").hex()).isEqualTo(base);
        assertThat(host.resolve("feature").hex()).isEqualTo(feature);
        assertThat(host.resolve("v1").hex()).isEqualTo(base);
        assertThat(host.refNames(true)).containsExactlyInAnyOrder("main", "feature", "v1");
        assertThat(Files.isRegularFile(tmp.resolve("data/mirrors/app.git/HEAD"))).isTrue();

        git(served, "update-ref", "-d", "refs/heads/feature");
        host.refresh();
        assertThat(host.head("feature")).isEmpty();
        assertThat(host.head("main")).contains(new Sha(base));
    }

    @Test
    void landingPushesTheTestedMergeWithoutForceAndARerunFindsItThere() throws Exception {
        RemoteGitHost host = host();
        host.refresh();
        MergePlan.Ready plan = (MergePlan.Ready) host.planMerge(new Sha(base), new Sha(feature), false, "Merge feature",
                "refs/quorum/merges/R1", Instant.parse("2026-01-01T00:00:00Z"));
        host.refresh(); // a fetch keeps Quorum's pins
        assertThat(git(tmp.resolve("data/mirrors/app.git"), "rev-parse", "refs/quorum/merges/R1")).isEqualTo(plan.result().hex());

        assertThat(host.compareAndSet("main", new Sha(base), plan.result(), "quorum: R1")).isEqualTo(Move.MOVED);
        assertThat(git(served, "rev-parse", "refs/heads/main")).isEqualTo(plan.result().hex());
        assertThat(host.head("main")).contains(plan.result());
        assertThat(host.compareAndSet("main", new Sha(base), plan.result(), "quorum: R1")).isEqualTo(Move.ALREADY_THERE);
    }

    @Test
    void aPushToTheBranchAfterThePlanMakesTheServerRefuseTheLanding() throws Exception {
        RemoteGitHost host = host();
        host.refresh();
        MergePlan.Ready plan = (MergePlan.Ready) host.planMerge(new Sha(base), new Sha(feature), false, "Merge feature",
                "refs/quorum/merges/R2", Instant.parse("2026-01-01T00:00:00Z"));
        String sneaked = work.commit("pushed after the votes", Map.of("late.txt", "late\n"));
        pushAll();

        // the mirror still shows base: only the server can tell
        assertThat(host.compareAndSet("main", new Sha(base), plan.result(), "quorum: R2")).isEqualTo(Move.MOVED_ELSEWHERE);
        assertThat(git(served, "rev-parse", "refs/heads/main")).isEqualTo(sneaked);
    }

    @Test
    void aServerRuleThatRefusesThePushIsAnErrorWithTheServersReason() throws Exception {
        Path hook = served.resolve("hooks/pre-receive");
        Files.writeString(hook, "#!/bin/sh\necho 'main is protected: merge through the review tool' >&2\nexit 1\n");
        Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwxr-xr-x"));
        RemoteGitHost host = host();
        host.refresh();
        MergePlan.Ready plan = (MergePlan.Ready) host.planMerge(new Sha(base), new Sha(feature), false, "Merge feature",
                "refs/quorum/merges/R3", Instant.parse("2026-01-01T00:00:00Z"));
        assertThatThrownBy(() -> host.compareAndSet("main", new Sha(base), plan.result(), "quorum: R3"))
                .isInstanceOf(IOException.class)
                .hasMessage("the git server of repo app refused the push to main: pre-receive hook declined (main is protected: merge through the review tool)");
        assertThat(git(served, "rev-parse", "refs/heads/main")).isEqualTo(base);
    }

    @Test
    void anAgentBranchIsPushedFromItsCheckoutAndOnlyAgentBranches() throws Exception {
        RemoteGitHost host = host();
        host.refresh();
        Path checkout = tmp.resolve("agent");
        host.checkout(new Sha(base), checkout);
        assertThat(Files.readString(checkout.resolve("README.md"))).isEqualTo("hello\n");
        Files.writeString(checkout.resolve("agent.txt"), "by the agent\n");
        git(checkout, "add", ".");
        git(checkout, "-c", "user.name=Agent", "-c", "user.email=agent@example.com", "commit", "-q", "-m", "agent");
        Sha commit = new Sha(git(checkout, "rev-parse", "HEAD"));

        assertThat(host.pushBranch(checkout, "quorum/R12", commit, Optional.empty())).isEqualTo(Move.MOVED);
        assertThat(git(served, "rev-parse", "refs/heads/quorum/R12")).isEqualTo(commit.hex());
        assertThat(host.head("quorum/R12")).contains(commit);
        assertThat(host.pushBranch(checkout, "quorum/R12", commit, Optional.empty())).isEqualTo(Move.ALREADY_THERE);
        assertThat(host.pushBranch(checkout, "quorum/R12", new Sha(base), Optional.of(new Sha(feature)))).isEqualTo(Move.MOVED_ELSEWHERE);
        assertThatThrownBy(() -> host.pushBranch(checkout, "main", commit, Optional.of(new Sha(base))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(git(served, "rev-parse", "refs/heads/main")).isEqualTo(base);
    }

    @Test
    void credentialsComeFromTheEnvironmentOrAFile() throws Exception {
        host("env:APP_GIT_TOKEN", Map.of("APP_GIT_TOKEN", TOKEN)).refresh();
        Path file = tmp.resolve("secrets/git");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "alice:alice-pass-123\n");
        RemoteGitHost fromFile = RemoteGitHost.open("app", server.url("app"), "file:" + file, tmp.resolve("other/app.git"), Map.of());
        fromFile.refresh();
        assertThat(fromFile.resolve("main").hex()).isEqualTo(base);
        assertThat(server.requests()).anySatisfy(r -> assertThat(r.authorization()).isEqualTo("Basic " + java.util.Base64.getEncoder()
                .encodeToString(("x-access-token:" + TOKEN).getBytes())));
        assertThat(server.requests()).anySatisfy(r -> assertThat(r.authorization()).isEqualTo("Basic " + java.util.Base64.getEncoder()
                .encodeToString("alice:alice-pass-123".getBytes())));
        // a rotated token is read at the next fetch, without a restart
        Files.writeString(file, "alice:wrong-now");
        assertThatThrownBy(fromFile::refresh).hasMessageEndingWith("the server did not accept the credentials from file:" + file);
    }

    @Test
    void badOrMissingCredentialsAreAClearErrorWithoutTheSecret() throws Exception {
        String url = server.url("app");
        assertThatThrownBy(() -> host("env:APP_GIT_TOKEN", Map.of("APP_GIT_TOKEN", "wrong-token-5555")).refresh())
                .isInstanceOf(IOException.class)
                .hasMessage("could not fetch from " + url + " for repo app: the server did not accept the credentials from env:APP_GIT_TOKEN")
                .message().doesNotContain("wrong-token-5555");
        assertThatThrownBy(() -> host(null, Map.of()).refresh())
                .hasMessage("could not fetch from " + url + " for repo app: the server did not accept the credentials (none configured)");
        assertThatThrownBy(() -> host("env:APP_GIT_TOKEN", Map.of()).refresh())
                .hasMessage("the environment variable APP_GIT_TOKEN (env:APP_GIT_TOKEN) is not set");
        assertThatThrownBy(() -> host("file:" + tmp.resolve("nowhere"), Map.of()).refresh())
                .hasMessage("cannot read the credentials file of file:" + tmp.resolve("nowhere") + " (NoSuchFileException)");
    }

    @Test
    void fetchesOfOneMirrorGoOneAtATime() throws Exception {
        for (int i = 0; i < 30; i++) work.commit("c" + i, Map.of("f" + i + ".txt", "x".repeat(5000) + i));
        pushAll();
        RemoteGitHost host = host();
        try (var pool = Executors.newFixedThreadPool(6)) {
            List<Future<Void>> runs = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                Callable<Void> refresh = () -> {
                    host.refresh();
                    return null;
                };
                runs.add(pool.submit(refresh));
            }
            for (Future<Void> run : runs) run.get();
        }
        assertThat(server.mostConcurrentRequests()).isEqualTo(1);
        assertThat(host.head("main")).contains(new Sha(git(served, "rev-parse", "refs/heads/main")));
    }

    @Test
    void anSshAddressFailsItsFetchWithAnErrorNotACrashWhileTheJarHasNoSshTransport() throws Exception {
        RemoteGitHost ssh = RemoteGitHost.open("app", "ssh://git@127.0.0.1:1/team/app.git", null, tmp.resolve("ssh/app.git"), Map.of());
        assertThatThrownBy(ssh::refresh).isInstanceOf(IOException.class)
                .hasMessageStartingWith("could not fetch from ssh://git@127.0.0.1:1/team/app.git for repo app: ");
    }

    @Test
    void credentialsPrintTheirReferenceNeverTheSecretOrTheEnvironment() throws Exception {
        Credentials credentials = new Credentials("env:APP_GIT_TOKEN", Map.of("APP_GIT_TOKEN", TOKEN, "OTHER", "other-secret"));
        assertThat(credentials.toString()).isEqualTo("Credentials[env:APP_GIT_TOKEN]");
        assertThat(credentials.read().orElseThrow().toString()).isEqualTo("Login[x-access-token, ***]");
        assertThat(credentials.scrub("token " + TOKEN + " in a message")).isEqualTo("token *** in a message");
    }
}
