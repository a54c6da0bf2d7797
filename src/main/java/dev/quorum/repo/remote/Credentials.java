package dev.quorum.repo.remote;

import dev.quorum.config.SecretRef;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where a remote's secret lives: {@code env:NAME} (an environment variable) or {@code file:/path} (a file, e.g. a
 * mounted secret), holding a token or {@code user:password}. Read afresh for every fetch and push, so a rotated token
 * is picked up without a restart. Only the reference is ever written anywhere (config, logs, errors); the secret
 * itself goes to the transport and to {@link #scrub}.
 *
 * @param reference the reference as configured, e.g. {@code env:APP_GIT_TOKEN}; {@code null} for a public repository
 */
record Credentials(String reference, Map<String, String> environment) {
    /** The user name sent with a bare token: what GitHub asks for, and any name does for most other servers. */
    static final String TOKEN_USER = "x-access-token";

    /** Why {@code reference} is not a reference to a secret, or empty when it is one. The reason never repeats it. */
    static Optional<String> problem(String reference) {
        if (reference == null || SecretRef.isReference(reference)) return Optional.empty();
        return Optional.of("must be env:NAME or file:/absolute/path of where the token or user:password is kept; "
                + "a secret is never written into the config");
    }

    Credentials {
        if (problem(reference).isPresent()) throw new IllegalArgumentException("not a credentials reference");
        environment = Map.copyOf(environment);
    }

    /** Only the reference: the environment holds the secret (and every other variable of the process). */
    @Override
    public String toString() {
        return "Credentials[" + reference + "]";
    }

    /** The secret now, or empty for a public repository. */
    Optional<Upstream.Login> read() throws IOException {
        if (reference == null) return Optional.empty();
        String secret = switch (new SecretRef(reference).lookup(environment::get)) {
            case SecretRef.Lookup.Found found -> found.value();
            case SecretRef.Lookup.Unset unset ->
                    throw new IOException("the environment variable " + unset.variable() + " (" + reference + ") is not set");
            case SecretRef.Lookup.NoFile noFile ->
                    throw new IOException("cannot read the credentials file of " + reference + " (NoSuchFileException)");
            case SecretRef.Lookup.Unreadable unreadable ->
                    throw new IOException("cannot read the credentials file of " + reference + " (" + unreadable.why() + ")");
            case SecretRef.Lookup.Empty empty -> throw new IOException(reference + " is empty");
        };
        int colon = secret.indexOf(':');
        return Optional.of(colon > 0 ? new Upstream.Login(secret.substring(0, colon), secret.substring(colon + 1))
                : new Upstream.Login(TOKEN_USER, secret));
    }

    /**
     * {@code text} with the login's password cut out wherever it appears, whole, URL-encoded or as a Basic auth header: the last guard
     * before a transport's message reaches a log or an error.
     */
    String scrub(String text) {
        try {
            return scrub(text, read());
        } catch (IOException e) {
            return text == null ? "" : text; // a secret that cannot be read is nothing to cut
        }
    }

    /** {@code text} with {@code login}'s password cut out, as {@link #scrub(String)}. */
    static String scrub(String text, Optional<Upstream.Login> login) {
        if (text == null) return "";
        if (login.isEmpty()) return text;
        String scrubbed = text;
        String password = login.get().password();
        String basic = java.util.Base64.getEncoder().encodeToString((login.get().user() + ":" + password).getBytes(StandardCharsets.UTF_8));
        for (String s : List.of(password, java.net.URLEncoder.encode(password, StandardCharsets.UTF_8), basic)) {
            if (s.length() >= 4) scrubbed = scrubbed.replace(s, "***");
        }
        return scrubbed;
    }
}
