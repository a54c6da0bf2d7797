package dev.quorum.config;

import java.util.List;

/**
 * The Discord adapter; on when {@code bot_token} is set (SPEC §1).
 *
 * @param botToken the bot's token from the developer portal (Bot → Token), without {@code Bot }
 * @param apiUrl   REST base with the API version; the gateway address comes from its {@code gateway/bot},
 *                 so tests and proxies can point everything elsewhere
 * @param guilds   guild (server) ids where {@code /quorum} is registered at once; empty registers it
 *                 globally (Discord takes up to an hour to show a global command everywhere)
 */
public record DiscordConfig(String botToken, String apiUrl, List<String> guilds) {
    public static final String DEFAULT_API_URL = "https://discord.com/api/v10/";

    public DiscordConfig {
        apiUrl = apiUrl == null || apiUrl.isBlank() ? DEFAULT_API_URL : apiUrl.endsWith("/") ? apiUrl : apiUrl + "/";
        guilds = guilds == null ? List.of() : List.copyOf(guilds);
    }

    public static DiscordConfig defaults() {
        return new DiscordConfig(null, null, null);
    }

    public boolean enabled() {
        return botToken != null && !botToken.isBlank();
    }
}
