package dev.quorum.github;

import dev.quorum.config.ConfigException;
import dev.quorum.config.SecretRef;

import java.util.function.Function;

/**
 * GitHub's secrets ({@code github.token}, {@code github.webhook_secret}) resolved once at start-up
 * from their {@link SecretRef}: a missing one is a config error that names the key and the
 * reference; the value never appears in any message.
 */
final class SecretReference {
    private SecretReference() {}

    static String resolve(String key, String reference, Function<String, String> env) {
        return switch (new SecretRef(reference).lookup(env)) {
            case SecretRef.Lookup.Found found -> found.value();
            case SecretRef.Lookup.Unset unset -> throw new ConfigException(key, reference, "the environment variable is not set");
            case SecretRef.Lookup.NoFile noFile -> throw new ConfigException(key, reference, "no such file");
            case SecretRef.Lookup.Unreadable unreadable -> throw new ConfigException(key, reference, "cannot be read: " + unreadable.why());
            case SecretRef.Lookup.Empty empty -> throw new ConfigException(key, reference, "the file is empty");
        };
    }
}
