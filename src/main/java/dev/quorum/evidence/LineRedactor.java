package dev.quorum.evidence;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Matcher;

/**
 * Masks secrets in one stream of lines, in order. Beyond what {@link Redactor} masks within a
 * line, it masks every line of a PEM private key block, from the {@code BEGIN} line to the
 * {@code END} line, and a secret split over consecutive lines by a bare line break.
 *
 * <p>To see a split, a line is held back while its end could be the beginning of a secret's form,
 * and released (masked) once the lines after it show whether it was. So {@link #push} returns the
 * lines that are final: none, the line before this one, this one, or several. What is held is
 * bounded by the longest form of any secret; a blank line ends any split. {@link #finish} releases
 * the rest when the stream ends. Nothing is dropped and the line structure is kept: a split secret
 * leaves {@value Redactor#MASK} at the end of one line and at the start of the next.
 *
 * <p>A {@code BEGIN} line without an {@code END} masks at most {@value #MAX_KEY_LINES} further
 * lines (an 8192-bit RSA key takes about 80), so that a stray header cannot hide a whole log.
 *
 * <p>Not thread-safe: one instance per stream, fed by one thread at a time.
 */
public final class LineRedactor {

    static final int MAX_KEY_LINES = 200;

    private final SecretMatcher matcher;
    private final ArrayDeque<Held> held = new ArrayDeque<>();
    private int state = SecretMatcher.ROOT; // the matcher's, at the end of the last line pushed
    private long end; // offset in the stream (line breaks left out) after the last line pushed
    private int keyLinesLeft; // > 0 while inside a private key block

    LineRedactor(Redactor redactor) {
        this.matcher = redactor.matcher();
    }

    /**
     * Takes the next line (without its line break).
     *
     * @return the lines that are now final, masked, in stream order
     */
    public List<String> push(String line) {
        Held current = new Held(line, end);
        held.addLast(current);
        if (line.isEmpty()) {
            state = SecretMatcher.ROOT; // a secret split by a blank line is no split secret
        }
        state = scan(line, state, current.start);
        decodedPass(current);
        end += line.length();
        long reach = end - matcher.depth(state); // where the earliest match still possible would begin
        List<String> released = List.of();
        while (!held.isEmpty() && held.peekFirst().end() <= reach) {
            if (released.isEmpty()) {
                released = new ArrayList<>(2);
            }
            released.add(conclude(held.removeFirst().masked()));
        }
        return released;
    }

    /** The stream ended: the lines still held back, masked. */
    public List<String> finish() {
        List<String> released = new ArrayList<>(held.size());
        while (!held.isEmpty()) {
            released.add(conclude(held.removeFirst().masked()));
        }
        state = SecretMatcher.ROOT;
        return released;
    }

    /** Feeds {@code text} to the matcher from {@code from}; marks what it finds in the held lines. */
    private int scan(String text, int from, long offset) {
        int s = from;
        for (int i = 0; i < text.length(); i++) {
            s = matcher.step(s, text.charAt(i));
            int literal = matcher.literalLength(s);
            int encoded = matcher.encodedLength(s);
            if ((literal | encoded) != 0) {
                long matchEnd = offset + i + 1;
                if (literal > 0) mark(matchEnd - literal, matchEnd, false);
                if (encoded > 0) mark(matchEnd - encoded, matchEnd, true);
            }
        }
        return s;
    }

    /** Masks {@code [from, to)} of the stream, in every held line it touches; an encoded form with its run. */
    private void mark(long from, long to, boolean encoded) {
        Iterator<Held> lines = held.descendingIterator();
        while (lines.hasNext()) {
            Held h = lines.next();
            if (h.start >= to) continue;
            if (h.end() <= from) break;
            int a = (int) Math.max(from - h.start, 0);
            int b = (int) Math.min(to - h.start, h.text.length());
            if (encoded) {
                h.maskRun(a, b, from >= h.start, to <= h.end());
            } else {
                h.mask(a, b);
            }
        }
    }

    /**
     * Finds forms hidden by percent-encoding that none of {@link SecretForms}' standard encodings
     * cover (lower-case or partial encoding, base64 in a query string), within one line: the
     * line is decoded, scanned, and what is found is mapped back to the encoded characters.
     */
    private void decodedPass(Held h) {
        String t = h.text;
        boolean plusIsBlank = matcher.anyBlank();
        int first = firstEncoded(t, plusIsBlank);
        if (first < 0) {
            return;
        }
        StringBuilder decoded = new StringBuilder(t.length()).append(t, 0, first);
        int[] rawStart = new int[t.length() + 1]; // decoded char k came from t[rawStart[k] .. rawStart[k + 1])
        for (int k = 0; k < first; k++) {
            rawStart[k] = k;
        }
        for (int i = first; i < t.length(); ) {
            rawStart[decoded.length()] = i;
            char c = t.charAt(i);
            if (c == '%' && isEscape(t, i)) {
                decoded.append((char) (Character.digit(t.charAt(i + 1), 16) * 16 + Character.digit(t.charAt(i + 2), 16)));
                i += 3;
            } else {
                decoded.append(c == '+' && plusIsBlank ? ' ' : c);
                i++;
            }
        }
        rawStart[decoded.length()] = t.length();
        int s = SecretMatcher.ROOT;
        for (int k = 0; k < decoded.length(); k++) {
            s = matcher.step(s, decoded.charAt(k));
            int literal = matcher.literalLength(s);
            int encoded = matcher.encodedLength(s);
            if (literal > 0) {
                h.mask(rawStart[k + 1 - literal], rawStart[k + 1]);
            }
            if (encoded > 0) {
                int a = runStart(decoded, k + 1 - encoded);
                int b = runEnd(decoded, k + 1);
                h.mask(rawStart[a], rawStart[b]);
            }
        }
    }

    /** Index of the first {@code %XX} (or {@code +} standing for a blank) in {@code t}; -1 for none. */
    private static int firstEncoded(String t, boolean plusIsBlank) {
        for (int i = t.indexOf('%'); i >= 0; i = t.indexOf('%', i + 1)) {
            if (isEscape(t, i)) {
                int plus = plusIsBlank ? t.indexOf('+') : -1;
                return plus >= 0 ? Math.min(plus, i) : i;
            }
        }
        return plusIsBlank ? t.indexOf('+') : -1;
    }

    private static boolean isEscape(String t, int percent) {
        return percent + 2 < t.length() && Character.digit(t.charAt(percent + 1), 16) >= 0
                && Character.digit(t.charAt(percent + 2), 16) >= 0;
    }

    /** The rest of the line's masking, in stream order: shapes, then private key blocks. */
    private String conclude(String line) {
        if (keyLinesLeft > 0) {
            keyLinesLeft--;
            Matcher keyEnd = Redactor.PEM_END.matcher(line);
            if (!keyEnd.find()) {
                return Redactor.MASK;
            }
            keyLinesLeft = 0;
            return Redactor.MASK + conclude(line.substring(keyEnd.end()));
        }
        String masked = Redactor.maskShapes(LearnedSecrets.mask(line));
        // A whole block on one line was masked above; a BEGIN still standing opens a block.
        Matcher begin = Redactor.PEM_BEGIN.matcher(masked);
        if (begin.find()) {
            keyLinesLeft = MAX_KEY_LINES;
            return masked.substring(0, begin.start()) + Redactor.MASK;
        }
        return masked;
    }

    /** Where the base64 or hex run containing {@code at} begins. */
    static int runStart(CharSequence text, int at) {
        int a = at;
        while (a > 0 && SecretForms.isWordChar(text.charAt(a - 1))) a--;
        return a;
    }

    /** Where the base64 or hex run ending at or after {@code at} ends, with up to two {@code =} of padding. */
    static int runEnd(CharSequence text, int at) {
        int b = at;
        while (b < text.length() && SecretForms.isWordChar(text.charAt(b))) b++;
        for (int pad = 0; pad < 2 && b < text.length() && text.charAt(b) == '='; pad++) b++;
        return b;
    }

    /** A line not yet released, and the ranges of it to mask. */
    private static final class Held {
        final String text;
        final long start; // offset of its first character in the stream
        private long[] ranges = new long[0]; // (from << 32 | to), in the order found
        private int count;
        private int runFrom = -1; // the last run masked around an encoded form
        private int runTo = -1;

        Held(String text, long start) {
            this.text = text;
            this.start = start;
        }

        long end() {
            return start + text.length();
        }

        void mask(int from, int to) {
            if (count == ranges.length) {
                ranges = Arrays.copyOf(ranges, Math.max(4, count * 2));
            }
            ranges[count++] = (long) from << 32 | to;
        }

        /** Masks {@code [from, to)} grown to its run at the ends that lie in this line. */
        void maskRun(int from, int to, boolean growLeft, boolean growRight) {
            if (from >= runFrom && to <= runTo) {
                return; // a repeated form inside a run already masked
            }
            int a = growLeft ? runStart(text, from) : from;
            int b = growRight ? runEnd(text, to) : to;
            runFrom = a;
            runTo = b;
            mask(a, b);
        }

        /** The text with each union of overlapping or touching ranges replaced by one mask. */
        String masked() {
            if (count == 0) {
                return text;
            }
            long[] sorted = Arrays.copyOf(ranges, count);
            Arrays.sort(sorted);
            StringBuilder out = new StringBuilder(text.length());
            int copied = 0;
            int i = 0;
            while (i < count) {
                int from = (int) (sorted[i] >>> 32);
                int to = (int) sorted[i];
                for (i++; i < count && (int) (sorted[i] >>> 32) <= to; i++) {
                    to = Math.max(to, (int) sorted[i]);
                }
                out.append(text, copied, from).append(Redactor.MASK);
                copied = to;
            }
            return out.append(text, copied, text.length()).toString();
        }
    }
}
