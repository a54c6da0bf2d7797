package dev.quorum.chat.github;

import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.BlockQuote;
import org.commonmark.node.BulletList;
import org.commonmark.node.Code;
import org.commonmark.node.Emphasis;
import org.commonmark.node.FencedCodeBlock;
import org.commonmark.node.HardLineBreak;
import org.commonmark.node.Heading;
import org.commonmark.node.HtmlBlock;
import org.commonmark.node.HtmlInline;
import org.commonmark.node.Image;
import org.commonmark.node.IndentedCodeBlock;
import org.commonmark.node.Link;
import org.commonmark.node.LinkReferenceDefinition;
import org.commonmark.node.OrderedList;
import org.commonmark.node.Paragraph;
import org.commonmark.node.SoftLineBreak;
import org.commonmark.node.StrongEmphasis;
import org.commonmark.node.Text;
import org.commonmark.node.ThematicBreak;
import org.commonmark.parser.Parser;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What a Markdown text becomes, read by a CommonMark parser (GitHub's Markdown is CommonMark, with mentions,
 * references and autolinks found afterwards in the rendered text): its markup, its links, its text outside code run by
 * run, and all it reads. For tests of what Quorum writes on GitHub.
 */
public final class RenderedMarkdown {
    private static final Parser COMMONMARK = Parser.builder().build();
    /** What GitHub links in rendered text (not in code): mentions, issue references, autolinks. */
    private static final Pattern LINKED = Pattern.compile("(?<![A-Za-z0-9])@[A-Za-z0-9]|#[A-Za-z0-9]|(?i:gh-[0-9])|://|(?i:www\\.)");

    /** Markup other than links, bold and emphasis, e.g. {@code html <img src=x>} or {@code heading}. */
    public final List<String> markup = new ArrayList<>();
    public final List<String> links = new ArrayList<>();
    public int strong;
    public int emphasis;
    public boolean fenced;
    /** The text outside code, run by run (code and paragraph ends cut runs). */
    public final List<String> textRuns = new ArrayList<>();
    /** Everything readable, code included. */
    public final String text;

    private RenderedMarkdown(String markdown) {
        Seen seen = new Seen();
        COMMONMARK.parse(markdown).accept(seen);
        seen.endRun();
        text = seen.all.toString();
    }

    public static RenderedMarkdown of(String markdown) {
        return new RenderedMarkdown(markdown);
    }

    /** The runs of text that GitHub would turn into a mention, reference or link, but for a leading {@code @login } Quorum means. */
    public List<String> linkedRuns(String addressedTo) {
        String own = addressedTo == null ? null : "@" + addressedTo + " ";
        List<String> out = new ArrayList<>();
        for (int i = 0; i < textRuns.size(); i++) {
            String run = i == 0 && own != null && textRuns.get(i).startsWith(own) ? textRuns.get(i).substring(own.length()) : textRuns.get(i);
            if (LINKED.matcher(run).find()) out.add(run);
        }
        return out;
    }

    private final class Seen extends AbstractVisitor {
        private final StringBuilder all = new StringBuilder();
        private final StringBuilder run = new StringBuilder();

        @Override
        public void visit(Text t) {
            run.append(t.getLiteral());
            all.append(t.getLiteral());
        }

        @Override
        public void visit(Code c) {
            endRun();
            all.append(c.getLiteral());
        }

        @Override
        public void visit(FencedCodeBlock b) {
            endRun();
            fenced = true;
            all.append(b.getLiteral());
        }

        @Override
        public void visit(SoftLineBreak b) {
            run.append('\n');
            all.append('\n');
        }

        @Override
        public void visit(HardLineBreak b) {
            run.append('\n');
            all.append('\n');
        }

        @Override
        public void visit(Paragraph p) {
            endRun();
            visitChildren(p);
            endRun();
            all.append('\n');
        }

        @Override
        public void visit(Link l) {
            links.add(l.getDestination());
            endRun();
            visitChildren(l);
            endRun();
        }

        @Override
        public void visit(StrongEmphasis s) {
            strong++;
            visitChildren(s);
        }

        @Override
        public void visit(Emphasis e) {
            emphasis++;
            visitChildren(e);
        }

        @Override public void visit(Image n) { markup.add("image " + n.getDestination()); visitChildren(n); }
        @Override public void visit(HtmlInline n) { markup.add("html " + n.getLiteral()); }
        @Override public void visit(HtmlBlock n) { markup.add("html block " + n.getLiteral()); }
        @Override public void visit(Heading n) { markup.add("heading"); visitChildren(n); }
        @Override public void visit(BlockQuote n) { markup.add("quote"); visitChildren(n); }
        @Override public void visit(BulletList n) { markup.add("list"); visitChildren(n); }
        @Override public void visit(OrderedList n) { markup.add("ordered list"); visitChildren(n); }
        @Override public void visit(ThematicBreak n) { markup.add("rule"); }
        @Override public void visit(IndentedCodeBlock n) { markup.add("indented code " + n.getLiteral()); }
        @Override public void visit(LinkReferenceDefinition n) { markup.add("link definition " + n.getDestination()); }

        private void endRun() {
            if (!run.isEmpty()) textRuns.add(run.toString());
            run.setLength(0);
        }
    }
}
