package dev.quorum.chat.discord;

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

/** Discord's settings as an operator gets them wrong: one line naming the key, never the token. */
class DiscordConfigTest {
    private static QuorumConfig parse(String yaml, Map<String, String> env) {
        return new ConfigLoader(env::get).parse(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "test");
    }

    static Stream<Arguments> mistakes() {
        return Stream.of(
                Arguments.of("the token pasted with the word Bot", "", Map.of("DISCORD_BOT_TOKEN", "Bot MTAx.abc.def"),
                        "config error: discord.bot_token = \"***\": the token alone, without the word Bot in front"),
                Arguments.of("a token with a line break in it", "", Map.of("DISCORD_BOT_TOKEN", "MTAx.abc\n.def"),
                        "config error: discord.bot_token = \"***\": must be the bot's token (Bot → Reset Token in the developer portal): letters, digits, . _ -"),
                Arguments.of("a REST base that is not a URL", "", Map.of("DISCORD_API_URL", "discord.com/api/v10"),
                        "config error: discord.api_url = \"discord.com/api/v10/\": not an http(s) URL"),
                Arguments.of("a guild by name", "discord:\n  guilds: [\"My Server\"]\n", Map.of(),
                        "config error: discord.guilds[0] = \"My Server\": must be a guild (server) id: digits only (Copy Server ID)"),
                Arguments.of("a misspelt key", "discord:\n  guild: [\"1\"]\n", Map.of(),
                        "config error: discord.guild = \"guild\": unknown key; did you mean 'guilds'?"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mistakes")
    void aDiscordMistakeStopsStartUpWithOneLine(String mistake, String yaml, Map<String, String> env, String message) {
        assertThatThrownBy(() -> parse(yaml, env)).isInstanceOf(ConfigException.class).hasMessage(message);
    }

    @Test
    void theTokenAloneTurnsDiscordOnAgainstDiscordsOwnApi() {
        QuorumConfig off = parse("", Map.of());
        QuorumConfig on = parse("discord:\n  guilds: [\"80351110224678912\"]\n", Map.of("DISCORD_BOT_TOKEN", "MTAx.abc-_.def"));

        assertThat(off.discord().enabled()).isFalse();
        assertThat(on.discord().enabled()).isTrue();
        assertThat(on.discord().apiUrl()).isEqualTo("https://discord.com/api/v10/");
        assertThat(on.discord().guilds()).containsExactly("80351110224678912");
    }

    @Test
    void theRestBaseFromTheEnvironmentGetsItsTrailingSlash() {
        QuorumConfig c = parse("", Map.of("DISCORD_BOT_TOKEN", "t", "DISCORD_API_URL", "http://127.0.0.1:9/api/v10"));
        assertThat(c.discord().apiUrl()).isEqualTo("http://127.0.0.1:9/api/v10/");
    }
}
