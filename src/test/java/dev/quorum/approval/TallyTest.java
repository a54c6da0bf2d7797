package dev.quorum.approval;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The tally in plain words: what was given and what is still needed, never "3 of 2". */
class TallyTest {
    private static final AppliedPolicy TWO = new AppliedPolicy("merge", 2, List.of("engineers"), Map.of(), true, Duration.ofHours(1), List.of());
    private static final AppliedPolicy PRODUCTION = new AppliedPolicy("deploy.production", 2, List.of("engineers", "oncall"),
            Map.of("oncall", 1), false, Duration.ofHours(2), List.of());

    private static List<Vote> votes(String... who) {
        List<Vote> out = new ArrayList<>();
        for (String w : who) {
            boolean reject = w.startsWith("-");
            String name = reject ? w.substring(1) : w;
            out.add(new Vote("console:" + name, name, reject ? "reject" : "approve", Instant.EPOCH,
                    name.equals("dave") ? List.of("engineers", "oncall") : List.of("engineers"), reject ? "not yet" : null, "d"));
        }
        return out;
    }

    @Test
    void aPlainCountSaysHowManyMore() {
        assertThat(Tally.of(TWO, votes()).line()).isEqualTo("no approvals yet; still needs 2 approvals");
        assertThat(Tally.of(TWO, votes("bob")).line()).isEqualTo("1 approval (bob); still needs 1 more approval");
        assertThat(Tally.of(TWO, votes("bob", "carol")).line()).isEqualTo("2 approvals (bob, carol)");
        assertThat(Tally.of(TWO, votes("bob", "-carol")).line()).isEqualTo("1 approval (bob); still needs 1 more approval; rejected by carol (not yet)");
    }

    @Test
    void aGroupMinimumIsSaidOnceAndNeverAsMoreOfFewer() {
        assertThat(Tally.of(PRODUCTION, votes()).line()).isEqualTo("no approvals yet; still needs 2 approvals, at least 1 from oncall");
        assertThat(Tally.of(PRODUCTION, votes("bob")).line()).isEqualTo("1 approval (bob); still needs 1 from oncall");
        assertThat(Tally.of(PRODUCTION, votes("bob", "carol")).line()).isEqualTo("2 approvals (bob, carol); still needs 1 from oncall");
        assertThat(Tally.of(PRODUCTION, votes("bob", "carol", "dave")).line()).isEqualTo("3 approvals (bob, carol, dave)");
        assertThat(Tally.of(PRODUCTION, votes("dave")).line()).isEqualTo("1 approval (dave); still needs 1 more approval");
        assertThat(Tally.of(PRODUCTION, votes("bob", "carol")).missing()).containsExactly("1 from oncall");
    }
}
