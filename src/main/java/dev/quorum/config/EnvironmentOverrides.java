package dev.quorum.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Applies the environment variables of SPEC §1 on top of the YAML tree, before binding, so that
 * an override is validated exactly like the YAML value it replaces.
 */
final class EnvironmentOverrides {
    /** Variable name to dotted key. */
    private static final Map<String, String> SIMPLE = new LinkedHashMap<>();

    static {
        SIMPLE.put("QUORUM_HTTP_PORT", "http.port");
        SIMPLE.put("QUORUM_HTTP_HOST", "http.host");
        SIMPLE.put("QUORUM_PUBLIC_URL", "http.public_url");
        SIMPLE.put("QUORUM_DEMO_ON_ALL_ADDRESSES", "console.demo_on_all_addresses");
        SIMPLE.put("QUORUM_DATA", "data");
        SIMPLE.put("REDIS_URL", "redis.url");
        SIMPLE.put("SLACK_BOT_TOKEN", "slack.bot_token");
        SIMPLE.put("SLACK_SIGNING_SECRET", "slack.signing_secret");
        SIMPLE.put("SLACK_APP_TOKEN", "slack.app_token");
        SIMPLE.put("SLACK_API_URL", "slack.api_url");
        SIMPLE.put("DISCORD_BOT_TOKEN", "discord.bot_token");
        SIMPLE.put("DISCORD_API_URL", "discord.api_url");
        SIMPLE.put("QUORUM_MODEL", "model.name");
        SIMPLE.put("GITHUB_API_URL", "github.api_url");
    }

    private final Function<String, String> env;
    /** Dotted key to the variable that set it, so errors can name the variable. */
    private final Map<String, String> origins = new LinkedHashMap<>();

    EnvironmentOverrides(Function<String, String> env) {
        this.env = env;
    }

    Map<String, String> origins() {
        return origins;
    }

    void apply(ObjectNode root) {
        SIMPLE.forEach((variable, key) -> {
            String value = env.apply(variable);
            if (value != null && !value.isEmpty()) {
                set(root, key, value, variable);
            }
        });
        applyProvider(root, "openai", "OPENAI_API_KEY", "OPENAI_BASE_URL");
        applyProvider(root, "anthropic", "ANTHROPIC_API_KEY", "ANTHROPIC_BASE_URL");
        applyGitHubToken(root);
    }

    /**
     * {@code GITHUB_TOKEN} becomes the reference {@code env:GITHUB_TOKEN}, never the value, and only
     * where the YAML chose no way to authenticate (an App wins over a token in the environment).
     */
    private void applyGitHubToken(ObjectNode root) {
        if (isEmpty(env.apply("GITHUB_TOKEN"))) return;
        JsonNode github = root.path("github");
        if (github.hasNonNull("token") || github.hasNonNull("app")) return;
        set(root, "github.token", "env:GITHUB_TOKEN", "GITHUB_TOKEN");
    }

    /**
     * A provider's key turns that provider on unless the YAML chose the other one; its base URL
     * applies only to that provider.
     */
    private void applyProvider(ObjectNode root, String provider, String keyVar, String urlVar) {
        String key = env.apply(keyVar);
        String url = env.apply(urlVar);
        if (isEmpty(key) && isEmpty(url)) {
            return;
        }
        JsonNode chosen = root.path("model").path("provider");
        boolean free = chosen.isMissingNode() || chosen.isNull() || chosen.asText().isBlank();
        if (free && !isEmpty(key)) {
            set(root, "model.provider", provider, keyVar);
        } else if (!provider.equals(root.path("model").path("provider").asText())) {
            return;
        }
        if (!isEmpty(key)) set(root, "model.api_key", key, keyVar);
        if (!isEmpty(url)) set(root, "model.base_url", url, urlVar);
    }

    private void set(ObjectNode root, String dottedKey, String value, String variable) {
        String[] parts = dottedKey.split("\\.");
        ObjectNode node = root;
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode child = node.get(parts[i]);
            node = child instanceof ObjectNode o ? o : node.putObject(parts[i]);
        }
        node.put(parts[parts.length - 1], value);
        origins.put(dottedKey, variable);
    }

    private static boolean isEmpty(String s) {
        return s == null || s.isEmpty();
    }
}
