package dev.quorum.repo;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The full name of a git object: exactly 40 lower-case hex digits, checked at construction, so a
 * {@code Sha} is never an abbreviation, a ref name or user input that slipped through.
 *
 * @param hex the 40 hex digits
 */
public record Sha(String hex) {
    private static final Pattern FULL = Pattern.compile("[0-9a-f]{40}");
    /** How many digits people are shown, as {@code git log --oneline} does. */
    public static final int ABBREV = 7;

    public Sha {
        Objects.requireNonNull(hex, "hex");
        if (!FULL.matcher(hex).matches()) {
            String shown = hex.length() <= 60 ? hex : hex.substring(0, 60) + "…";
            throw new IllegalArgumentException("not a full lower-case SHA: '" + shown + "'");
        }
    }

    /** The SHA {@code hex} is, or empty when it is not 40 lower-case hex digits. */
    public static Optional<Sha> parse(String hex) {
        return hex != null && FULL.matcher(hex).matches() ? Optional.of(new Sha(hex)) : Optional.empty();
    }

    /** {@code null} stays {@code null}: for SHAs stored as optional strings. */
    public static Sha ofNullable(String hex) {
        return hex == null ? null : new Sha(hex);
    }

    /**
     * The first {@value #ABBREV} characters of a SHA kept as text (a stored record's), all of it when
     * shorter: for texts read back from storage, which are shown, never trusted.
     */
    public static String abbrev(String hex) {
        return hex.length() > ABBREV ? hex.substring(0, ABBREV) : hex;
    }

    /** The first {@value #ABBREV} digits, as people see a commit. */
    public String abbrev() {
        return hex.substring(0, ABBREV);
    }

    /** The full 40 digits, so a {@code Sha} can stand where a SHA string stood. */
    @Override
    public String toString() {
        return hex;
    }
}
