package dev.quorum.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the size syntax used in the config: {@code 512m}, {@code 4g}, {@code 4GiB}, {@code 1048576} (bytes). */
public final class Sizes {
    private static final Pattern SHAPE = Pattern.compile("(\\d{1,12})\\s*([kmgt]?)i?b?", Pattern.CASE_INSENSITIVE);

    private Sizes() {}

    /** @throws IllegalArgumentException when the text is not a size */
    public static long parse(String text) {
        Matcher m = SHAPE.matcher(text == null ? "" : text.trim());
        if (!m.matches()) throw new IllegalArgumentException("not a size (use e.g. 512m, 4g)");
        long n = Long.parseLong(m.group(1));
        int shift = switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            case "t" -> 40;
            default -> 0;
        };
        if (shift > 0 && n > (Long.MAX_VALUE >> shift)) throw new IllegalArgumentException("too large");
        return n << shift;
    }

    /** {@code 4 GiB}, {@code 512 MiB}: as people read a configured size. */
    public static String format(long bytes) {
        String[] units = {"bytes", "KiB", "MiB", "GiB", "TiB"};
        int unit = 0;
        long value = bytes;
        while (unit < units.length - 1 && value >= 1024 && value % 1024 == 0) {
            value /= 1024;
            unit++;
        }
        return value + " " + units[unit];
    }
}
