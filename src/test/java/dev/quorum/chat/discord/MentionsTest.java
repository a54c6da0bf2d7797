package dev.quorum.chat.discord;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which messages are addressed to Quorum, by the mention markup Discord sends. */
class MentionsTest {
    private static final String SELF = "1000000000000000001";

    @Test
    void quorumsMentionAtTheStartIsStrippedInBothForms() {
        assertThat(Mentions.afterSelf("<@" + SELF + "> merge feature/x", SELF)).contains("merge feature/x");
        assertThat(Mentions.afterSelf("  <@!" + SELF + ">   help ", SELF)).contains("help");
        assertThat(Mentions.afterSelf("<@" + SELF + ">", SELF)).contains("");
    }

    @Test
    void someoneElsesMentionOrQuorumsLaterInTheTextIsNotAddressedToQuorum() {
        assertThat(Mentions.afterSelf("<@2000000000000000002> merge feature/x", SELF)).isEmpty();
        assertThat(Mentions.afterSelf("hey <@" + SELF + "> help", SELF)).isEmpty();
        assertThat(Mentions.afterSelf("@Quorum help", SELF)).isEmpty();
        assertThat(Mentions.afterSelf("<@&" + SELF + "> help", SELF)).isEmpty();
        assertThat(Mentions.afterSelf("<@" + SELF + "0> help", SELF)).isEmpty();
    }
}
