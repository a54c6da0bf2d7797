package dev.quorum.chat.slack;

import dev.quorum.config.ConfigException;
import dev.quorum.config.ConfigLoader;
import dev.quorum.config.QuorumConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Slack's settings as an operator gets them wrong: one line naming the key, never the secret. */
class SlackConfigTest {
    private static QuorumConfig parse(Map<String, String> env) {
        return new ConfigLoader(env::get).parse(new ByteArrayInputStream(new byte[0]), "test");
    }

    static Stream<Arguments> mistakes() {
        return Stream.of(
                Arguments.of("a bot token without the signing secret",
                        Map.of("SLACK_BOT_TOKEN", "xoxb-1"),
                        "config error: slack.signing_secret = (missing): required when slack.bot_token is set; Slack needs both"),
                Arguments.of("a signing secret without the bot token",
                        Map.of("SLACK_SIGNING_SECRET", "s3cret"),
                        "config error: slack.bot_token = (missing): required when slack.signing_secret is set; Slack needs both"),
                Arguments.of("a user token where the bot token goes",
                        Map.of("SLACK_BOT_TOKEN", "xoxp-1", "SLACK_SIGNING_SECRET", "s3cret"),
                        "config error: slack.bot_token = \"***\": must be the bot token (xoxb-...) from the app's OAuth & Permissions page"),
                Arguments.of("the bot token where the app token goes",
                        Map.of("SLACK_BOT_TOKEN", "xoxb-1", "SLACK_SIGNING_SECRET", "s3cret", "SLACK_APP_TOKEN", "xoxb-1"),
                        "config error: slack.app_token = \"***\": must be an app-level token (xapp-...) with the connections:write scope"),
                Arguments.of("an app token alone",
                        Map.of("SLACK_APP_TOKEN", "xapp-1"),
                        "config error: slack.bot_token = (missing): required when slack.app_token is set (Socket Mode)"),
                Arguments.of("a Web API base that is not a URL",
                        Map.of("SLACK_API_URL", "slack.com/api"),
                        "config error: slack.api_url = \"slack.com/api\": not an http(s) URL"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mistakes")
    void aSlackMistakeStopsStartUpWithOneLine(String mistake, Map<String, String> env, String message) {
        assertThatThrownBy(() -> parse(env)).isInstanceOf(ConfigException.class).hasMessage(message);
    }

    @Test
    void botTokenAndSigningSecretTurnSlackOnAndAnAppTokenSocketMode() {
        QuorumConfig http = parse(Map.of("SLACK_BOT_TOKEN", "xoxb-1", "SLACK_SIGNING_SECRET", "s3cret"));
        QuorumConfig socket = parse(Map.of("SLACK_BOT_TOKEN", "xoxb-1", "SLACK_SIGNING_SECRET", "s3cret", "SLACK_APP_TOKEN", "xapp-1"));

        assertThat(http.slack().enabled()).isTrue();
        assertThat(http.slack().socketMode()).isFalse();
        assertThat(socket.slack().socketMode()).isTrue();
    }
}
