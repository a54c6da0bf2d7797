package dev.quorum.agent.model;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How to reach one chat model, and what its tokens cost.
 *
 * @param provider        wire protocol
 * @param baseUrl         API base, e.g. {@code https://api.openai.com/v1} or {@code http://localhost:11434/v1} for
 *                        Ollama; {@code null} means the provider's public endpoint
 * @param apiKey          secret; never printed by {@link #toString()}. Local servers accept any non-blank value
 * @param modelName       the model to ask for, e.g. {@code gpt-4o-mini}
 * @param temperature     sampling temperature, {@code null} for the provider default
 * @param timeout         per-HTTP-call timeout
 * @param maxRetries      retries after the first attempt on 429, 5xx, timeouts and unreadable replies
 * @param retryBackoff    wait before the first retry; doubles each retry (with jitter)
 * @param maxOutputTokens cap on one reply's length; Anthropic requires one, {@code null} means 4096 there
 * @param prices          price per model name; a model missing here is counted as free
 * @param logRequests     log HTTP requests and responses (debugging only: they contain the prompt)
 */
public record ModelSettings(
        Provider provider,
        String baseUrl,
        String apiKey,
        String modelName,
        Double temperature,
        Duration timeout,
        int maxRetries,
        Duration retryBackoff,
        Integer maxOutputTokens,
        Map<String, ModelPrice> prices,
        boolean logRequests) {

    public ModelSettings {
        Objects.requireNonNull(provider, "provider");
        if (apiKey == null || apiKey.isBlank()) {
            throw new IllegalArgumentException("model.api_key is empty: set it, or the provider's *_API_KEY variable");
        }
        if (modelName == null || modelName.isBlank()) {
            throw new IllegalArgumentException("model.name is empty: name the model to use, e.g. gpt-4o-mini");
        }
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("model.timeout is " + timeout + ": it must be positive");
        }
        if (maxRetries < 0) {
            throw new IllegalArgumentException("model.max_retries is " + maxRetries + ": it must be 0 or more");
        }
        retryBackoff = retryBackoff == null ? Duration.ofMillis(500) : retryBackoff;
        prices = prices == null ? Map.of() : Map.copyOf(prices);
    }

    /** Settings with the usual defaults: 60 s timeout, 2 retries from 500 ms, no prices. */
    public static ModelSettings of(Provider provider, String baseUrl, String apiKey, String modelName) {
        return new ModelSettings(provider, baseUrl, apiKey, modelName, null, Duration.ofSeconds(60), 2,
                Duration.ofMillis(500), null, Map.of(), false);
    }

    public ModelSettings withPrices(Map<String, ModelPrice> newPrices) {
        return new ModelSettings(provider, baseUrl, apiKey, modelName, temperature, timeout, maxRetries,
                retryBackoff, maxOutputTokens, newPrices, logRequests);
    }

    public ModelSettings withRetries(int newMaxRetries, Duration newBackoff) {
        return new ModelSettings(provider, baseUrl, apiKey, modelName, temperature, timeout, newMaxRetries,
                newBackoff, maxOutputTokens, prices, logRequests);
    }

    /** The price of {@code model} (as the provider named it in its reply), else of the configured model, else free. */
    public ModelPrice priceOf(String model) {
        return Optional.ofNullable(model).map(prices::get)
                .orElseGet(() -> prices.getOrDefault(modelName, ModelPrice.FREE));
    }

    /** Everything but the API key, so settings can be logged. */
    @Override
    public String toString() {
        return "ModelSettings[provider=" + provider + ", baseUrl=" + baseUrl + ", apiKey=***, modelName=" + modelName
                + ", temperature=" + temperature + ", timeout=" + timeout + ", maxRetries=" + maxRetries
                + ", retryBackoff=" + retryBackoff + ", maxOutputTokens=" + maxOutputTokens
                + ", prices=" + prices + ", logRequests=" + logRequests + "]";
    }
}
