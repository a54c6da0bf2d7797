package dev.quorum.agent.research;

import dev.quorum.agent.search.Passage;
import dev.quorum.agent.search.Terms;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A retrieved passage cut into what an extractive answer may quote: the sentences of prose (the document's own code
 * blocks left out; a heading counts with its section's first paragraph but is not quoted alone), the lines of code.
 * Immutable.
 */
final class QuotedPassage {

    /** Longest sentence an answer quotes whole, and longest line an excerpt shows; longer ones are cut. */
    private static final int MAX_SENTENCE_CHARS = 300;
    /** Longest line of code an answer quotes; longer lines are shown in the excerpt only. */
    private static final int MAX_CODE_LINE_CHARS = 160;
    private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?])\\s+");
    private static final Pattern LIST_ITEM = Pattern.compile("([-*+]|\\d{1,3}[.)])\\s+.*");
    private static final Pattern BLOCK_MARKER = Pattern.compile("^(?:[-*+>]|\\d{1,3}[.)])\\s+");

    /**
     * One sentence or line of the passage.
     *
     * @param from      the passage it is in
     * @param line      its (first) line in the file, from 1
     * @param paragraph for prose, the paragraph it is in (first and last line in the file); for code, its line
     * @param text      what an answer quotes
     * @param terms     its terms, as the docs index analyses them
     * @param quotable  whether an answer may quote it on one line (a heading, a table row, an overlong line of code,
     *                  code or a sentence whose backticks do not pair up are shown in excerpts only)
     */
    record Piece(QuotedPassage from, int line, Lines paragraph, String text, List<String> terms, boolean quotable) {
    }

    /** Lines {@code first} to {@code last} of a file, from 1. */
    record Lines(int first, int last) {
    }

    private final Passage passage;
    private final Form form;
    private final String[] lines;
    private final List<Piece> pieces = new ArrayList<>();

    private QuotedPassage(Passage passage) {
        this.passage = passage;
        this.form = Form.of(passage.path());
        this.lines = passage.text().split("\n", -1);
        switch (form) {
            case Form.Prose p -> splitProse();
            case Form.Code c -> splitCode();
        }
    }

    static QuotedPassage of(Passage passage) {
        return new QuotedPassage(passage);
    }

    Passage passage() {
        return passage;
    }

    Form form() {
        return form;
    }

    List<Piece> pieces() {
        return List.copyOf(pieces);
    }

    /** Line {@code number} of the file (it must be in the passage), as written. */
    String line(int number) {
        return lines[number - passage.startLine()];
    }

    int firstLine() {
        return passage.startLine();
    }

    int lastLine() {
        return passage.startLine() + lines.length - 1;
    }

    private void splitCode() {
        for (int i = 0; i < lines.length; i++) {
            String text = lines[i].strip();
            if (!text.isEmpty()) {
                int number = firstLine() + i;
                pieces.add(new Piece(this, number, new Lines(number, number), text, Terms.of(text),
                        text.length() <= MAX_CODE_LINE_CHARS && text.indexOf('`') < 0));
            }
        }
    }

    private void splitProse() {
        List<Integer> paragraph = new ArrayList<>();
        boolean inFence = false;
        for (int i = 0; i < lines.length; i++) {
            String text = lines[i].strip();
            boolean fence = text.startsWith("```") || text.startsWith("~~~");
            boolean heading = text.startsWith("#");
            boolean row = text.startsWith("|");
            if (fence || inFence || text.isEmpty() || heading || row || LIST_ITEM.matcher(text).matches()) {
                addParagraph(paragraph);
            }
            if (fence) {
                inFence = !inFence;
            } else if ((row || heading) && !inFence) {
                int number = firstLine() + i;
                String shown = heading ? text.replaceFirst("^#+\\s*", "") : text;
                pieces.add(new Piece(this, number, new Lines(number, heading ? sectionOpening(i) : number), shown,
                        Terms.of(shown), false));
            } else if (!inFence && !text.isEmpty()) {
                paragraph.add(i);
            }
        }
        addParagraph(paragraph);
    }

    /** The last line (in the file) of a heading at {@code index} and the paragraph after it. */
    private int sectionOpening(int index) {
        int end = index + 1;
        while (end < lines.length && lines[end].isBlank()) {
            end++;
        }
        int last = index;
        for (; end < lines.length && !lines[end].isBlank(); end++) {
            String text = lines[end].strip();
            if (text.startsWith("#") || text.startsWith("```") || text.startsWith("~~~")) {
                break;
            }
            last = end;
        }
        return firstLine() + last;
    }

    /** The paragraph of lines {@code indexes} (into the passage), as sentences; clears {@code indexes}. */
    private void addParagraph(List<Integer> indexes) {
        if (indexes.isEmpty()) {
            return;
        }
        Lines span = new Lines(firstLine() + indexes.getFirst(), firstLine() + indexes.getLast());
        StringBuilder joined = new StringBuilder();
        List<Integer> lineStarts = new ArrayList<>();
        for (int index : indexes) {
            if (!joined.isEmpty()) {
                joined.append(' ');
            }
            lineStarts.add(joined.length());
            joined.append(BLOCK_MARKER.matcher(lines[index].strip()).replaceFirst(""));
        }
        int start = 0;
        var ends = SENTENCE_END.matcher(joined);
        while (start < joined.length()) {
            int end = ends.find() ? ends.start() : joined.length();
            String sentence = joined.substring(start, end).strip();
            if (!sentence.isEmpty()) {
                String quoted = shortened(sentence);
                pieces.add(new Piece(this, firstLine() + indexes.get(lineOf(lineStarts, start)), span, quoted,
                        Terms.of(sentence), quoted.chars().filter(c -> c == '`').count() % 2 == 0));
            }
            start = end < joined.length() ? ends.end() : end;
        }
        indexes.clear();
    }

    private static int lineOf(List<Integer> lineStarts, int offset) {
        int line = 0;
        while (line + 1 < lineStarts.size() && lineStarts.get(line + 1) <= offset) {
            line++;
        }
        return line;
    }

    /** {@code text} when it is short enough to quote, else its beginning, cut at a space when one is near. */
    static String shortened(String text) {
        if (text.length() <= MAX_SENTENCE_CHARS) {
            return text;
        }
        int space = text.lastIndexOf(' ', MAX_SENTENCE_CHARS);
        return text.substring(0, space > MAX_SENTENCE_CHARS / 2 ? space : MAX_SENTENCE_CHARS) + " …";
    }
}
