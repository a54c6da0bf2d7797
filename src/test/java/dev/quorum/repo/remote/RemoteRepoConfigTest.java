package dev.quorum.repo.remote;

import dev.quorum.config.ConfigException;
import dev.quorum.config.ConfigLoader;
import dev.quorum.config.QuorumConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code repos.<name>.url} and {@code credentials}: exactly one of path and url; a secret in the config text is an error that does not repeat it. */
class RemoteRepoConfigTest {
    private static QuorumConfig parse(String repo) {
        String yaml = "data: /srv/quorum\nrepos:\n  app: " + repo + "\n";
        return new ConfigLoader(Map.<String, String>of()::get).parse(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "test");
    }

    @Test
    void aRepoOnAGitServerHasItsMirrorInTheDataFolder() {
        QuorumConfig c = parse("{url: 'https://git.example.com/team/app.git', credentials: 'env:APP_GIT_TOKEN'}");
        assertThat(c.repos().get("app").url()).isEqualTo("https://git.example.com/team/app.git");
        assertThat(c.repos().get("app").credentials()).isEqualTo("env:APP_GIT_TOKEN");
        assertThat(RemoteGitHost.mirrorDir(c, "app")).isEqualTo(Path.of("/srv/quorum/mirrors/app.git"));
        assertThat(parse("{url: 'ssh://git@git.example.com/team/app.git', credentials: 'file:/run/secrets/git'}").repos().get("app").url())
                .startsWith("ssh://");
        assertThat(parse("{url: 'git@git.example.com:team/app.git'}").repos().get("app").credentials()).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            both                  | {path: app.git, url: 'https://h.example/a.git'} | config error: repos.app.path = "app.git": give either path or url, not both
            neither               | {default_branch: main}                          | config error: repos.app.path = (missing): required (or url, for a repository on a git server)
            file transport        | {url: 'file:///srv/app.git'}                    | config error: repos.app.url = "file:///srv/app.git": only https:// and ssh:// git servers are supported (not file://, ext::, git:// or a path)
            ext transport         | {url: 'ext::sh -c touch% /tmp/pwned'}           | config error: repos.app.url = "ext::sh -c touch% /tmp/pwned": must not contain spaces or control characters
            ext without spaces    | {url: 'ext::/tmp/evil'}                         | config error: repos.app.url = "ext::/tmp/evil": only https:// and ssh:// git servers are supported (not file://, ext::, git:// or a path)
            git protocol          | {url: 'git://h.example/a.git'}                  | config error: repos.app.url = "git://h.example/a.git": only https:// and ssh:// git servers are supported (not file://, ext::, git:// or a path)
            plain path            | {url: '/srv/app.git'}                           | config error: repos.app.url = "/srv/app.git": only https:// and ssh:// git servers are supported (not file://, ext::, git:// or a path)
            http elsewhere        | {url: 'http://h.example/a.git'}                 | config error: repos.app.url = "http://h.example/a.git": http:// is only for this machine (127.0.0.1); use https:// or ssh://
            no path               | {url: 'https://h.example'}                      | config error: repos.app.url = "https://h.example": needs a host and a repository path, such as https://git.example.com/team/app.git
            demo                  | {url: 'https://h.example/a.git', demo: true}    | config error: repos.app.demo = "true": the demo repository is created on this disk; not with a url
            credentials for path  | {path: app.git, credentials: 'env:T'}           | config error: repos.app.credentials = "(not shown)": only for a repo with a url
            credentials to tests  | {url: 'https://h.example/a.git', credentials: 'env:GIT_T', env: [PATH, GIT_T]} | config error: repos.app.env = "GIT_T": holds this repo's git credentials; the code under test must not see them
            """)
    void aWrongLocationIsOneLineNamingKeyAndProblem(String name, String repo, String message) {
        assertThatThrownBy(() -> parse(repo)).isInstanceOf(ConfigException.class).hasMessage(message);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            token in credentials    | {url: 'https://h.example/a.git', credentials: 'ghp_s3cretTOKENvalue123'} | repos.app.credentials | ghp_s3cretTOKENvalue123
            user:password           | {url: 'https://h.example/a.git', credentials: 'alice:hunter2pass'}       | repos.app.credentials | hunter2pass
            password in the url     | {url: 'https://alice:hunter2pass@h.example/a.git'}                       | repos.app.url         | hunter2pass
            token as url user       | {url: 'https://ghp_s3cretTOKENvalue123@h.example/a.git'}                 | repos.app.url         | ghp_s3cretTOKENvalue123
            ssh with password       | {url: 'ssh://git:hunter2pass@h.example/a.git'}                           | repos.app.url         | hunter2pass
            """)
    void aSecretPastedIntoTheConfigIsAnErrorThatNamesTheKeyNotTheValue(String name, String repo, String key, String secret) {
        assertThatThrownBy(() -> parse(repo)).isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).key()).isEqualTo(key))
                .hasMessageStartingWith("config error: " + key + " = \"(not shown)\": ")
                .message().doesNotContain(secret);
    }
}
