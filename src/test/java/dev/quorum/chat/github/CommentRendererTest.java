package dev.quorum.chat.github;

import dev.quorum.conversation.Reply;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.Code;
import org.commonmark.node.Emphasis;
import org.commonmark.node.FencedCodeBlock;
import org.commonmark.node.HtmlBlock;
import org.commonmark.node.HtmlInline;
import org.commonmark.node.Image;
import org.commonmark.node.Link;
import org.commonmark.node.Node;
import org.commonmark.node.Paragraph;
import org.commonmark.node.StrongEmphasis;
import org.commonmark.node.Text;
import org.commonmark.parser.Parser;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** Replies as pull request comments: what the comment reads, that it fits GitHub, and that only Quorum's own markup is markup. */
class CommentRendererTest {
    private static final Parser COMMONMARK = Parser.builder().build();
    private static final Pattern LINKED = Pattern.compile("(?<![A-Za-z0-9])@[A-Za-z0-9]|#[A-Za-z0-9]|(?i:gh-[0-9])|://|(?i:www\\.)");
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

        Node doc = COMMONMARK.parse(CommentRenderer.render(reply, "alice"));
        Seen seen = new Seen();
        doc.accept(seen);

        assertThat(seen.links).containsExactly(CONSOLE.url());
        assertThat(seen.other).isEmpty();
        assertThat(seen.strong).isLessThanOrEqualTo(1); // the field's label (a label of spaces alone is no bold)
        assertThat(seen.textRuns.getFirst()).startsWith("@alice "); // the one mention Quorum means
        assertThat(seen.textRuns.stream().map(run -> run.replaceFirst("^@alice ", ""))).noneMatch(run -> LINKED.matcher(run).find());
    }

    @Provide
    Arbitrary<String> hostile() {
        return Arbitraries.of("`", "```", "@", "#", "a", "1", " ", "\n", "\n\n", "[", "]", "(", ")", "<", ">", "&", "*", "_", "**",
                "\\", ":", "//", "www.", "https", ".", "!", "-", "|", "~", "$", "<b>", "&#64;", "x@y.z").list().ofMinSize(1).ofMaxSize(25)
                .map(parts -> String.join("", parts));
    }

    private static final class Seen extends AbstractVisitor {
        final List<String> links = new ArrayList<>();
        final List<String> other = new ArrayList<>();
        final List<String> textRuns = new ArrayList<>();
        private final StringBuilder run = new StringBuilder();
        int strong;

        @Override public void visit(Text t) { run.append(t.getLiteral()); }
        @Override public void visit(Code c) { endRun(); }
        @Override public void visit(FencedCodeBlock b) { endRun(); }
        @Override public void visit(Link l) { links.add(l.getDestination()); endRun(); }
        @Override public void visit(StrongEmphasis s) { strong++; visitChildren(s); }
        @Override public void visit(Emphasis e) { other.add("emphasis"); } // only a notes line is, and this reply has none
        @Override public void visit(Image n) { other.add("image"); }
        @Override public void visit(HtmlInline n) { other.add("html " + n.getLiteral()); }
        @Override public void visit(HtmlBlock n) { other.add("html block " + n.getLiteral()); }

        @Override
        public void visit(Paragraph p) {
            endRun();
            visitChildren(p);
            endRun();
        }

        private void endRun() {
            if (!run.isEmpty()) textRuns.add(run.toString());
            run.setLength(0);
        }
    }
}
