package dev.quorum.chat.github;

import dev.quorum.conversation.Reply;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Replies as pull request comments: what the comment reads, that it fits GitHub, and that only Quorum's own markup is markup. */
class CommentRendererTest {
    private static final Reply.Link CONSOLE = new Reply.Link("Open R7 in the console", "http://quorum.example/#/requests/R7");

    @Test
    void aCardReadsAsTextFieldsTheCommandsToCommentAndTheConsoleLink() {
        Reply card = Reply.text("R7 · merge `feature/x` into `main` — awaiting approval")
                .withFields(List.of(new Reply.Field("Tests", "12 passed"), new Reply.Field("Needs", "2 approvals")))
                .withButtons(List.of(new Reply.Button("Approve", "approve R7", Reply.Button.Style.PRIMARY),
                        new Reply.Button("Reject", "reject R7", Reply.Button.Style.DANGER)))
                .withLink(CONSOLE);

        assertThat(CommentRenderer.render(card, null)).isEqualTo("""
                R7 · merge `feature/x` into `main` — awaiting approval

                **Tests**: 12 passed
                **Needs**: 2 approvals

                Comment Approve: `/quorum approve R7` · Reject: `/quorum reject R7`

                [Open R7 in the console](http://quorum.example/#/requests/R7)""");
    }

    @Test
    void aWhisperIsAddressedToTheMemberAndAToneIsAnEmoji() {
        assertThat(CommentRenderer.render(Reply.error("You already voted on R7; a vote counts once."), "alice"))
                .isEqualTo("@alice ❌ You already voted on R7; a vote counts once.");
    }

    @Test
    void aReplyThatStartsWithCodeKeepsItsCodeBlock() {
        assertThat(CommentRenderer.render(Reply.text("```\nat Foo.bar(@x)\n```").withTone(Reply.Tone.WARNING), null))
                .isEqualTo("⚠️\n```\nat Foo.bar(@x)\n```");
    }

    @Test
    void theLargestReplyFitsInOneComment() {
        String hostile = "#@:".repeat(40_000); // each character grows the most when escaped
        List<Reply.Field> fields = new ArrayList<>();
        List<Reply.Button> buttons = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            fields.add(new Reply.Field(hostile, hostile));
            buttons.add(new Reply.Button(hostile, "approve " + "#".repeat(100 - 8), null));
        }
        Reply huge = Reply.text(hostile).withFields(fields).withButtons(buttons).withLink(new Reply.Link(hostile.substring(0, 90), CONSOLE.url()));

        String body = CommentRenderer.render(huge, "a".repeat(39));

        assertThat(body.length()).isLessThanOrEqualTo(CommentRenderer.MAX_BODY);
        assertThat(body).contains("The text is cut here", "25 more fields are not shown.", "Some actions are not shown");
    }

    @Property(tries = 500)
    void onlyQuorumsOwnMarkupIsMarkup(@ForAll("hostile") String text, @ForAll("hostile") String label, @ForAll("hostile") String value,
                                      @ForAll("hostile") String command) {
        Reply reply = Reply.text(text).withTone(Reply.Tone.SUCCESS).withFields(List.of(new Reply.Field(label, value)))
                .withButtons(List.of(new Reply.Button(label, command, null))).withLink(CONSOLE);

        RenderedMarkdown seen = RenderedMarkdown.of(CommentRenderer.render(reply, "alice"));

        assertThat(seen.links).containsExactly(CONSOLE.url());
        assertThat(seen.markup).isEmpty();
        assertThat(seen.emphasis).as("only a notes line is, and this reply has none").isZero();
        assertThat(seen.strong).isLessThanOrEqualTo(1); // the field's label (a label of spaces alone is no bold)
        assertThat(seen.textRuns.getFirst()).startsWith("@alice "); // the one mention Quorum means
        assertThat(seen.linkedRuns("alice")).isEmpty();
    }

    @Provide
    Arbitrary<String> hostile() {
        return Arbitraries.of("`", "```", "@", "#", "a", "1", " ", "\n", "\n\n", "[", "]", "(", ")", "<", ">", "&", "*", "_", "**",
                "\\", ":", "//", "www.", "https", ".", "!", "-", "|", "~", "$", "<b>", "&#64;", "x@y.z").list().ofMinSize(1).ofMaxSize(25)
                .map(parts -> String.join("", parts));
    }
}
