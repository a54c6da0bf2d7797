package dev.quorum.evidence;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Secrets this process is handed while it runs rather than at start: a GitHub App's installation tokens, minted every
 * hour. Every {@link Redactor}, wherever and whenever it was built, masks them in each line it releases from the moment
 * they are learnt: whole, URL-encoded, and as git's Basic login {@code x-access-token:<token>} in base64.
 *
 * <p>Process-wide on purpose, like the environment the start-up secrets come from: what this process holds is its own
 * secret in every log it keeps or posts, and a redactor built before the token existed (a test run's, a deploy's) must
 * not miss it. A plain replacement in each released line, not part of a redactor's matcher, so that redactors behave
 * exactly as before for every line without such a secret. Append-only; the newest {@value #KEPT} are kept (an hourly
 * token: two days), older ones have long expired. Thread-safe.
 */
public final class LearnedSecrets {
    static final int KEPT = 50;
    private static final String GIT_USER = "x-access-token:";
    /** Each learnt secret's forms, newest last. */
    private static volatile List<List<String>> forms = List.of();

    private LearnedSecrets() {}

    /** Masks {@code secret} in every redactor from now on; values shorter than {@link Redactor#MIN_SECRET_LENGTH} are not. */
    public static synchronized void learn(String secret) {
        Objects.requireNonNull(secret, "secret");
        if (secret.strip().length() < Redactor.MIN_SECRET_LENGTH || secret.lines().count() != 1) return;
        Set<String> of = new LinkedHashSet<>(List.of(secret, URLEncoder.encode(secret, StandardCharsets.UTF_8),
                Base64.getEncoder().encodeToString((GIT_USER + secret).getBytes(StandardCharsets.UTF_8))));
        if (forms.stream().anyMatch(f -> f.getFirst().equals(secret))) return;
        List<List<String>> next = new ArrayList<>(forms);
        next.add(List.copyOf(of));
        if (next.size() > KEPT) next.removeFirst();
        forms = List.copyOf(next);
    }

    /** {@code line} with every learnt secret masked, in each of its forms. */
    static String mask(String line) {
        String masked = line;
        for (List<String> secret : forms) {
            for (String form : secret) {
                if (masked.contains(form)) masked = masked.replace(form, Redactor.MASK);
            }
        }
        return masked;
    }
}
