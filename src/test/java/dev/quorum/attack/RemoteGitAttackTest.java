package dev.quorum.attack;

import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.quorum.repo.MergePlan;
import dev.quorum.repo.Sha;
import dev.quorum.repo.remote.RemoteGitHost;
import dev.quorum.testing.CapturedLog;
import dev.quorum.testing.GitHttpServer;
import dev.quorum.testing.TestRepo;
import org.eclipse.jgit.transport.RefSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.quorum.testing.GitHttpServer.git;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Attacks on the remote git host: a remote address that would make Quorum read its own disk or run a command, a
 * secret that could leak into a log, an error, the mirror or a workspace, and hostile refs a server advertises.
 */
class RemoteGitAttackTest {
    private static final String TOKEN = "tok-attack-1f2e3d4c5b6a";

    @TempDir Path tmp;
    private GitHttpServer server;
    private Path served;
    private String base;

    @BeforeEach
    void start() throws Exception {
        server = new GitHttpServer(tmp.resolve("served")).token(TOKEN);
        served = server.createBare("app");
        try (TestRepo repo = TestRepo.init(tmp.resolve("work"))) {
            base = repo.commit("base", Map.of("README.md", "hello\n", "run-tests.sh", "#!/bin/sh\nenv\n"));
            repo.git().push().setRemote(served.toString()).setRefSpecs(new RefSpec("refs/heads/main:refs/heads/main")).call();
        }
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private RemoteGitHost host(String url) throws IOException {
        return RemoteGitHost.open("app", url, "env:APP_GIT_TOKEN", tmp.resolve("data/mirrors/app.git"), Map.of("APP_GIT_TOKEN", TOKEN));
    }

    @ParameterizedTest
    @ValueSource(strings = {"file:///etc", "ext::sh -c id", "ext::/bin/id", "/etc", "../../etc", "git://127.0.0.1/app.git",
            "http://example.com/app.git", "https://user:pw@example.com/app.git", "-uupload-pack=touch /tmp/x",
            "git@-Fevil:team/app.git", "-oProxyCommand@evil:team/app.git"})
    void anAddressThatReadsThisDiskRunsACommandOrCarriesASecretIsRefusedBeforeAnyTransport(String url) {
        assertThatThrownBy(() -> host(url)).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("refused remote address: ")
                .message().doesNotContain("pw@");
        assertThat(tmp.resolve("data/mirrors")).doesNotExist();
    }

    @Test
    void theSecretIsInNoLogNoErrorNoMirrorFileAndNoWorkspace() throws Exception {
        RemoteGitHost host = host(server.url("app"));
        try (CapturedLog mirrorLog = CapturedLog.of(Class.forName("dev.quorum.repo.remote.Mirror"))) {
            host.refresh();
            Sha main = host.resolve("main");
            host.checkout(main, tmp.resolve("workspace"));
            RemoteGitHost wrong = RemoteGitHost.open("app", server.url("app"), "env:APP_GIT_TOKEN", tmp.resolve("data/mirrors/other.git"),
                    Map.of("APP_GIT_TOKEN", TOKEN + "-expired"));
            assertThatThrownBy(wrong::refresh).message().doesNotContain(TOKEN);
            assertThat(mirrorLog.events()).extracting(ILoggingEvent::getFormattedMessage).noneMatch(m -> m.contains(TOKEN));
        }
        // the workspace is a copy: no alternates into the mirror and no hard links to its object files
        assertThat(tmp.resolve("workspace/.git/objects/info/alternates")).doesNotExist();
        try (Stream<Path> objects = Files.walk(tmp.resolve("workspace/.git/objects"))) {
            for (Path file : objects.filter(Files::isRegularFile).toList()) {
                assertThat((Integer) Files.getAttribute(file, "unix:nlink")).as(file.toString()).isEqualTo(1);
            }
        }
        String basic = Base64.getEncoder().encodeToString(("x-access-token:" + TOKEN).getBytes(StandardCharsets.UTF_8));
        for (Path dir : List.of(tmp.resolve("data"), tmp.resolve("workspace"))) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    String bytes = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                    assertThat(bytes).as(file.toString()).doesNotContain(TOKEN).doesNotContain(basic);
                }
            }
        }
    }

    @Test
    void aRedirectToAnotherServerGetsNeitherTheFetchNorTheCredentials() throws Exception {
        try (GitHttpServer elsewhere = new GitHttpServer(tmp.resolve("elsewhere")).token(TOKEN);
             GitHttpServer redirecting = new GitHttpServer(tmp.resolve("moved"))) {
            elsewhere.createBare("app");
            redirecting.redirectTo(elsewhere.url("app").replaceFirst("/app\\.git$", ""));
            RemoteGitHost host = RemoteGitHost.open("app", redirecting.url("app"), "env:APP_GIT_TOKEN", tmp.resolve("data/mirrors/app.git"),
                    Map.of("APP_GIT_TOKEN", TOKEN));
            assertThatThrownBy(host::refresh).isInstanceOf(IOException.class).message().doesNotContain(TOKEN);
            assertThat(redirecting.requests()).isNotEmpty().allSatisfy(r -> assertThat(r.status()).isEqualTo(302));
            assertThat(elsewhere.requests()).isEmpty();
        }
    }

    @Test
    void aServerThatEchoesTheSecretInItsRefusalHasItCutFromTheError() throws Exception {
        Path hook = served.resolve("hooks/pre-receive");
        Files.writeString(hook, "#!/bin/sh\necho 'denied for token " + TOKEN + "' >&2\nexit 1\n");
        Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwxr-xr-x"));
        RemoteGitHost host = host(server.url("app"));
        host.refresh();
        Path ws = tmp.resolve("ws");
        host.checkout(new Sha(base), ws);
        Files.writeString(ws.resolve("x.txt"), "x\n");
        git(ws, "add", ".");
        git(ws, "-c", "user.name=A", "-c", "user.email=a@example.com", "commit", "-q", "-m", "x");
        Sha next = new Sha(git(ws, "rev-parse", "HEAD"));
        assertThatThrownBy(() -> host.pushBranch(ws, "quorum/R1", next, java.util.Optional.empty()))
                .isInstanceOf(IOException.class).message().doesNotContain(TOKEN).contains("***");
    }

    @Test
    void refsAServerAdvertisesCannotOverwriteQuorumsPinsOrSmuggleNamesNoGrammarReads() throws Exception {
        RemoteGitHost host = host(server.url("app"));
        host.refresh();
        Sha main = host.resolve("main");
        Path mirror = tmp.resolve("data/mirrors/app.git");
        try (TestRepo evil = TestRepo.init(tmp.resolve("evil"))) {
            String other = evil.commit("evil", Map.of("evil.txt", "evil\n"));
            evil.git().push().setRemote(served.toString()).setRefSpecs(new RefSpec("refs/heads/main:refs/heads/evil")).call();
            // refs a server may hold and advertise: Quorum's own namespace, and names with a bidi override
            git(served, "update-ref", "refs/quorum/merges/R7", other);
            git(served, "update-ref", "refs/heads/fix\u202Egnp.exe", other);
            git(served, "update-ref", "refs/tags/v1\u200B", other);
            git(mirror, "update-ref", "refs/quorum/merges/R7", main.hex());
            try (CapturedLog mirrorLog = CapturedLog.of(Class.forName("dev.quorum.repo.remote.Mirror"))) {
                host.refresh();
                assertThat(mirrorLog.events()).extracting(ILoggingEvent::getFormattedMessage)
                        .contains("repo app: dropped a ref the remote advertises with a name Quorum does not read: refs/heads/fix\\u202egnp.exe")
                        .allSatisfy(m -> assertThat(m).doesNotContain("\u202E"));
            }
            assertThat(git(mirror, "rev-parse", "refs/quorum/merges/R7")).isEqualTo(main.hex());
            assertThat(host.refNames(true)).containsExactlyInAnyOrder("main", "evil");
            assertThat(git(mirror, "for-each-ref", "--format=%(refname)")).doesNotContain("\u202E").doesNotContain("\u200B");
        }
    }
}
