package dev.quorum.agent.research;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Markdown code fences, as reports use them: a line of up to three spaces and three or more backticks opens one
 * (with the language after it), a line of at least as many backticks alone closes it. Pure.
 */
public final class Fences {

    private static final Pattern FENCE = Pattern.compile(" {0,3}(`{3,})([^`]*)");

    private Fences() {
    }

    /** {@code text}, with the code block it ends inside (a cut left it open) closed. */
    public static String closed(String text) {
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int ticks = opening(lines[i]);
            if (ticks > 0) {
                int close = closing(lines, i, ticks);
                if (close < 0) {
                    return text + "\n" + "`".repeat(ticks);
                }
                i = close;
            }
        }
        return text;
    }

    /** The backticks of the fence line {@code line} opens, or 0 when it opens none. */
    static int opening(String line) {
        Matcher open = FENCE.matcher(line);
        return open.matches() ? open.group(1).length() : 0;
    }

    /** The line that closes the fence opened at line {@code open} with {@code ticks} backticks, or -1. */
    static int closing(String[] lines, int open, int ticks) {
        for (int j = open + 1; j < lines.length; j++) {
            Matcher close = FENCE.matcher(lines[j]);
            if (close.matches() && close.group(1).length() >= ticks && close.group(2).isBlank()) {
                return j;
            }
        }
        return -1;
    }
}
