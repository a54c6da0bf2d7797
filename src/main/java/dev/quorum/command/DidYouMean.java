package dev.quorum.command;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * "Did you mean" for typos of commands, repos, refs, environments and request ids. Only a real
 * near-miss is suggested: one edit away for words of up to five letters (a swapped pair of
 * letters counts as one, so {@code tset} is {@code test}), two for longer ones, or the start of exactly that word
 * ({@code hist} for {@code history}). A far guess would send people the wrong way. Pure.
 */
public final class DidYouMean {
    /** Ids longer than this get no hint: nobody mistypes an 18-digit id by one digit. */
    private static final int MAX_ID_DIGITS = 8;
    /** Longer words are no typo of a name, and comparing them costs time in proportion. */
    private static final int MAX_WORD = 64;

    private DidYouMean() {}

    /** The candidate closest to {@code typed}, when it is a near-miss and not {@code typed} itself. */
    public static Optional<String> among(String typed, Collection<String> candidates) {
        if (typed.isEmpty() || typed.length() > MAX_WORD) return Optional.empty();
        String t = typed.toLowerCase(Locale.ROOT);
        int allowed = t.length() <= 5 ? 1 : 2;
        return candidates.stream()
                .filter(c -> !c.equalsIgnoreCase(typed) && c.length() <= MAX_WORD)
                .map(c -> new Scored(c, distance(t, c.toLowerCase(Locale.ROOT))))
                .filter(s -> s.distance() <= allowed || (t.length() >= 3 && s.candidate().toLowerCase(Locale.ROOT).startsWith(t)))
                .min(Comparator.comparingInt(Scored::distance).thenComparing(Scored::candidate))
                .map(Scored::candidate);
    }

    /** {@code " Did you mean `test`?"}, or nothing when no candidate is near. */
    public static String hint(String typed, Collection<String> candidates) {
        return among(typed, candidates).map(c -> " Did you mean `" + c + "`?").orElse("");
    }

    /**
     * The ids one slip away from {@code id} (a digit too many, two digits swapped), for which
     * {@code exists} holds, at most two: {@code R99} gives {@code R9}.
     */
    public static List<String> requestIds(String id, java.util.function.Predicate<String> exists) {
        String digits = id.substring(1);
        if (digits.length() > MAX_ID_DIGITS) return List.of();
        List<String> near = new ArrayList<>();
        for (int i = 0; i < digits.length(); i++) {
            near.add(digits.substring(0, i) + digits.substring(i + 1));
            if (i + 1 < digits.length()) {
                near.add(digits.substring(0, i) + digits.charAt(i + 1) + digits.charAt(i) + digits.substring(i + 2));
            }
        }
        return near.stream().filter(d -> !d.isEmpty() && d.charAt(0) != '0' && !d.equals(digits)).distinct()
                .map(d -> "R" + d).filter(exists).limit(2).toList();
    }

    /** Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) d[i][0] = i;
        for (int j = 0; j <= b.length(); j++) d[0][j] = j;
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    private record Scored(String candidate, int distance) {}
}
