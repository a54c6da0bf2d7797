package dev.quorum.insights;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The documented rule for "the agent said the tests pass" (README, Insights): plain claims only. */
class RunClaimsTest {
    @ParameterizedTest
    @ValueSource(strings = {
            "All tests pass.",
            "Implemented the parser. All tests pass.",
            "The tests are passing now.",
            "I added a test for the empty list; the test suite passed",
            "Fixed the off-by-one.\nTests green.",
            "All 42 tests pass.",
            "Build succeeded and everything is ALL GREEN!",
    })
    void aPlainClaimIsAClaim(String message) {
        assertThat(RunClaims.saysTestsPass(message)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "Done: see the diff.",
            "The tests are not passing yet.",
            "The tests don't pass on CI.",
            "The tests should pass now.",
            "All tests pass except the flaky one.",
            "Tests pass if you set FOO.",
            "I could not make the tests pass.",
            "Two tests fail; the others pass.",
            "The tests might be green now.",
            "Hopefully the tests pass.",
            "I ran the tests.",
            "Tests passed before my change, but now one is red.",
    })
    void aDoubtfulOrNegatedSentenceIsNoClaim(String message) {
        assertThat(RunClaims.saysTestsPass(message)).isFalse();
    }
}
