package dev.quorum.chat.slack;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts escaped Slack text into parts of at most {@code limit} characters, at a line break where
 * one is near, never inside an {@code &amp;}-style entity or a surrogate pair, and closes a
 * {@code ```} block at the end of a part and reopens it in the next, so code stays code. Pure.
 */
final class TextSplitter {
    private static final String FENCE = "```";
    /** Room kept in every cut part for the closing {@code \n```}. */
    private static final int FENCE_ROOM = FENCE.length() + 1;

    /**
     * @param parts the parts, in order; never more than asked for
     * @param cut   true when text was left over after the last part
     */
    record Split(List<String> parts, boolean cut) {}

    private TextSplitter() {}

    static Split split(String text, int limit, int maxParts) {
        if (limit <= 2 * FENCE_ROOM) throw new IllegalArgumentException("limit too small: " + limit);
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
        return SlackText.safeCut(s, at);
    }

    private static int occurrences(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + what.length())) n++;
        return n;
    }
}
