package dev.quorum.request;

import java.util.Locale;
import java.util.regex.Pattern;

/** Request ids: {@code R} followed by a positive number, case-insensitive on input ({@code r7} is {@code R7}). */
public final class RequestIds {
    private static final Pattern SHAPE = Pattern.compile("[Rr][1-9][0-9]{0,17}");

    private RequestIds() {}

    public static boolean isId(String text) {
        return text != null && SHAPE.matcher(text).matches();
    }

    /** @throws IllegalArgumentException when not an id */
    public static String normalize(String text) {
        if (!isId(text)) throw new IllegalArgumentException("not a request id: " + text);
        return text.toUpperCase(Locale.ROOT);
    }

    public static long number(String id) {
        return Long.parseLong(normalize(id).substring(1));
    }

    public static String of(long number) {
        return "R" + number;
    }
}
