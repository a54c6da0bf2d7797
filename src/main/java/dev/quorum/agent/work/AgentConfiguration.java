package dev.quorum.agent.work;

import dev.quorum.agent.AgentSettings;
import dev.quorum.agent.Budget;
import dev.quorum.agent.coding.CodingLimits;
import dev.quorum.agent.model.ModelPrice;
import dev.quorum.agent.model.ModelSettings;
import dev.quorum.agent.model.Provider;
import dev.quorum.agent.search.IndexSettings;
import dev.quorum.agent.search.KnowledgeFolder;
import dev.quorum.agent.web.FetchSettings;
import dev.quorum.config.AgentsConfig;
import dev.quorum.config.ModelConfig;
import dev.quorum.config.QuorumConfig;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Quorum's configuration as the agents need it: the runner's settings, the budget a request gets unless it asks for
 * more, and how much more it may ask for. Immutable.
 *
 * @param settings      what {@link dev.quorum.agent.AgentRunner#start} takes
 * @param defaultBudget each request's limits from {@code agents.budget}
 * @param budgetCeiling the highest {@code --budget}, in USD ({@code agents.max_budget})
 */
public record AgentConfiguration(AgentSettings settings, Budget defaultBudget, BigDecimal budgetCeiling) {

    /** The model used when {@code model.name} is not set: a small, cheap one of each provider. */
    static final Map<Provider, String> DEFAULT_MODEL_NAMES =
            Map.of(Provider.OPENAI, "gpt-4o-mini", Provider.ANTHROPIC, "claude-3-5-haiku-latest");

    /** First retry this long after a failed model call; doubles with each retry. */
    private static final Duration RETRY_BACKOFF = Duration.ofMillis(500);

    /**
     * @param folders every folder research searches: the configured ones and the repos' snapshots
     */
    public static AgentConfiguration from(QuorumConfig config, List<KnowledgeFolder> folders) {
        AgentsConfig agents = config.agents();
        IndexSettings index = IndexSettings.DEFAULTS.withHybrid(config.research().embeddings());
        FetchSettings fetch = FetchSettings.allowing(new HashSet<>(config.research().fetchAllow()));
        AgentSettings settings = new AgentSettings(model(config.model()).orElse(null), folders,
                config.inData(config.research().indexDir()).toAbsolutePath(), index, fetch,
                URI.create(config.research().arxivUrl()), CodingLimits.DEFAULTS, agents.maxConcurrentRuns());
        AgentsConfig.Budget b = agents.budget();
        Budget budget = new Budget(b.maxModelCalls(), b.maxTokens(), b.timeout(), BigDecimal.valueOf(b.maxCost()));
        return new AgentConfiguration(settings, budget, BigDecimal.valueOf(agents.maxBudget()));
    }

    /** The configured model, or empty when {@code model.provider} is not set. */
    static Optional<ModelSettings> model(ModelConfig m) {
        if (!m.configured()) {
            return Optional.empty();
        }
        Provider provider = Provider.parse(m.provider());
        Map<String, ModelPrice> prices = new LinkedHashMap<>();
        m.prices().forEach((name, p) -> prices.put(name,
                new ModelPrice(BigDecimal.valueOf(p.input()), BigDecimal.valueOf(p.output()))));
        String name = m.name() == null || m.name().isBlank() ? DEFAULT_MODEL_NAMES.get(provider) : m.name();
        return Optional.of(new ModelSettings(provider, m.baseUrl(), m.apiKey(), name, m.temperature(), m.timeout(),
                m.maxRetries(), RETRY_BACKOFF, null, prices, false));
    }

    /** What a request opened now runs with: this model and {@code budget}. */
    public RunSettings runSettings(Budget budget) {
        return new RunSettings(settings.modelSettings().map(ModelChoice::of), budget);
    }

    /**
     * Why this Quorum cannot run a request with {@code stored} settings, or empty when it can: a {@code rerun} must use
     * the same model, and the configuration may have changed since the first run (or differ on another instance).
     */
    public Optional<String> cannotRun(RunSettings stored) {
        Optional<ModelChoice> now = settings.modelSettings().map(ModelChoice::of);
        if (now.equals(stored.model())) {
            return Optional.empty();
        }
        return Optional.of("it was asked to run with " + stored.model().map(ModelChoice::describe).orElse("no model")
                + ", but this Quorum is configured with " + now.map(ModelChoice::describe).orElse("no model")
                + "; it runs only with the settings it was asked with");
    }
}
