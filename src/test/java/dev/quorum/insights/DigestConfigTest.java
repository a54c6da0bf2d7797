package dev.quorum.insights;

import dev.quorum.config.ConfigException;
import dev.quorum.config.ConfigLoader;
import dev.quorum.config.DigestConfig;
import dev.quorum.config.QuorumConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.LocalTime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code digest}: read with its defaults, and refused with one line naming key, value and problem. */
class DigestConfigTest {
    private static final String SLACK = "slack: {bot_token: xoxb-digest-test, signing_secret: digest-signing-secret}\n";

    private static QuorumConfig parse(String yaml) {
        return new ConfigLoader(k -> null).parse(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "test");
    }

    @Test
    void noDigestSectionMeansNoSchedule() {
        DigestConfig d = parse("console: {demo: true}\n").digest();
        assertThat(d.when()).isEmpty();
        assertThat(d.period()).isEqualTo("week");
        assertThat(d.zone()).isEqualTo("UTC");
    }

    @Test
    void aScheduleIsADayAndATime() {
        DigestConfig d = parse(SLACK + "digest: {schedule: \"Mon 09:00\", channel: \"slack:C123\", period: month, zone: Europe/Berlin}\n").digest();
        assertThat(d.when()).contains(new DigestConfig.When(DayOfWeek.MONDAY, LocalTime.of(9, 0)));
        assertThat(parse("digest: {schedule: \"daily 23:59\", channel: \"console:general\"}\n").digest().when())
                .contains(new DigestConfig.When(null, LocalTime.of(23, 59)));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{schedule: \"mon 9am\", channel: \"slack:C1\"}|config error: digest.schedule = \"mon 9am\": must be a weekday (mon..sun) or daily, then a time: \"mon 09:00\"",
            "{schedule: \"monday 09:00\", channel: \"slack:C1\"}|config error: digest.schedule = \"monday 09:00\": must be a weekday (mon..sun) or daily, then a time: \"mon 09:00\"",
            "{schedule: \"mon 24:00\", channel: \"slack:C1\"}|config error: digest.schedule = \"mon 24:00\": must be a weekday (mon..sun) or daily, then a time: \"mon 09:00\"",
            "{schedule: \"mon 09:00\"}|config error: digest.channel = (missing): required with digest.schedule (such as slack:C123)",
            "{channel: \"slack:C1\"}|config error: digest.schedule = (missing): required with digest.channel (such as \"mon 09:00\")",
            "{schedule: \"mon 09:00\", channel: \"irc:#ops\"}|config error: digest.channel = \"irc:#ops\": must be platform:channel with a platform of [console, discord, github, slack]",
            "{schedule: \"mon 09:00\", channel: \"C123\"}|config error: digest.channel = \"C123\": must be platform:channel with a platform of [console, discord, github, slack]",
            "{schedule: \"mon 09:00\", channel: \"slack:C1 C2\"}|config error: digest.channel = \"slack:C1 C2\": must be platform:channel with a platform of [console, discord, github, slack]",
            "{schedule: \"mon 09:00\", channel: \"slack:C1\", period: year}|config error: digest.period = \"year\": must be week or month",
            "{schedule: \"mon 09:00\", channel: \"slack:C1\", zone: Mars/Olympus}|config error: digest.zone = \"Mars/Olympus\": not a time zone; use UTC or a region such as Europe/Berlin"})
    void aBadDigestIsAConfigErrorNamingTheKey(String digest, String message) {
        assertThatThrownBy(() -> parse(SLACK + "digest: " + digest + "\n")).isInstanceOf(ConfigException.class).hasMessage(message);
    }

    @Test
    void aChannelOnAPlatformQuorumIsNotOnIsAConfigError() {
        assertThatThrownBy(() -> parse("digest: {schedule: \"mon 09:00\", channel: \"slack:C1\"}\n")).isInstanceOf(ConfigException.class)
                .hasMessage("config error: digest.channel = \"slack:C1\": Quorum is not on slack (see the slack section)");
        assertThatThrownBy(() -> parse("digest: {schedule: \"mon 09:00\", channel: \"discord:42\"}\n")).isInstanceOf(ConfigException.class)
                .hasMessage("config error: digest.channel = \"discord:42\": Quorum is not on discord (see the discord section)");
    }
}
