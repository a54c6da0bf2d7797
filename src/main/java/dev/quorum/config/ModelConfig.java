package dev.quorum.config;

import java.time.Duration;
import java.util.Map;

/**
 * The model behind the agents. Without a provider, research answers from retrieval alone and
 * coding is refused.
 *
 * @param provider    {@code openai} (any OpenAI-compatible server) or {@code anthropic}
 * @param name        model name, e.g. {@code gpt-4o-mini}
 * @param baseUrl     API base URL; the provider's own when absent
 * @param apiKey      secret; normally from {@code OPENAI_API_KEY} / {@code ANTHROPIC_API_KEY}
 * @param temperature sampling temperature
 * @param timeout     one model call's timeout
 * @param maxRetries  retries of a call that failed with 429 or 5xx
 * @param prices      model name to USD per million tokens, for cost budgets and the dashboard
 */
public record ModelConfig(String provider, String name, String baseUrl, String apiKey, Double temperature,
                          Duration timeout, Integer maxRetries, Map<String, Price> prices) {
    public ModelConfig {
        provider = provider == null || provider.isBlank() ? null : provider;
        temperature = temperature == null ? 0.2 : temperature;
        timeout = timeout == null ? Duration.ofSeconds(120) : timeout;
        maxRetries = maxRetries == null ? 3 : maxRetries;
        prices = prices == null ? Map.of() : Map.copyOf(prices);
    }

    public static ModelConfig defaults() {
        return new ModelConfig(null, null, null, null, null, null, null, null);
    }

    public boolean configured() {
        return provider != null;
    }

    /** USD per million input and output tokens. */
    public record Price(Double input, Double output) {
        public Price {
            input = input == null ? 0.0 : input;
            output = output == null ? 0.0 : output;
        }
    }
}
