package dev.quorum.github;

import dev.quorum.config.ConfigException;
import dev.quorum.config.GitHubConfig;
import dev.quorum.config.ConfigLoader;
import dev.quorum.config.QuorumConfig;
import dev.quorum.config.RepoConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@code github:} section and {@code repos.<name>.github}: what is accepted, and each refusal's exact message. */
class GitHubConfigTest {
    private static final String REPO = "repos:\n  shop:\n    github: {owner: acme, repo: shop}\n";

    private static final String TOKEN = "github:\n  token: env:GH\n";

    private static String repo(String github) {
        return "repos:\n  shop:\n    github: {owner: acme, repo: shop, " + github + "}\n";
    }

    @Test
    void landingAndMergeMethodAndAnotherGitAddress() {
        QuorumConfig c = load(repo("landing: merge_api, merge_method: rebase") + TOKEN, Map.of());
        assertThat(c.repos().get("shop").github()).isEqualTo(new RepoConfig.GitHub("acme", "shop", "merge_api", "rebase"));
        assertThat(c.repos().get("shop").path()).isNull();
        QuorumConfig viaUrl = load("repos:\n  shop:\n    url: ssh://git@git.example.test/acme/shop.git\n    credentials: file:/run/key\n"
                + "    github: {owner: acme, repo: shop}\n" + TOKEN, Map.of());
        assertThat(viaUrl.repos().get("shop").url()).isEqualTo("ssh://git@git.example.test/acme/shop.git");
        assertThat(viaUrl.repos().get("shop").github().landing()).isEqualTo("push");
    }

    private static QuorumConfig load(String yaml, Map<String, String> env) {
        return new ConfigLoader(env::get).parse(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "test");
    }

    @Test
    void defaults_and_a_token_by_reference() {
        QuorumConfig c = load(REPO + "github:\n  token: env:GH\n", Map.of());
        assertThat(c.github().apiUrl()).isEqualTo("https://api.github.com/");
        assertThat(c.github().countReviews()).isFalse();
        assertThat(c.repos().get("shop").github()).isEqualTo(new RepoConfig.GitHub("acme", "shop"));
    }

    @Test
    void github_token_in_the_environment_becomes_a_reference_not_the_value_and_the_api_url_follows_github_api_url() {
        QuorumConfig c = load(REPO, Map.of("GITHUB_TOKEN", "ghp_secretvalue", "GITHUB_API_URL", "http://127.0.0.1:9/api/v3"));
        assertThat(c.github().token()).isEqualTo("env:GITHUB_TOKEN");
        assertThat(c.github().apiUrl()).isEqualTo("http://127.0.0.1:9/api/v3/");
        assertThat(c.toString()).doesNotContain("ghp_secretvalue");
    }

    @Test
    void an_app_in_the_yaml_wins_over_github_token_in_the_environment() {
        QuorumConfig c = load(REPO + "github:\n  app: {id: 1, private_key_file: /run/k.pem, installation_id: 2}\n", Map.of("GITHUB_TOKEN", "ghp_x"));
        assertThat(c.github().token()).isNull();
        assertThat(c.github().app().installationId()).isEqualTo(2L);
    }

    @Test
    void the_app_as_spec_section_10_writes_it() {
        QuorumConfig c = load(REPO + "github:\n  app_id: 1\n  private_key_file: /run/k.pem\n  installation_id: 2\n", Map.of());
        assertThat(c.github().app()).isEqualTo(new GitHubConfig.App(1L, "/run/k.pem", 2L));
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of("a secret written in the config", REPO + "github:\n  token: ghp_0123456789\n",
                        "config error: github.token = \"***\": a reference, env:VARIABLE or file:/absolute/path, never the secret itself"),
                Arguments.of("a relative secret file", REPO + "github:\n  token: env:GH\n  webhook_secret: file:secret.txt\n",
                        "config error: github.webhook_secret = \"***\": a reference, env:VARIABLE or file:/absolute/path, never the secret itself"),
                Arguments.of("a repo on GitHub without credentials", REPO,
                        "config error: github.token = (missing): required for repos.shop.github: set GITHUB_TOKEN, github.token or github.app"),
                Arguments.of("a token and an app", REPO + "github:\n  token: env:GH\n  app: {id: 1, private_key_file: /k.pem, installation_id: 2}\n",
                        "config error: github.token = \"env:GH\": set either github.token or github.app, not both"),
                Arguments.of("an app without its installation", REPO + "github:\n  app: {id: 1, private_key_file: /k.pem}\n",
                        "config error: github.app.installation_id = (missing): required: the number at the end of the installation's settings URL"),
                Arguments.of("an app key file given relative", REPO + "github:\n  app: {id: 1, private_key_file: k.pem, installation_id: 2}\n",
                        "config error: github.app.private_key_file = \"k.pem\": the absolute path of the app's private key (.pem)"),
                Arguments.of("an owner with a slash", "repos:\n  shop:\n    github: {owner: acme/evil, repo: shop}\ngithub:\n  token: env:GH\n",
                        "config error: repos.shop.github.owner = \"acme/evil\": a GitHub user or organisation name"),
                Arguments.of("a repo named ..", "repos:\n  shop:\n    github: {owner: acme, repo: ..}\ngithub:\n  token: env:GH\n",
                        "config error: repos.shop.github.repo = \"..\": a GitHub repository name (letters, digits, . _ -)"),
                Arguments.of("test runs handed the token's variable", "repos:\n  shop:\n    env: [GH]\n    github: {owner: acme, repo: shop}\ngithub:\n  token: env:GH\n",
                        "config error: repos.shop.env = \"GH\": holds a GitHub secret (github.token); test runs must never receive it"),
                Arguments.of("the app given twice", REPO + "github:\n  token: ghp_0123456789\n  app_id: 1\n  app: {id: 1, private_key_file: /k.pem, installation_id: 2}\n",
                        "config error: github.app = (missing): give the GitHub App once: app_id, private_key_file and installation_id, or app: {…}, not both"),
                Arguments.of("a landing GitHub has no such way for", repo("landing: rebase") + TOKEN,
                        "config error: repos.shop.github.landing = \"rebase\": must be push (Quorum fast-forwards the base to the tested "
                                + "merge) or merge_api (GitHub's merge API with the approved head)"),
                Arguments.of("a merge method GitHub has not", repo("landing: merge_api, merge_method: fast-forward") + TOKEN,
                        "config error: repos.shop.github.merge_method = \"fast-forward\": must be merge, squash or rebase"),
                Arguments.of("a merge method where Quorum lands by push", repo("merge_method: squash") + TOKEN,
                        "config error: repos.shop.github.merge_method = \"squash\": only with landing: merge_api; landing: push lands "
                                + "the tested merge commit itself (repos.shop.merge_style says whether it may be a fast-forward)"),
                Arguments.of("a path on this disk as well", "repos:\n  shop:\n    path: /tmp/shop\n    github: {owner: acme, repo: shop}\n" + TOKEN,
                        "config error: repos.shop.path = \"/tmp/shop\": not with github: a repo on GitHub is mirrored from GitHub "
                                + "(give url only to fetch it from another git address)"),
                Arguments.of("credentials without a url", "repos:\n  shop:\n    credentials: env:GIT\n    github: {owner: acme, repo: shop}\n" + TOKEN,
                        "config error: repos.shop.credentials = \"(not shown)\": only for a repo with a url"),
                Arguments.of("the demo repository on GitHub", "repos:\n  shop:\n    demo: true\n    github: {owner: acme, repo: shop}\n" + TOKEN,
                        "config error: repos.shop.demo = \"true\": the demo repository is created on this disk; not with github"),
                Arguments.of("an unknown key", REPO + "github:\n  token: env:GH\n  count_review: true\n",
                        "config error: github.count_review = \"count_review\": unknown key; did you mean 'count_reviews'?"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void refuses(String name, String yaml, String message) {
        assertThatThrownBy(() -> load(yaml, Map.of())).isInstanceOf(ConfigException.class).hasMessage(message);
    }
}
