package dev.quorum.conversation;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Fits a {@link Reply} to what one message on a platform can hold, so that renderers only map:
 * the text in parts cut at line breaks (a {@code ```} block cut in two is closed at the end of
 * one part and reopened in the next, so code stays code), fields and buttons up to the
 * platform's counts, and notes that say what was left out. Cuts never split an escape such as
 * {@code &amp;} or {@code \*}, a surrogate pair, or a run of backticks. Pure and thread-safe.
 */
public final class ReplyFitter {
    private static final String FENCE = "```";
    /** Room kept in every cut part for the closing {@code \n```}. */
    private static final int FENCE_ROOM = FENCE.length() + 1;
    /** The longest escape a cut must not split ({@code &amp;} is 5; numeric ones are longer). */
    private static final int LONGEST_ENTITY = 10;
    private static final String ELLIPSIS = "…";

    private ReplyFitter() {}

    /**
     * What one message can hold, in characters (UTF-16 units) and counts.
     *
     * @param textPart      characters in one part of the main text
     * @param textParts     parts of the main text in one message
     * @param fields        labelled fields
     * @param fieldText     characters of one field, label and value together (as escaped)
     * @param buttonLabel   characters of a button's label
     * @param buttonsPerRow buttons in one row
     * @param buttonRows    rows of buttons
     * @param buttonCommand characters of the command a button carries; a longer one is left out
     */
    public record Limits(int textPart, int textParts, int fields, int fieldText, int buttonLabel,
                         int buttonsPerRow, int buttonRows, int buttonCommand) {
        /** No platform limits (the console): everything is kept as it is. */
        public static final Limits NONE = new Limits(Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE,
                Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE);

        public Limits {
            if (textPart < 16 || textParts < 1 || fields < 0 || fieldText < 16 || buttonLabel < 4
                    || buttonsPerRow < 1 || buttonRows < 0 || buttonCommand < 1) {
                throw new IllegalArgumentException("limits too small to fit a reply: " + this);
            }
        }
    }

    /**
     * A reply as it fits.
     *
     * @param textParts  the escaped main text in order, each within {@link Limits#textPart}; may hold
     *                   blank parts (a platform that refuses empty blocks skips them)
     * @param fields     the fields shown, label and value escaped
     * @param buttonRows the buttons shown, row by row; labels are not escaped (platforms show them as plain text)
     * @param notes      what was left out, for the member, e.g. {@code "3 more fields are not shown."}
     * @param link       the reply's own link, or {@code null}
     */
    public record Fitted(List<String> textParts, List<Reply.Field> fields, List<List<Reply.Button>> buttonRows,
                         List<String> notes, Reply.Link link) {
        public Fitted {
            textParts = List.copyOf(textParts);
            fields = List.copyOf(fields);
            buttonRows = buttonRows.stream().map(List::copyOf).toList();
            notes = List.copyOf(notes);
        }

        /**
         * The notes as one line, pointing to the console when the message links there; empty when
         * nothing was left out.
         */
        public String notesLine(boolean linked) {
            if (notes.isEmpty()) return "";
            return String.join(" ", notes) + (linked ? " The whole record is in the console." : "");
        }
    }

    /**
     * @param escape the platform's escaping of text (Slack: {@code & < >}); applied to the text and
     *               the fields, before they are measured and cut
     */
    public static Fitted fit(Reply reply, Limits limits, UnaryOperator<String> escape) {
        List<String> notes = new ArrayList<>();

        Split text = split(escape.apply(reply.text()), limits.textPart(), limits.textParts());
        if (text.cut()) notes.add("The text is cut here: it is too long for one message.");

        List<Reply.Field> fields = new ArrayList<>();
        for (Reply.Field f : reply.fields()) {
            if (fields.size() == limits.fields()) break;
            fields.add(field(escape.apply(f.label()), escape.apply(f.value()), limits.fieldText()));
        }
        if (reply.fields().size() > fields.size()) notes.add((reply.fields().size() - fields.size()) + " more fields are not shown.");

        List<List<Reply.Button>> rows = new ArrayList<>();
        int shown = 0;
        for (Reply.Button b : reply.buttons()) {
            if (b.command().length() > limits.buttonCommand()) continue;
            if (rows.isEmpty() || rows.getLast().size() == limits.buttonsPerRow()) {
                if (rows.size() == limits.buttonRows()) break;
                rows.add(new ArrayList<>());
            }
            rows.getLast().add(new Reply.Button(shorten(b.label(), limits.buttonLabel()), b.command(), b.style()));
            shown++;
        }
        if (shown < reply.buttons().size()) notes.add("Some actions are not shown; type them as commands.");

        return new Fitted(text.parts(), fields, rows, notes, reply.link());
    }

    /** A label and value within {@code max} together: the value gives way first, a long label down to half. */
    private static Reply.Field field(String label, String value, int max) {
        if (label.length() + value.length() <= max) return new Reply.Field(label, value);
        String l = label.length() > max / 2 ? shorten(label, max / 2) : label;
        return new Reply.Field(l, shorten(value, max - l.length()));
    }

    /** At most {@code max} characters, ending in an ellipsis when cut; never cuts an escape or a surrogate pair. */
    public static String shorten(String s, int max) {
        if (s.length() <= max) return s;
        return s.substring(0, safeCut(s, max - ELLIPSIS.length())) + ELLIPSIS;
    }

    /**
     * @param parts the parts, in order; never more than asked for
     * @param cut   true when text was left over after the last part
     */
    record Split(List<String> parts, boolean cut) {}

    /** Today's Slack splitting, for every platform: parts of at most {@code limit}, at most {@code maxParts}. */
    static Split split(String text, int limit, int maxParts) {
        List<String> parts = new ArrayList<>();
        String rest = text;
        boolean inFence = false;
        while (!rest.isEmpty() && parts.size() < maxParts) {
            if (inFence) rest = FENCE + "\n" + rest;
            String part;
            if (rest.length() <= limit) {
                part = rest;
                rest = "";
            } else {
                int at = cutPoint(rest, limit - FENCE_ROOM);
                part = rest.substring(0, at);
                rest = rest.substring(at);
                if (rest.startsWith("\n")) rest = rest.substring(1);
            }
            inFence = (occurrences(part, FENCE) % 2) == 1;
            if (inFence && !rest.isEmpty()) part = part + "\n" + FENCE;
            parts.add(part);
        }
        return new Split(List.copyOf(parts), !rest.isEmpty());
    }

    /** Where to cut so that the part is at most {@code max} long: a line break, else a space, else hard. */
    private static int cutPoint(String s, int max) {
        int at = s.lastIndexOf('\n', max);
        if (at < max / 2) at = s.lastIndexOf(' ', max);
        if (at < max / 2) at = max;
        int safe = safeCut(s, at);
        // Only a text of backticks or escapes from end to end leaves no safe place: cut it hard, past the
        // reopened fence, rather than loop.
        return safe > FENCE_ROOM ? safe : Math.max(FENCE_ROOM + 1, surrogateSafe(s, at));
    }

    /**
     * The largest index at most {@code at} where escaped text can be cut without splitting an
     * entity such as {@code &amp;}, a backslash escape, a run of backticks (a fence) or a surrogate pair.
     */
    static int safeCut(String escaped, int at) {
        int amp = escaped.lastIndexOf('&', at - 1);
        if (amp >= 0 && amp > at - LONGEST_ENTITY) {
            int semi = escaped.indexOf(';', amp);
            if (semi >= at && semi - amp < LONGEST_ENTITY) at = amp;
        }
        while (at > 0 && at < escaped.length() && escaped.charAt(at - 1) == '`' && escaped.charAt(at) == '`') at--;
        int slashes = 0;
        while (slashes < at && escaped.charAt(at - 1 - slashes) == '\\') slashes++;
        if (slashes % 2 == 1) at--; // the last backslash escapes the character at the cut
        return surrogateSafe(escaped, at);
    }

    private static int surrogateSafe(String s, int at) {
        return at > 0 && at < s.length() && Character.isHighSurrogate(s.charAt(at - 1)) ? at - 1 : at;
    }

    private static int occurrences(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + what.length())) n++;
        return n;
    }
}
