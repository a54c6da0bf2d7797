package dev.quorum.agent.research;

import dev.quorum.agent.research.QuotedPassage.Piece;
import dev.quorum.agent.research.SentenceScores.Scored;
import dev.quorum.agent.search.Passage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The report research gives with no model: an extractive answer first (the two to four sentences or lines of the
 * retrieved passages that best match the question, from as many different files as there are, each cited), one line
 * saying it is retrieval only and how to connect a model, then the cited passages cut to their relevant lines: code
 * fenced with its language and line numbers, prose as text. Every number it cites is registered in the ledger;
 * nothing quoted from a document can read as a citation ({@link Citations#literal}). Pure but for the ledger.
 */
public final class RetrievalReport {

    /** The line that says what this is and how to get more. */
    public static final String RETRIEVAL_ONLY = "Retrieval only: no model is configured, so this quotes the team's "
            + "files instead of answering in words. For a written answer, set OPENAI_API_KEY or ANTHROPIC_API_KEY "
            + "(README, \"Connecting a model\") and restart Quorum.";
    static final String NOTHING = "Nothing in the team's documents matches the question.";
    static final String NO_SENTENCE = "No single sentence of the team's documents matches the question; these "
            + "parts of them do:";

    private static final int MAX_ANSWER = 4;
    private static final int MIN_ANSWER = 2;
    /** An answer quotes the best piece of another file when it scores at least this share of the best piece. */
    private static final double OTHER_FILE_SHARE = 0.25;
    /** An answer quotes more pieces of a file it quotes when they score at least this share of the best one. */
    private static final double KEEP_SHARE = 0.5;
    private static final int MAX_EXCERPTS = 4;
    /** Lines of code shown on each side of a line that matches. */
    private static final int CONTEXT_LINES = 2;
    /** Matching lines of one passage an excerpt of code is built around. */
    private static final int MAX_FOCUS = 3;
    private static final int MAX_EXCERPT_LINES = 12;
    private static final int MAX_PARAGRAPH_LINES = 8;

    private static final Comparator<Scored> BEST_FIRST = Comparator.comparingDouble(Scored::score).reversed();

    private RetrievalReport() {
    }

    /**
     * The report for {@code question} from {@code passages} (best first), before {@link Citations#check} adds the
     * Sources section; registers every passage it cites in {@code ledger}.
     */
    public static String write(String question, List<Passage> passages, SourceLedger ledger) {
        List<QuotedPassage> quoted = passages.stream().map(QuotedPassage::of).toList();
        List<Scored> ranked = SentenceScores.of(question, quoted.stream().flatMap(q -> q.pieces().stream()).toList())
                .stream().filter(s -> s.score() > 0).sorted(BEST_FIRST).toList();
        double best = ranked.isEmpty() ? 0 : ranked.getFirst().score();
        List<Piece> answer = answer(ranked, best);
        // what each excerpt is built around: the pieces the answer quotes, then others scoring well; a passage the
        // answer does not quote is shown around its best piece if that one would have been good enough to quote
        Map<QuotedPassage, List<Piece>> focus = new IdentityHashMap<>();
        answer.forEach(p -> focus.computeIfAbsent(p.from(), q -> new ArrayList<>()).add(p));
        for (Scored s : ranked) {
            boolean shownAlready = focus.containsKey(s.piece().from());
            if (s.score() >= best * KEEP_SHARE || !shownAlready && s.score() >= best * OTHER_FILE_SHARE) {
                List<Piece> pieces = focus.computeIfAbsent(s.piece().from(), q -> new ArrayList<>());
                if (!pieces.contains(s.piece())) {
                    pieces.add(s.piece());
                }
            }
        }

        Function<QuotedPassage, Source> number =
                q -> ledger.register(Source.Kind.DOCUMENT_PASSAGE, q.passage().locator(), q.passage().title());
        Map<QuotedPassage, Source> shown = new LinkedHashMap<>();
        answer.forEach(p -> shown.computeIfAbsent(p.from(), number));
        quoted.stream().filter(focus::containsKey).forEach(q -> {
            if (shown.size() < MAX_EXCERPTS) {
                shown.computeIfAbsent(q, number);
            }
        });

        List<String> sections = new ArrayList<>();
        sections.add(!answer.isEmpty()
                ? answer.stream().map(p -> item(p, shown.get(p.from()))).collect(Collectors.joining("\n"))
                : shown.isEmpty() ? NOTHING : NO_SENTENCE);
        sections.add(RETRIEVAL_ONLY);
        shown.forEach((q, source) -> excerpt(q, source, focus.get(q), answer).ifPresent(sections::add));
        return String.join("\n\n", sections);
    }

    /**
     * The pieces the answer quotes, from {@code ranked} (best first, the first scoring {@code best}): the best quotable
     * one; then the best of each other file that scores at least {@link #OTHER_FILE_SHARE} of {@code best}; then
     * further pieces scoring at least {@link #KEEP_SHARE} of it; two at least when there are two; never the same text
     * twice.
     */
    private static List<Piece> answer(List<Scored> ranked, double best) {
        List<Scored> quotable = ranked.stream().filter(s -> s.piece().quotable()).toList();
        List<Piece> chosen = new ArrayList<>();
        Set<String> files = new HashSet<>();
        Set<String> texts = new HashSet<>();
        for (int pass = 0; pass < 3; pass++) {
            for (int i = 0; i < quotable.size() && chosen.size() < MAX_ANSWER; i++) {
                Piece piece = quotable.get(i).piece();
                double score = quotable.get(i).score();
                String file = piece.from().passage().path();
                boolean wanted = switch (pass) {
                    case 0 -> !files.contains(file) && score >= best * OTHER_FILE_SHARE;
                    case 1 -> score >= best * KEEP_SHARE;
                    default -> chosen.size() < MIN_ANSWER;
                };
                if (wanted && !chosen.contains(piece) && !texts.contains(piece.text())) {
                    chosen.add(piece);
                    files.add(file);
                    texts.add(piece.text());
                }
            }
        }
        return chosen;
    }

    /** One line of the answer: a sentence as written, or a line of code with its place. */
    private static String item(Piece piece, Source source) {
        String cite = " [" + source.number() + "]";
        return "- " + switch (piece.from().form()) {
            case Form.Prose p -> Citations.literal(piece.text()) + cite;
            case Form.Code c -> "`" + piece.text() + "` (" + Citations.literal(fileName(piece)) + ", line " + piece.line()
                    + ")" + cite;
        };
    }

    private static String fileName(Piece piece) {
        String path = piece.from().passage().path();
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /**
     * A cited passage: its number and place, then the lines around {@code focus} (its pieces that matter, best
     * first). Empty for prose that the answer already quotes whole.
     */
    private static Optional<String> excerpt(QuotedPassage q, Source source, List<Piece> focus, List<Piece> answer) {
        String body;
        TreeSet<Integer> lines;
        switch (q.form()) {
            case Form.Code c -> {
                lines = codeLines(q, focus);
                body = fenced(q, lines, c.language());
            }
            case Form.Prose p -> {
                lines = proseLines(focus.getFirst());
                if (answer.containsAll(q.pieces().stream()
                        .filter(piece -> piece.paragraph().equals(focus.getFirst().paragraph())).toList())) {
                    return Optional.empty();
                }
                body = lines.stream().map(n -> Citations.literal(QuotedPassage.shortened(q.line(n).strip())))
                        .collect(Collectors.joining("\n"));
            }
        }
        String where = lines.first().equals(lines.last()) ? "line " + lines.first()
                : "lines " + lines.first() + "–" + lines.last();
        return Optional.of("[" + source.number() + "] " + Citations.literal(q.passage().path()) + ", " + where + "\n"
                + body);
    }

    /** Windows of context around the focus lines, as many as fit. */
    private static TreeSet<Integer> codeLines(QuotedPassage q, List<Piece> focus) {
        TreeSet<Integer> lines = new TreeSet<>();
        for (int centre : focus.stream().limit(MAX_FOCUS).map(Piece::line).toList()) {
            int from = Math.max(q.firstLine(), centre - CONTEXT_LINES);
            int to = Math.min(q.lastLine(), centre + CONTEXT_LINES);
            while (from < centre && q.line(from).isBlank()) {
                from++;
            }
            while (to > centre && q.line(to).isBlank()) {
                to--;
            }
            TreeSet<Integer> window = new TreeSet<>(lines);
            for (int n = from; n <= to; n++) {
                window.add(n);
            }
            if (lines.isEmpty() || window.size() <= MAX_EXCERPT_LINES) {
                lines = window;
            }
        }
        for (int n = lines.first(); n < lines.last(); n++) {
            if (!lines.contains(n) && lines.contains(n - 1) && lines.contains(n + 1)) {
                lines.add(n); // a gap of one line is shown rather than marked
            }
        }
        return lines;
    }

    /** The paragraph of the best focus piece; a long one cut around it. */
    private static TreeSet<Integer> proseLines(Piece best) {
        QuotedPassage.Lines paragraph = best.paragraph();
        int first = paragraph.last() - paragraph.first() < MAX_PARAGRAPH_LINES ? paragraph.first()
                : Math.max(paragraph.first(), best.line() - CONTEXT_LINES);
        TreeSet<Integer> lines = new TreeSet<>();
        for (int n = first; n <= Math.min(paragraph.last(), first + MAX_PARAGRAPH_LINES - 1); n++) {
            lines.add(n);
        }
        return lines;
    }

    /** Lines of code in a fence, with their numbers, the common indent removed, gaps marked. */
    private static String fenced(QuotedPassage q, TreeSet<Integer> lines, String language) {
        int indent = lines.stream().map(q::line).filter(l -> !l.isBlank())
                .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        int width = String.valueOf(lines.last()).length();
        StringBuilder text = new StringBuilder("```").append(language);
        Integer previous = null;
        for (int n : lines) {
            if (previous != null && n > previous + 1) {
                text.append('\n').append(" ".repeat(width)).append("  …");
            }
            String line = q.line(n);
            text.append('\n').append(String.format("%" + width + "d", n))
                    .append(line.isBlank() ? "" : "  " + QuotedPassage.shortened(line.substring(indent).stripTrailing()));
            previous = n;
        }
        return text.append("\n```").toString();
    }
}
