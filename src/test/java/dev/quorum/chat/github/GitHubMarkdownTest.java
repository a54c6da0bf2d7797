package dev.quorum.chat.github;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;


import static org.assertj.core.api.Assertions.assertThat;

/**
 * Text Quorum echoes says only what it says on GitHub: checked on what a CommonMark parser (GitHub's
 * Markdown is CommonMark) makes of the escaped text, for chosen attacks and for random hostile text.
 */
class GitHubMarkdownTest {
    private static final String ZWSP = "\u200b";

    @Test
    void mentionsReferencesAndLinksAreBrokenInvisibly() {
        assertThat(GitHubMarkdown.escape("ping @alice and @acme/ops about #12, GH-3 and x/y#4"))
                .isEqualTo("ping \\@&#8203;alice and \\@&#8203;acme/ops about \\#&#8203;12, GH&#8203;-3 and x/y\\#&#8203;4");
        assertThat(GitHubMarkdown.escape("see https://evil.example and www.evil.example"))
                .isEqualTo("see https:&#8203;//evil.example and www&#8203;.evil.example");
        assertThat(rendered("ping @alice, see https://x.example")).isEqualTo("ping @" + ZWSP + "alice, see https:" + ZWSP + "//x.example");
    }

    @Test
    void markupIsShownAsText() {
        assertThat(GitHubMarkdown.escape("[click](https://x) ![i](y) <img src=x> &#64;bob *b* _i_ ~s~ |t| $m$ \\"))
                .isEqualTo("\\[click\\](https:&#8203;//x) !\\[i\\](y) &lt;img src=x> &amp;\\#&#8203;64;bob \\*b\\* \\_i\\_ \\~s\\~ \\|t\\| \\$m\\$ \\\\");
        assertThat(GitHubMarkdown.escape("a\n> quote\n- item\n1. one\n===\n    indented"))
                .isEqualTo("a\n\\> quote\n\\- item\n1\\. one\n\\===\n\u00a0\u00a0\u00a0\u00a0indented");
    }

    @Test
    void codeIsLeftAsItIsAndAFencedBlockLosesItsInfoString() {
        assertThat(GitHubMarkdown.escape("run `a_b @c` then\n```mermaid\nx_y <z> @d\n```\nfix_me"))
                .isEqualTo("run `a_b @c` then\n```\nx_y <z> @d\n```\nfix\\_me");
        assertThat(GitHubMarkdown.escape("``a`b`` c_d")).isEqualTo("``a`b`` c\\_d");
    }

    @Test
    void aBacktickThatClosesNothingOnItsLineOpensNothing() {
        // GitHub would end a span at a blank line and read "@alice" as a mention: only same-line spans are code
        assertThat(GitHubMarkdown.escape("`x\n\n@alice `")).isEqualTo("\\`x\n\n\\@&#8203;alice \\`");
        // a fence on the first line may follow other text in a comment, where it is no fence
        assertThat(GitHubMarkdown.escape("```\n@alice\n```")).isEqualTo("\\`\\`\\`\n\\@&#8203;alice\n\\`\\`\\`");
        assertThat(GitHubMarkdown.startsWithFence("```\n@alice\n```")).isTrue();
        // a fence that nothing closes is text, and a carriage return ends a line as GitHub reads it
        assertThat(GitHubMarkdown.escape("log\n```\n@alice")).isEqualTo("log\n\\`\\`\\`\n\\@&#8203;alice");
        assertThat(GitHubMarkdown.escape("log\n```\nx\r```\r@alice")).isEqualTo("log\n```\nx\n```\n\\@&#8203;alice");
    }

    @Property(tries = 3000)
    void hostileTextRendersAsItsOwnTextAndLinksNothing(@ForAll("hostile") String text) {
        String escaped = GitHubMarkdown.escape(text);
        RenderedMarkdown seen = RenderedMarkdown.of(escaped);

        assertThat(seen.markup).as("markup in %s", escaped).isEmpty();
        assertThat(seen.links).isEmpty();
        assertThat(seen.strong + seen.emphasis).isZero();
        assertThat(seen.linkedRuns(null)).isEmpty();
        if (!seen.fenced) { // a fence drops its info string; all else is kept, character for character (a code span's backticks aside)
            assertThat(readable(seen.text)).isEqualTo(readable(text));
        }
    }

    @Provide
    Arbitrary<String> hostile() {
        return Arbitraries.of("`", "``", "```", "@", "#", "a", "Z", "1", " ", "  ", "\n", "\n\n", "\r", "\t", "[", "]", "(", ")",
                "<", ">", "&", ";", "*", "_", "\\", ":", "//", "www.", "http", ".", "!", "-", "=", "|", "~", "$", "gh-", "&#64;",
                "<a href=x>", "    ").list().ofMaxSize(40).map(parts -> String.join("", parts));
    }

    private static String rendered(String text) {
        return RenderedMarkdown.of(GitHubMarkdown.escape(text)).text.strip();
    }

    /** What a reader sees, spacing aside: a code span's backticks are markup, the others escaped text. */
    private static String readable(String s) {
        return s.replaceAll("[\\s\u00a0\u200b`]", "");
    }
}
