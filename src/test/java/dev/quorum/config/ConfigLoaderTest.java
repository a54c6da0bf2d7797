package dev.quorum.config;

import dev.quorum.conversation.Identity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigLoaderTest {
    static String shipped() throws IOException {
        return Files.readString(Path.of("config/quorum.yaml"));
    }

    static QuorumConfig parse(String yaml, Map<String, String> env) {
        return new ConfigLoader(env::get).parse(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "test");
    }

    @Test
    void theShippedConfigIsTheDemoOfSpecSection9() throws IOException {
        QuorumConfig c = parse(shipped(), Map.of());
        assertThat(c.console().demo()).isTrue();
        assertThat(c.console().users()).containsOnlyKeys("alice", "bob", "carol", "dave");
        assertThat(c.defaultRepo()).isEqualTo("demo");
        assertThat(c.repos().get("demo").demo()).isTrue();
        assertThat(c.environments()).containsOnlyKeys("staging", "production");
        assertThat(c.policies().get("merge").approvals()).isEqualTo(2);
        assertThat(c.policies().get("merge").ttl()).isEqualTo(Duration.ofHours(24));
        assertThat(c.policies().get("deploy.production").require()).containsExactly(new PolicyConfig.GroupMinimum("oncall", 1));
        assertThat(c.model().configured()).isFalse();
        assertThat(c.slack().enabled()).isFalse();
        assertThat(c.limits()).as("the shipped values are the defaults").isEqualTo(LimitsConfig.defaults());
        assertThat(c.limits().userPerMinute()).isEqualTo(60);
        Directory d = new Directory(c);
        assertThat(d.isMember(Identity.console("dave"), "oncall")).isTrue();
        assertThat(d.isMember(Identity.console("alice"), "oncall")).isFalse();
    }

    @Test
    void theJarCarriesTheSameConfigAsTheBundledDefault() throws IOException {
        try (InputStream in = ConfigLoader.class.getResourceAsStream(ConfigLoader.BUNDLED)) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(shipped());
        }
    }

    @Test
    void environmentVariablesOverrideTheYaml() throws IOException {
        QuorumConfig c = parse(shipped(), Map.of("QUORUM_HTTP_PORT", "9090", "QUORUM_DATA", "/tmp/q", "REDIS_URL", "redis://db:6379",
                "OPENAI_API_KEY", "sk-test", "OPENAI_BASE_URL", "http://127.0.0.1:1234/v1", "QUORUM_MODEL", "llama3",
                "SLACK_BOT_TOKEN", "xoxb-1", "SLACK_SIGNING_SECRET", "s3cret"));
        assertThat(c.http().port()).isEqualTo(9090);
        assertThat(c.data()).isEqualTo("/tmp/q");
        assertThat(c.redis().url()).isEqualTo("redis://db:6379");
        assertThat(c.model().provider()).isEqualTo("openai");
        assertThat(c.model().apiKey()).isEqualTo("sk-test");
        assertThat(c.model().baseUrl()).isEqualTo("http://127.0.0.1:1234/v1");
        assertThat(c.model().name()).isEqualTo("llama3");
        assertThat(c.slack().enabled()).isTrue();
    }

    @Test
    void anAnthropicKeyAloneTurnsAnthropicOn() throws IOException {
        QuorumConfig c = parse(shipped(), Map.of("ANTHROPIC_API_KEY", "sk-ant-x", "ANTHROPIC_BASE_URL", "http://127.0.0.1:9/"));
        assertThat(c.model().provider()).isEqualTo("anthropic");
        assertThat(c.model().baseUrl()).isEqualTo("http://127.0.0.1:9/");
    }

    static Stream<Arguments> badConfigs() {
        return Stream.of(
                Arguments.of("a misspelt top-level key",
                        "polices: {}\n", Map.of(),
                        "config error: polices = \"polices\": unknown key; did you mean 'policies'?"),
                Arguments.of("a misspelt nested key",
                        "http: {prot: 80}\n", Map.of(),
                        "config error: http.prot = \"prot\": unknown key; did you mean 'port'?"),
                Arguments.of("a port that is not a number",
                        "http: {port: eighty}\n", Map.of(),
                        "config error: http.port = \"eighty\": must be a whole number"),
                Arguments.of("a port from the environment that is not a number",
                        "{}\n", Map.of("QUORUM_HTTP_PORT", "abc"),
                        "config error: http.port (from QUORUM_HTTP_PORT) = \"abc\": must be a whole number"),
                Arguments.of("a port out of range",
                        "http: {port: 70000}\n", Map.of(),
                        "config error: http.port = \"70000\": must be between 0 and 65535"),
                Arguments.of("a negative command limit",
                        "limits: {user_per_minute: -1}\n", Map.of(),
                        "config error: limits.user_per_minute = \"-1\": must be between 0 and 1000000"),
                Arguments.of("a misspelt command limit",
                        "limits: {users_per_minute: 5}\n", Map.of(),
                        "config error: limits.users_per_minute = \"users_per_minute\": unknown key; did you mean 'user_per_minute'?"),
                Arguments.of("a duration without unit",
                        "groups: {g: [console:a]}\nconsole: {demo: true, users: {a: {}}}\npolicies: {merge: {eligible: [g], ttl: 5}}\n", Map.of(),
                        "config error: policies.merge.ttl = \"5\": not a duration (use e.g. 30s, 10m, 2h, 7d)"),
                Arguments.of("a policy naming a missing group",
                        "policies: {merge: {eligible: [engineers]}}\n", Map.of(),
                        "config error: policies.merge.eligible = \"engineers\": no such group in groups"),
                Arguments.of("a policy for an unknown action",
                        "groups: {g: [console:a]}\nconsole: {demo: true, users: {a: {}}}\npolicies: {deploy.moon: {eligible: [g]}}\n", Map.of(),
                        "config error: policies.deploy.moon = \"deploy.moon\": not an action: use merge, deploy or deploy.<environment>"),
                Arguments.of("a group minimum above the approvals",
                        "groups: {g: [console:a]}\nconsole: {demo: true, users: {a: {}}}\npolicies: {merge: {approvals: 1, eligible: [g], require: [{group: g, count: 2}]}}\n", Map.of(),
                        "config error: policies.merge.require.g.count = \"2\": must be between 1 and 1"),
                Arguments.of("an environment with both command and webhook",
                        "repos: {r: {path: r}}\nenvironments: {prod: {command: x, webhook: {url: 'http://h/', secret: 0123456789abcdef}}}\n", Map.of(),
                        "config error: environments.prod = \"prod\": needs exactly one of command or webhook"),
                Arguments.of("an environment of an unknown repo",
                        "repos: {r: {path: r}}\nenvironments: {prod: {repo: x, command: deploy}}\n", Map.of(),
                        "config error: environments.prod.repo = \"x\": no such repo in repos"),
                Arguments.of("a console user without token outside demo mode",
                        "console: {demo: false, users: {erin: {}}}\n", Map.of(),
                        "config error: console.users.erin.token = (missing): required when console.demo is false"),
                Arguments.of("a group member that is no identity",
                        "groups: {g: [nobody]}\n", Map.of(),
                        "config error: groups.g = \"nobody\": neither an identity (platform:id) nor a person in people"),
                Arguments.of("an identity on an unknown platform",
                        "groups: {g: [irc:bob]}\n", Map.of(),
                        "config error: groups.g = \"irc:bob\": unknown platform; use one of console, discord, github, slack"),
                Arguments.of("an unknown merge style",
                        "repos: {r: {path: r, merge_style: squash}}\n", Map.of(),
                        "config error: repos.r.merge_style = \"squash\": must be merge or fast-forward"),
                Arguments.of("a default repo that is not configured",
                        "default_repo: web\nrepos: {r: {path: r}}\n", Map.of(),
                        "config error: default_repo = \"web\": no such repo in repos"),
                Arguments.of("an unknown model provider",
                        "model: {provider: gemini}\n", Map.of(),
                        "config error: model.provider = \"gemini\": must be openai or anthropic"),
                Arguments.of("a list where a mapping belongs",
                        "repos: [a, b]\n", Map.of(),
                        "config error: repos = \"[\"a\",\"b\"]\": must be a mapping of keys"),
                Arguments.of("a file that is not YAML",
                        "a: [unclosed\n", Map.of(),
                        "config error: (file) = \"test\": not valid YAML at line 1"),
                Arguments.of("a top level that is a list",
                        "- a\n- b\n", Map.of(),
                        "config error: (file) = \"test\": the top level must be a mapping of keys"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badConfigs")
    void aBadConfigIsOneLineNamingKeyValueAndProblem(String name, String yaml, Map<String, String> env, String message) {
        assertThatThrownBy(() -> parse(yaml, env)).isInstanceOf(ConfigException.class).hasMessage(message);
    }

    @Test
    void anEmptyFileMeansAllDefaults() {
        QuorumConfig c = parse("", Map.of());
        assertThat(c.http().port()).isEqualTo(8080);
        assertThat(c.redis().embedded()).isTrue();
        assertThat(c.data()).isEqualTo("data");
    }

    @Test
    void aMissingExplicitFileIsAConfigError() {
        assertThatThrownBy(() -> new ConfigLoader(Map.<String, String>of()::get).load(Path.of("/nonexistent/quorum.yaml")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("config error: --config = \"/nonexistent/quorum.yaml\": no such file");
    }

    @Test
    void aGitHubLoginIsLinkedWhateverItsCase() {
        QuorumConfig c = parse("""
                console: {demo: true, users: {alice: {}}}
                people: {alice: [console:alice, github:Alice-W]}
                groups: {engineers: [alice], reviewers: [github:carol]}
                """, Map.of());
        Directory d = new Directory(c);
        assertThat(d.samePerson(Identity.console("alice"), Identity.parse("github:alice-w"))).isTrue();
        assertThat(d.samePerson(Identity.parse("github:ALICE-W"), Identity.parse("github:alice-w"))).isTrue();
        assertThat(d.groupsOf(Identity.parse("github:alice-w"))).containsExactly("engineers");
        assertThat(d.isMember(Identity.parse("github:Carol"), "reviewers")).isTrue();
        assertThat(d.personOf(Identity.parse("github:Carol"))).isEqualTo("github:carol");
        assertThat(d.isMember(Identity.parse("github:alice-x"), "engineers")).isFalse();
    }

    @Test
    void peopleLinkIdentitiesSoOnePersonCountsOnceAndKeepsTheirGroups() {
        QuorumConfig c = parse("""
                console: {demo: true, users: {alice: {}}}
                people: {alice: [console:alice, slack:U024BE7LH]}
                groups: {engineers: [console:alice], oncall: [alice]}
                """, Map.of());
        Directory d = new Directory(c);
        assertThat(d.samePerson(Identity.console("alice"), Identity.parse("slack:U024BE7LH"))).isTrue();
        assertThat(d.isMember(Identity.parse("slack:U024BE7LH"), "engineers")).isTrue();
        assertThat(d.groupsOf(Identity.parse("slack:U024BE7LH"))).containsExactly("engineers", "oncall");
        assertThat(d.isMember(Identity.parse("slack:UOTHER"), "engineers")).isFalse();
    }

    @Test
    void aGroupMayListADiscordRoleWhoseHoldersAreMembersOnlyWhileTheyHoldIt() {
        QuorumConfig c = parse("""
                groups: {engineers: ["discord-role:111/222", "discord:333"]}
                """, Map.of());
        Directory d = new Directory(c);
        Identity member = Identity.parse("discord:444");
        assertThat(d.groupsOf(member, Set.of("discord-role:111/222"))).containsExactly("engineers");
        assertThat(d.isMember(member, Set.of("discord-role:111/222"), "engineers")).isTrue();
        assertThat(d.groupsOf(member, Set.of("discord-role:111/999"))).isEmpty();
        assertThat(d.groupsOf(member)).isEmpty();
        assertThat(d.groupsOf(Identity.parse("discord:333"), Set.of())).containsExactly("engineers");
    }

    @Test
    void aDiscordRoleOfAnotherShapeIsAConfigError() {
        assertThatThrownBy(() -> parse("groups: {engineers: [\"discord-role:111\"]}\n", Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("config error: groups.engineers = \"discord-role:111\": a Discord role is discord-role:<guild id>/<role id> (both numbers)");
        assertThatThrownBy(() -> parse("groups: {engineers: [\"discord-role:1/x\"]}\n", Map.of()))
                .isInstanceOf(ConfigException.class);
    }

    @Test
    void relativeRepoPathsLiveInTheDataFolder() {
        QuorumConfig c = parse("data: /srv/q\nrepos: {r: {path: repos/r}, s: {path: /abs/s}}\n", Map.of());
        assertThat(c.inData(c.repos().get("r").path())).isEqualTo(Path.of("/srv/q/repos/r"));
        assertThat(c.inData(c.repos().get("s").path())).isEqualTo(Path.of("/abs/s"));
    }

    @Test
    void durationsReadAndPrintInTheShortForm() {
        assertThat(Durations.parse("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(Durations.parse("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(Durations.format(Duration.ofHours(24))).isEqualTo("1d");
        assertThat(Durations.format(Duration.ofMinutes(90))).isEqualTo("90m");
        assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
    }
}
