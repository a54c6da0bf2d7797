package dev.quorum.config;

/**
 * The Slack adapter; on when both {@code bot_token} and {@code signing_secret} are set.
 *
 * @param appToken an {@code xapp-} token switches from HTTP events to Socket Mode
 * @param apiUrl   Web API base, for tests and proxies
 */
public record SlackConfig(String botToken, String signingSecret, String appToken, String apiUrl) {
    public SlackConfig {
        apiUrl = apiUrl == null || apiUrl.isBlank() ? "https://slack.com/api/" : apiUrl;
    }

    public static SlackConfig defaults() {
        return new SlackConfig(null, null, null, null);
    }

    public boolean enabled() {
        return present(botToken) && present(signingSecret);
    }

    /** With an app token Slack's events come over a Socket Mode connection instead of HTTP. */
    public boolean socketMode() {
        return present(appToken);
    }

    static boolean present(String s) {
        return s != null && !s.isBlank();
    }
}
