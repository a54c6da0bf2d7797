package dev.quorum.evidence;

import java.util.ArrayDeque;

/**
 * The last lines of a log, at most {@code maxLines} lines and about {@code maxChars} characters
 * (a single longer line keeps its end). Thread-safe: one writer and readers may overlap.
 */
final class LogTail {

    private final int maxLines;
    private final int maxChars;
    private final ArrayDeque<String> lines = new ArrayDeque<>();
    private int chars;

    LogTail(int maxLines, int maxChars) {
        this.maxLines = maxLines;
        this.maxChars = maxChars;
    }

    synchronized void add(String line) {
        String kept = line.length() <= maxChars ? line : "…" + line.substring(line.length() - maxChars + 1);
        lines.addLast(kept);
        chars += kept.length() + 1;
        while (lines.size() > maxLines || (chars > maxChars && lines.size() > 1)) {
            chars -= lines.removeFirst().length() + 1;
        }
    }

    /** The kept lines joined by {@code \n}. */
    synchronized String text() {
        return String.join("\n", lines);
    }
}
