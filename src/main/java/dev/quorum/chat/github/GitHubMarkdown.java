package dev.quorum.chat.github;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Quorum's plain text as GitHub Markdown that says only what the text says. Quorum echoes what
 * members wrote (a branch name, a command, a reason, a test's failure message), and on GitHub text
 * does things: {@code @login} and {@code @org/team} notify people, {@code #12}, {@code GH-12} and
 * {@code owner/repo#12} leave a cross-reference in another issue, bare URLs and {@code www.} become
 * links, {@code [x](url)}, {@code <img>}, {@code $math$} and {@code &#64;} are markup. So outside
 * code: inline syntax ({@code \ * _ [ ] ~ | $}) is backslash-escaped, block syntax ({@code > - + = 1.})
 * where a line starts, {@code &} is {@code &amp;} (no entity can spell a character), {@code <} is
 * {@code &lt;} (no HTML), leading spaces are no-break spaces (no indented code), and a zero-width
 * space (written {@code &#8203;}, as Dependabot does) follows every {@code @} and {@code #} and breaks
 * every {@code ://}, {@code www.} and {@code GH-}: GitHub finds mentions, references and autolinks in
 * the rendered text, after escapes are undone, so an escape alone would not stop them.
 *
 * <p>Code is left as it is, and where code begins and ends is decided as GitHub decides it, or more
 * cautiously: a fenced block ({@code ```} on a line of its own, up to three spaces in, closed by a
 * fence at least as long; never on the text's first line, which may follow other text in a
 * comment), or an inline span closed by a backtick run of the same length <em>on the same line</em>.
 * A backtick run that closes nothing is escaped, so it cannot open a span GitHub would read as text
 * (a span across lines may be broken by a blank line or a heading). A fence's info string is dropped
 * ({@code ```mermaid} draws a diagram, which can link). Where this reads code as text the cost is a
 * visible backslash; it never reads text as code, so nothing a member wrote can leave the code it
 * was quoted in. Comments Quorum writes use no containers (lists, quotes), where indentation would
 * change where a fence ends. Pure.
 */
final class GitHubMarkdown {
    /** GitHub's invisible break of a mention, reference or link. */
    static final String BREAK = "&#8203;";
    /**
     * What opens inline syntax anywhere: emphasis, links and images ({@code [}; {@code !} and
     * {@code (} mean nothing without it), strikethrough, tables, math, and the backslash itself.
     */
    private static final String INLINE = "\\*_[]~|$";

    private GitHubMarkdown() {}

    static String escape(String text) {
        text = text.replace("\r\n", "\n").replace('\r', '\n'); // GitHub ends a line at either: so must the reading of fences
        StringBuilder out = new StringBuilder(text.length() + 32);
        List<String> lines = lines(text);
        int fence = 0; // the length of the open fence's backtick run; 0 outside a fenced block
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n);
            if (n > 0) out.append('\n');
            int run = fenceRun(line);
            if (fence > 0) {
                out.append(line); // inside a fenced block: literal
                if (run >= fence && line.strip().chars().allMatch(c -> c == '`')) fence = 0;
            } else if (run > 0 && opensFence(line, n, lines, run)) {
                out.append(line, 0, line.indexOf('`') + run); // the info string is dropped: ```mermaid and ```geojson draw (and link)
                fence = run;
            } else {
                inline(line, out);
            }
        }
        return out.toString();
    }

    /**
     * Whether the text, placed at the start of a line, opens a fenced block there. {@link #escape}
     * reads a first line as inline text (a segment may be put after other text on its line); a
     * renderer puts such text on a line of its own to keep its code.
     */
    static boolean startsWithFence(String text) {
        String first = lines(text.replace("\r\n", "\n").replace('\r', '\n')).getFirst();
        return fenceRun(first) > 0 && first.strip().substring(fenceRun(first)).indexOf('`') < 0;
    }

    /** The backtick run a line starts with (after up to three spaces), when it is at least three long; else 0. */
    private static int fenceRun(String line) {
        int i = 0;
        while (i < line.length() && i < 3 && line.charAt(i) == ' ') i++;
        int run = 0;
        while (i + run < line.length() && line.charAt(i + run) == '`') run++;
        return run >= 3 ? run : 0;
    }

    /**
     * A fence opens only with an info string free of backticks (else the line is an inline span),
     * and Quorum only leaves one open when a closing fence follows: an unclosed fence would make
     * GitHub read the rest of the comment as code, which is safe, but Quorum's cut parts are always closed.
     */
    private static boolean opensFence(String line, int at, List<String> lines, int run) {
        if (at == 0) return false;
        String info = line.strip().substring(run);
        if (info.indexOf('`') >= 0) return false;
        for (int n = at + 1; n < lines.size(); n++) {
            String next = lines.get(n);
            if (fenceRun(next) >= run && next.strip().chars().allMatch(c -> c == '`')) return true;
        }
        return false;
    }

    /**
     * One line outside fenced blocks: code spans as they are, everything else escaped. Leading
     * spaces become no-break spaces, which keep the indentation without making an indented code
     * block (where the escapes would show).
     */
    private static void inline(String line, StringBuilder out) {
        int i = 0;
        for (; i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '\t'); i++) {
            out.append(line.charAt(i) == ' ' ? "\u00a0" : "\u00a0".repeat(4));
        }
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == '`') {
                int run = runAt(line, i);
                int close = closing(line, i + run, run);
                if (close >= 0) {
                    out.append(line, i, close + run); // a code span: GitHub shows it literally and links nothing in it
                    i = close + run;
                } else {
                    for (int k = 0; k < run; k++) out.append("\\`");
                    i += run;
                }
                continue;
            }
            text(line, i, out);
            i++;
        }
    }

    /**
     * One character of text: inline syntax is escaped wherever it stands, block syntax (a quote, a
     * list, a heading's underline) only where it would start a block.
     */
    private static void text(String line, int i, StringBuilder out) {
        char c = line.charAt(i);
        switch (c) {
            case '&' -> out.append("&amp;");
            case '<' -> out.append("&lt;");
            case '@', '#' -> out.append('\\').append(c).append(BREAK);
            case ':' -> out.append(line.startsWith("//", i + 1) ? ":" + BREAK : ":");
            case '.' -> out.append(after(line, i, "www") ? BREAK + "." : startsBlock(line, i) ? "\\." : ".");
            case '-' -> out.append(after(line, i, "gh") ? BREAK + "-" : startsBlock(line, i) ? "\\-" : "-");
            case ')' -> out.append(startsBlock(line, i) ? "\\)" : ")");
            case '>', '+', '=' -> out.append(startsBlock(line, i) ? "\\" + c : String.valueOf(c));
            default -> {
                if (INLINE.indexOf(c) >= 0) out.append('\\');
                out.append(c);
            }
        }
    }

    /** Whether {@code line} has {@code word} (any case) just before {@code i}. */
    private static boolean after(String line, int i, String word) {
        int from = i - word.length();
        return from >= 0 && line.regionMatches(true, from, word, 0, word.length());
    }

    /**
     * Whether the character at {@code i} may open a block: only spaces before it (a quote, a bullet,
     * a heading's underline), or only digits, as in {@code 1.} and {@code 1)} (an ordered list).
     */
    private static boolean startsBlock(String line, int i) {
        int k = 0;
        while (k < i && (line.charAt(k) == ' ' || line.charAt(k) == '\t')) k++;
        if (k == i) return true;
        char c = line.charAt(i);
        if (c != '.' && c != ')') return false;
        while (k < i && Character.isDigit(line.charAt(k))) k++;
        return k == i;
    }

    /** The start of the next backtick run of exactly {@code length} at or after {@code from}, or -1. */
    private static int closing(String line, int from, int length) {
        int i = from;
        while (i < line.length()) {
            if (line.charAt(i) != '`') {
                i++;
                continue;
            }
            int run = runAt(line, i);
            if (run == length) return i;
            i += run;
        }
        return -1;
    }

    private static int runAt(String s, int i) {
        int run = 0;
        while (i + run < s.length() && s.charAt(i + run) == '`') run++;
        return run;
    }

    private static List<String> lines(String text) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                out.add(text.substring(start, i));
                start = i + 1;
            }
        }
        out.add(text.substring(start));
        return out;
    }
}
