package dev.quorum.agent.work;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quorum.agent.Budget;
import dev.quorum.agent.model.ModelPrice;
import dev.quorum.agent.model.ModelSettings;
import dev.quorum.agent.model.Provider;
import dev.quorum.config.ConfigException;
import dev.quorum.config.ConfigLoader;
import dev.quorum.config.QuorumConfig;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The agents', research's and workers' configuration: defaults, the mapping to agent settings, one-line errors. */
class AgentConfigurationTest {

    private static QuorumConfig parse(String yaml, Map<String, String> env) {
        return new ConfigLoader(env::get).parse(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "test");
    }

    @Test
    void theShippedConfigGivesTheDocumentedDefaults() throws Exception {
        QuorumConfig c = parse(Files.readString(Path.of("config/quorum.yaml")), Map.of());
        assertThat(c.agents().maxConcurrentRuns()).isEqualTo(8);
        assertThat(c.agents().maxBudget()).isEqualTo(10.0);
        assertThat(c.research().indexRepos()).isTrue();
        assertThat(c.research().arxivUrl()).isEqualTo("https://export.arxiv.org/api/query");
        assertThat(c.workers().reclaimAfter()).isEqualTo(Duration.ofSeconds(30));

        AgentConfiguration agents = AgentConfiguration.from(c, List.of());
        assertThat(agents.defaultBudget()).isEqualTo(new Budget(30, 400_000, Duration.ofMinutes(20), BigDecimal.valueOf(1.0)));
        assertThat(agents.budgetCeiling()).isEqualByComparingTo("10");
        assertThat(agents.settings().modelSettings()).isEmpty();
        assertThat(agents.settings().maxConcurrentRuns()).isEqualTo(8);
        assertThat(agents.settings().indexDirectory()).isEqualTo(Path.of("data/index").toAbsolutePath());
        assertThat(agents.settings().index().hybrid()).isFalse();
        assertThat(agents.runSettings(agents.defaultBudget()).model()).isEmpty();
    }

    @Test
    void anOpenAiKeyAloneGivesTheDefaultModelWithItsPricesRetriesAndTimeout() {
        QuorumConfig c = parse("""
                model: {temperature: 0.5, timeout: 30s, max_retries: 4, prices: {gpt-4o-mini: {input: 0.15, output: 0.6}}}
                research: {embeddings: true, fetch_allow: [docs.python.org], folders: [{name: handbook, path: /srv/handbook}]}
                """, Map.of("OPENAI_API_KEY", "sk-test"));
        ModelSettings model = AgentConfiguration.from(c, List.of()).settings().modelSettings().orElseThrow();
        assertThat(model.provider()).isEqualTo(Provider.OPENAI);
        assertThat(model.modelName()).isEqualTo("gpt-4o-mini");
        assertThat(model.temperature()).isEqualTo(0.5);
        assertThat(model.timeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(model.maxRetries()).isEqualTo(4);
        assertThat(model.priceOf("gpt-4o-mini")).isEqualTo(ModelPrice.of("0.15", "0.6"));
        AgentConfiguration agents = AgentConfiguration.from(c, List.of());
        assertThat(agents.settings().index().hybrid()).isTrue();
        assertThat(agents.settings().fetch().allows("docs.python.org")).isTrue();
        assertThat(agents.runSettings(agents.defaultBudget()).model())
                .contains(new ModelChoice("openai", "gpt-4o-mini", "", "0.5"));
    }

    @Test
    void anAnthropicKeyAloneGivesClaude() {
        QuorumConfig c = parse("", Map.of("ANTHROPIC_API_KEY", "sk-ant"));
        assertThat(AgentConfiguration.from(c, List.of()).settings().modelSettings().map(ModelSettings::modelName))
                .contains("claude-3-5-haiku-latest");
    }

    @Test
    void runSettingsSurviveTheirTripThroughTheStoredInputs() {
        RunSettings settings = new RunSettings(Optional.of(new ModelChoice("openai", "fake-gpt", "http://127.0.0.1:9/v1", "0.2")),
                new Budget(12, 3_000, Duration.ofMinutes(5), new BigDecimal("2.50")));
        assertThat(RunSettings.fromInputs(settings.toInputs())).isEqualTo(settings);
        RunSettings none = new RunSettings(Optional.empty(), settings.budget());
        assertThat(RunSettings.fromInputs(none.toInputs())).isEqualTo(none);
        assertThat(settings.describeBudget()).isEqualTo("$2.50, 12 model calls, 3000 tokens, 5m");
    }

    @Test
    void aRequestAskingForAnotherModelThanTheConfiguredOneCannotRun() {
        AgentConfiguration agents = AgentConfiguration.from(parse("", Map.of("OPENAI_API_KEY", "sk")), List.of());
        RunSettings other = new RunSettings(Optional.of(new ModelChoice("anthropic", "claude-x", "", "0.2")),
                agents.defaultBudget());
        assertThat(agents.cannotRun(agents.runSettings(agents.defaultBudget()))).isEmpty();
        assertThat(agents.cannotRun(other)).contains("it was asked to run with anthropic claude-x, temperature 0.2, "
                + "but this Quorum is configured with openai gpt-4o-mini, temperature 0.2; it runs only with the "
                + "settings it was asked with");
    }

    static Stream<Arguments> badConfigs() {
        return Stream.of(
                Arguments.of("a provider without a key", "model: {provider: openai}\n",
                        "config error: model.api_key = (missing): required when model.provider is set: set OPENAI_API_KEY (any value for a local server)"),
                Arguments.of("no concurrent runs", "agents: {max_concurrent_runs: 0}\n",
                        "config error: agents.max_concurrent_runs = \"0\": must be between 1 and 1000"),
                Arguments.of("a free budget", "agents: {budget: {max_cost: 0}}\n",
                        "config error: agents.budget.max_cost = \"0.0\": must be more than 0 USD"),
                Arguments.of("a ceiling under the default budget", "agents: {max_budget: 0.5}\n",
                        "config error: agents.max_budget = \"0.5\": must be at least agents.budget.max_cost (1.0)"),
                Arguments.of("a zero timeout", "agents: {budget: {timeout: 0s}}\n",
                        "config error: agents.budget.timeout = \"0s\": must be longer than zero"),
                Arguments.of("a folder name with a slash", "research: {folders: [{name: a/b, path: /x}]}\n",
                        "config error: research.folders[0].name = \"a/b\": one path segment of letters, digits, . _ -"),
                Arguments.of("a folder named like a repo", "repos: {app: {path: /r}}\nresearch: {folders: [{name: app, path: /x}]}\n",
                        "config error: research.folders[0].name = \"app\": already names a repo or another folder"),
                Arguments.of("a folder without a path", "research: {folders: [{name: docs}]}\n",
                        "config error: research.folders[0].path = (missing): required"),
                Arguments.of("a URL where a host belongs", "research: {fetch_allow: [\"https://docs.python.org/3/\"]}\n",
                        "config error: research.fetch_allow[0] = \"https://docs.python.org/3/\": a host name such as docs.python.org, without scheme or path"),
                Arguments.of("an arXiv URL that is not one", "research: {arxiv_url: arxiv}\n",
                        "config error: research.arxiv_url = \"arxiv\": not an http(s) URL"),
                Arguments.of("reclaiming before two heartbeats", "workers: {heartbeat: 5s, reclaim_after: 8s}\n",
                        "config error: workers.reclaim_after = \"8s\": must be at least twice workers.heartbeat (5s)"),
                Arguments.of("no attempt at all", "workers: {max_attempts: 0}\n",
                        "config error: workers.max_attempts = \"0\": must be between 1 and 100"),
                Arguments.of("a misspelt agents key", "agents: {max_concurent_runs: 3}\n",
                        "config error: agents.max_concurent_runs = \"max_concurent_runs\": unknown key; did you mean 'max_concurrent_runs'?"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badConfigs")
    void aBadAgentConfigIsOneLineNamingKeyValueAndProblem(String name, String yaml, String message) {
        assertThatThrownBy(() -> parse(yaml, Map.of())).isInstanceOf(ConfigException.class).hasMessage(message);
    }
}
