package dev.quorum.agent.work;

import dev.quorum.agent.model.ModelSettings;
import java.util.Objects;

/**
 * Which model a request runs with, as {@code rerun} must repeat it: everything but the secret key.
 *
 * @param provider    {@code openai} or {@code anthropic}
 * @param name        the model name
 * @param baseUrl     the API base, or empty for the provider's own
 * @param temperature sampling temperature, or empty for the provider's default
 */
public record ModelChoice(String provider, String name, String baseUrl, String temperature) {

    public ModelChoice {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(name, "name");
        baseUrl = baseUrl == null ? "" : baseUrl;
        temperature = temperature == null ? "" : temperature;
    }

    public static ModelChoice of(ModelSettings settings) {
        return new ModelChoice(settings.provider().name().toLowerCase(java.util.Locale.ROOT), settings.modelName(),
                settings.baseUrl(), settings.temperature() == null ? null : settings.temperature().toString());
    }

    /** "openai fake-gpt at http://127.0.0.1:4000/v1, temperature 0.2", for replies and {@code status}. */
    public String describe() {
        return provider + " " + name + (baseUrl.isEmpty() ? "" : " at " + baseUrl)
                + (temperature.isEmpty() ? "" : ", temperature " + temperature);
    }
}
