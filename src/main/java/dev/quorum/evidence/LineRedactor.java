package dev.quorum.evidence;

import java.util.regex.Matcher;

/**
 * Masks secrets in one stream of lines, in order. Beyond what {@link Redactor} masks within a
 * line, it masks every line of a PEM private key block, from the {@code BEGIN} line to the
 * {@code END} line.
 *
 * <p>A {@code BEGIN} line without an {@code END} masks at most {@value #MAX_KEY_LINES} further
 * lines (an 8192-bit RSA key takes about 80), so that a stray header cannot hide a whole log.
 *
 * <p>Not thread-safe: one instance per stream, fed by one thread at a time.
 */
public final class LineRedactor {

    static final int MAX_KEY_LINES = 200;

    private final Redactor redactor;
    private int keyLinesLeft; // > 0 while inside a private key block

    LineRedactor(Redactor redactor) {
        this.redactor = redactor;
    }

    /** The next line (without its line break), masked. */
    public String next(String line) {
        if (keyLinesLeft > 0) {
            keyLinesLeft--;
            Matcher end = Redactor.PEM_END.matcher(line);
            if (!end.find()) {
                return Redactor.MASK;
            }
            keyLinesLeft = 0;
            return Redactor.MASK + next(line.substring(end.end()));
        }
        String masked = redactor.redactWithinLine(line);
        // A whole block on one line was masked above; a BEGIN still standing opens a block.
        Matcher begin = Redactor.PEM_BEGIN.matcher(masked);
        if (begin.find()) {
            keyLinesLeft = MAX_KEY_LINES;
            return masked.substring(0, begin.start()) + Redactor.MASK;
        }
        return masked;
    }
}
