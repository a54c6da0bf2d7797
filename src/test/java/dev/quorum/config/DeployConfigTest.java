package dev.quorum.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The environments' {@code refs}, {@code env} and {@code secrets}, and what a repo's test {@code env} may not name. */
class DeployConfigTest {
    private static final String REPO = "repos: {app: {path: app, env: [HOME, JAVA_HOME]}}\n";

    @Test
    void anEnvironmentNamesAllowedRefsItsOwnVariablesAndSecretFiles() {
        QuorumConfig c = ConfigLoaderTest.parse(REPO + """
                environments:
                  staging: {command: sh deploy.sh, refs: [refs/tags/v*, refs/heads/release/*], env: [AWS_REGION],
                            secrets: {DEPLOY_TOKEN: /run/secrets/staging-token}}
                """, Map.of());
        EnvironmentConfig staging = c.environments().get("staging");
        assertThat(staging.refs()).containsExactly("refs/tags/v*", "refs/heads/release/*");
        assertThat(staging.env()).containsExactly("AWS_REGION");
        assertThat(staging.secrets()).containsExactlyEntriesOf(Map.of("DEPLOY_TOKEN", "/run/secrets/staging-token"));
    }

    @Test
    void byDefaultAnEnvironmentAllowsNoOtherRefsAndGetsNoVariables() throws Exception {
        EnvironmentConfig production = ConfigLoaderTest.parse(ConfigLoaderTest.shipped(), Map.of()).environments().get("production");
        assertThat(production.refs()).isEmpty();
        assertThat(production.env()).isEmpty();
        assertThat(production.secrets()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mistakes")
    void mistakesStopQuorumWithOneLine(String what, String yaml, String expected) {
        assertThatThrownBy(() -> ConfigLoaderTest.parse(yaml, Map.of())).isInstanceOf(ConfigException.class).hasMessage(expected);
    }

    static Stream<Arguments> mistakes() {
        return Stream.of(
                Arguments.of("a repo's test env naming a deploy secret",
                        "repos: {app: {path: app, env: [HOME, DEPLOY_TOKEN]}}\n"
                                + "environments: {staging: {command: x, secrets: {DEPLOY_TOKEN: /run/secrets/t}}}\n",
                        "config error: repos.app.env = \"DEPLOY_TOKEN\": is a variable of environment staging's deploy "
                                + "(environments.staging.secrets); test runs must never receive it"),
                Arguments.of("another repo's test env naming a deploy variable",
                        "repos: {app: {path: app}, web: {path: web, env: [AWS_SECRET_ACCESS_KEY]}}\ndefault_repo: app\n"
                                + "environments: {staging: {repo: app, command: x, env: [AWS_SECRET_ACCESS_KEY]}}\n",
                        "config error: repos.web.env = \"AWS_SECRET_ACCESS_KEY\": is a variable of environment staging's deploy "
                                + "(environments.staging.env); test runs must never receive it"),
                Arguments.of("a ref pattern that is not a full ref name",
                        REPO + "environments: {staging: {command: x, refs: [v*]}}\n",
                        "config error: environments.staging.refs[0] = \"v*\": a glob over full ref names, such as refs/tags/v* or refs/heads/release/*"),
                Arguments.of("a ref pattern that is no glob",
                        REPO + "environments: {staging: {command: x, refs: [\"refs/tags/{v\"]}}\n",
                        "config error: environments.staging.refs[0] = \"refs/tags/{v\": not a glob: Missing '} at character 12"),
                Arguments.of("a secret in a relative file",
                        REPO + "environments: {staging: {command: x, secrets: {DEPLOY_TOKEN: token.txt}}}\n",
                        "config error: environments.staging.secrets.DEPLOY_TOKEN = \"token.txt\": the absolute path of the file holding the value, such as /run/secrets/deploy_token"),
                Arguments.of("a variable name a shell cannot hold",
                        REPO + "environments: {staging: {command: x, env: [DEPLOY-TOKEN]}}\n",
                        "config error: environments.staging.env[0] = \"DEPLOY-TOKEN\": not an environment variable name (letters, digits, _; not starting with a digit)"),
                Arguments.of("a variable Quorum sets itself",
                        REPO + "environments: {staging: {command: x, secrets: {QUORUM_SHA: /run/secrets/sha}}}\n",
                        "config error: environments.staging.secrets.QUORUM_SHA = \"QUORUM_SHA\": QUORUM_ variables are set by Quorum itself"),
                Arguments.of("one name both passed and secret",
                        REPO + "environments: {staging: {command: x, env: [TOKEN], secrets: {TOKEN: /run/secrets/t}}}\n",
                        "config error: environments.staging.secrets.TOKEN = \"TOKEN\": is also in environments.staging.env"),
                Arguments.of("secrets on a webhook environment",
                        REPO + "environments: {prod: {webhook: {url: 'http://h/', secret: 0123456789abcdef}, secrets: {T: /run/secrets/t}}}\n",
                        "config error: environments.prod.secrets = (missing): only for a deploy command; a webhook deploy is authenticated by webhook.secret"));
    }
}
