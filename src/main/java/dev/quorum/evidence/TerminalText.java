package dev.quorum.evidence;

import java.util.regex.Pattern;

/**
 * Terminal output as plain text: the colour and cursor escapes (ANSI/ECMA-48) that build tools
 * print are removed, so logs read the same in chat, on the console page and in the API.
 */
public final class TerminalText {
    /**
     * CSI sequences ({@code ESC [ … final}, and the 8-bit CSI), OSC sequences ({@code ESC ] … BEL}
     * or {@code ESC \}), two-character escapes, and any ESC left over.
     */
    private static final Pattern ESCAPES = Pattern.compile(
            "(?:\\u001B\\[|\\u009B)[0-?]*[ -/]*[@-~]"
                    + "|\\u001B\\][^\\u0007\\u001B]*(?:\\u0007|\\u001B\\\\)?"
                    + "|\\u001B[!-/]*[0-~]"
                    + "|\\u001B");

    private TerminalText() {}

    /** {@code text} without terminal escapes; {@code null} stays {@code null}. */
    public static String plain(String text) {
        if (text == null || (text.indexOf('\u001B') < 0 && text.indexOf('\u009B') < 0)) return text;
        return ESCAPES.matcher(text).replaceAll("");
    }
}
