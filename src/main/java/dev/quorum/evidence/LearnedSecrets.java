package dev.quorum.evidence;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Secrets this process is handed while it runs rather than at start: a GitHub App's installation tokens, minted every
 * hour. Every {@link Redactor}, wherever and whenever it was built, masks them too, in each text or stream it is given
 * from the moment the secret is learnt.
 *
 * <p>Process-wide on purpose, like the environment the start-up secrets come from: what this process holds is its own
 * secret in every log it keeps or posts, and a redactor built before the token existed (a test run's, a deploy's)
 * must not miss it. Append-only; the newest {@value #KEPT} are kept (an hourly token: over a week), older ones have
 * long expired. Thread-safe.
 */
public final class LearnedSecrets {
    static final int KEPT = 200;
    private static volatile List<String> values = List.of();

    private LearnedSecrets() {}

    /** Masks {@code secret} in every redactor from now on; values shorter than {@link Redactor#MIN_SECRET_LENGTH} are not. */
    public static synchronized void learn(String secret) {
        Objects.requireNonNull(secret, "secret");
        if (secret.strip().length() < Redactor.MIN_SECRET_LENGTH || values.contains(secret)) return;
        List<String> next = new ArrayList<>(values);
        next.add(secret);
        if (next.size() > KEPT) next.removeFirst();
        values = List.copyOf(next);
    }

    /** What has been learnt, oldest first. */
    static List<String> values() {
        return values;
    }
}
