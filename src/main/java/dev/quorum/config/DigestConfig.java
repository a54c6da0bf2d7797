package dev.quorum.config;

import java.time.DayOfWeek;
import java.time.LocalTime;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The digest that posts itself ({@code digest [week|month]} on a schedule). Without {@code schedule} nothing is posted.
 *
 * @param schedule when: {@code "mon 09:00"} (a weekday, mon..sun) or {@code "daily 09:00"}, in {@code zone}
 * @param channel  where: {@code platform:channel}, e.g. {@code slack:C123}
 * @param period   {@code week} (default) or {@code month}: how many days it sums, up to the day before it is due
 * @param zone     the time zone of {@code schedule} (default {@code UTC}); the figures' days are UTC days
 */
public record DigestConfig(String schedule, String channel, String period, String zone) {
    private static final Pattern SCHEDULE = Pattern.compile("(mon|tue|wed|thu|fri|sat|sun|daily) ([01]\\d|2[0-3]):([0-5]\\d)");

    public DigestConfig {
        period = period == null ? "week" : period;
        zone = zone == null ? "UTC" : zone;
    }

    public static DigestConfig defaults() {
        return new DigestConfig(null, null, null, null);
    }

    /** When it is due, read from {@code schedule}; empty when none is set or it is not of the form. */
    public Optional<When> when() {
        if (schedule == null) return Optional.empty();
        Matcher m = SCHEDULE.matcher(schedule.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) return Optional.empty();
        DayOfWeek day = m.group(1).equals("daily") ? null
                : java.util.Arrays.stream(DayOfWeek.values()).filter(d -> d.name().toLowerCase(Locale.ROOT).startsWith(m.group(1))).findFirst().orElseThrow();
        return Optional.of(new When(day, LocalTime.of(Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)))));
    }

    /** @param day {@code null} for every day */
    public record When(DayOfWeek day, LocalTime at) {}
}
