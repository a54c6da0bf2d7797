package dev.quorum.command;

import java.time.Duration;
import java.time.Instant;

/**
 * Times in replies, one style everywhere: a number, a space, a unit ({@code 45 s}, {@code 3 m},
 * {@code 23 h 59 m}, {@code 3 d 4 h}), the way evidence lines write durations. A reply never
 * shows an epoch number or a bare ISO timestamp. Pure.
 */
public final class Times {
    private Times() {}

    /** A length of time in its two largest units, a zero second unit left out: {@code 1 h}, {@code 1 h 30 m}, {@code 45 s}. */
    public static String span(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 60) return s + " s";
        if (s < 3600) return s / 60 + " m" + (s % 60 == 0 ? "" : " " + s % 60 + " s");
        if (s < 48 * 3600) return s / 3600 + " h" + (s % 3600 / 60 == 0 ? "" : " " + s % 3600 / 60 + " m");
        return s / 86400 + " d" + (s % 86400 / 3600 == 0 ? "" : " " + s % 86400 / 3600 + " h");
    }

    /** How long ago, in its largest unit: {@code 12 s ago}, {@code 3 m ago}, {@code 2 h ago}, {@code 5 d ago}. */
    public static String ago(Instant then, Instant now) {
        long s = Math.max(0, Duration.between(then, now).toSeconds());
        if (s < 60) return s + " s ago";
        if (s < 3600) return s / 60 + " m ago";
        if (s < 48 * 3600) return s / 3600 + " h ago";
        return s / 86400 + " d ago";
    }

    /** How long until {@code when}: {@code 23 h 59 m}; {@code 0 s} once it passed. */
    public static String until(Instant when, Instant now) {
        return span(Duration.between(now, when));
    }
}
