package dev.quorum.chat.discord;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Plain text stays plain in Discord: formatting and mention markup escaped outside code. */
class DiscordMarkdownTest {
    @Test
    void formattingAndMarkupAreEscapedOutsideCode() {
        assertThat(DiscordMarkdown.escape("a *b* _c_ ~~d~~ ||e|| \\ <@123>"))
                .isEqualTo("a \\*b\\* \\_c\\_ \\~\\~d\\~\\~ \\|\\|e\\|\\| \\\\ \\<@123>");
    }

    @Test
    void codeSpansAndBlocksAreLeftAsTheyAre() {
        assertThat(DiscordMarkdown.escape("run `a_b*c` then\n```\nx_y <z>\n```\nfix_me"))
                .isEqualTo("run `a_b*c` then\n```\nx_y <z>\n```\nfix\\_me");
        assertThat(DiscordMarkdown.escape("``a`b`` c_d")).isEqualTo("``a`b`` c\\_d");
    }
}
