package dev.quorum.command;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class DidYouMeanTest {
    private static final List<String> REFS = List.of("main", "feature/greeting", "release", "v1.0");

    @Test
    void aNearMissIsSuggestedAndAFarGuessIsNot() {
        assertThat(DidYouMean.among("mian", REFS)).contains("main");
        assertThat(DidYouMean.among("feature/greting", REFS)).contains("feature/greeting");
        assertThat(DidYouMean.among("feat", REFS)).contains("feature/greeting");
        assertThat(DidYouMean.among("v1.1", REFS)).contains("v1.0");
        assertThat(DidYouMean.among("nosuchrepo", REFS)).isEmpty();
        assertThat(DidYouMean.among("mn", REFS)).isEmpty();
        assertThat(DidYouMean.among("main", REFS)).as("the word itself is no suggestion").isEmpty();
        assertThat(DidYouMean.among("", REFS)).isEmpty();
        assertThat(DidYouMean.among("m".repeat(4000), REFS)).isEmpty();
    }

    @Test
    void theHintIsASentenceOrNothing() {
        assertThat(DidYouMean.hint("stagin", Set.of("staging", "production"))).isEqualTo(" Did you mean `staging`?");
        assertThat(DidYouMean.hint("qa", Set.of("staging", "production"))).isEmpty();
    }

    @Test
    void aRequestIdOneSlipAwayFromAnExistingOneIsSuggested() {
        Set<String> existing = Set.of("R9", "R12", "R21");
        assertThat(DidYouMean.requestIds("R99", existing::contains)).containsExactly("R9");
        assertThat(DidYouMean.requestIds("R21", Set.of("R12")::contains)).containsExactly("R12");
        assertThat(DidYouMean.requestIds("R112", existing::contains)).containsExactly("R12");
        assertThat(DidYouMean.requestIds("R40", existing::contains)).as("R4 and R0 do not exist").isEmpty();
        assertThat(DidYouMean.requestIds("R10", Set.of("R1", "R0")::contains)).containsExactly("R1");
        assertThat(DidYouMean.requestIds("R" + "1".repeat(18), s -> true)).as("no lookups for absurd ids").isEmpty();
    }

    @Test
    void timesReadOneWayEverywhere() {
        assertThat(Times.span(Duration.ofSeconds(45))).isEqualTo("45 s");
        assertThat(Times.span(Duration.ofSeconds(90))).isEqualTo("1 m 30 s");
        assertThat(Times.span(Duration.ofMinutes(10))).isEqualTo("10 m");
        assertThat(Times.span(Duration.ofHours(1))).isEqualTo("1 h");
        assertThat(Times.span(Duration.ofHours(24).minusMinutes(1))).isEqualTo("23 h 59 m");
        assertThat(Times.span(Duration.ofDays(7))).isEqualTo("7 d");
        assertThat(Times.span(Duration.ofSeconds(-5))).isEqualTo("0 s");
        Instant now = Instant.parse("2025-06-01T12:00:00Z");
        assertThat(Times.ago(now.minusSeconds(12), now)).isEqualTo("12 s ago");
        assertThat(Times.ago(now.minusSeconds(200), now)).isEqualTo("3 m ago");
        assertThat(Times.ago(now.minus(Duration.ofHours(30)), now)).isEqualTo("30 h ago");
        assertThat(Times.ago(now.minus(Duration.ofDays(3)), now)).isEqualTo("3 d ago");
        assertThat(Times.until(now.plus(Duration.ofHours(24)).minusSeconds(61), now)).isEqualTo("23 h 58 m");
    }
}
