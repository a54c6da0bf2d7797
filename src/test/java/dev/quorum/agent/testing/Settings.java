package dev.quorum.agent.testing;

import dev.quorum.agent.AgentSettings;
import dev.quorum.agent.Budget;
import dev.quorum.agent.coding.CodingLimits;
import dev.quorum.agent.model.ModelSettings;
import dev.quorum.agent.model.Provider;
import dev.quorum.agent.search.IndexSettings;
import dev.quorum.agent.search.KnowledgeFolder;
import dev.quorum.agent.web.FetchSettings;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/** Settings for tests: fast retries, in-memory index rescanned before every search. */
public final class Settings {

    private Settings() {
    }

    public static ModelSettings openAi(FakeOpenAiServer server) {
        return ModelSettings.of(Provider.OPENAI, server.baseUrl(), "test-key", FakeOpenAiServer.MODEL)
                .withRetries(2, Duration.ofMillis(10));
    }

    public static ModelSettings anthropic(FakeAnthropicServer server) {
        return ModelSettings.of(Provider.ANTHROPIC, server.baseUrl(), "test-key", FakeAnthropicServer.MODEL)
                .withRetries(2, Duration.ofMillis(10));
    }

    public static AgentSettings agents(ModelSettings model, List<KnowledgeFolder> folders) {
        return agents(model, folders, Set.of(), URI.create("http://127.0.0.1:9/api/query"));
    }

    public static AgentSettings agents(ModelSettings model, List<KnowledgeFolder> folders, Set<String> fetchHosts,
                                       URI arxivApi) {
        return new AgentSettings(model, folders, null, IndexSettings.DEFAULTS.withRescanInterval(Duration.ZERO),
                new FetchSettings(fetchHosts, 64 * 1024, Duration.ofSeconds(5), 3), arxivApi, CodingLimits.DEFAULTS,
                8);
    }

    /** Generous limits: only the model's script ends the run. */
    public static Budget generousBudget() {
        return new Budget(20, 1_000_000, Duration.ofMinutes(2), new BigDecimal("100"));
    }
}
