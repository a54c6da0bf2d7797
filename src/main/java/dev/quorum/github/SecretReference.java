package dev.quorum.github;

import dev.quorum.config.ConfigException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * Resolves a config reference to a secret at start-up: {@code env:NAME} or {@code file:/path}
 * (the file's text, surrounding white space dropped). A missing one is a config error that names the
 * key and the reference; the value never appears in any message.
 */
final class SecretReference {
    private SecretReference() {}

    static String resolve(String key, String reference, Function<String, String> env) {
        String value;
        if (reference.startsWith("env:")) {
            value = env.apply(reference.substring(4));
            if (value == null || value.isBlank()) throw new ConfigException(key, reference, "the environment variable is not set");
        } else {
            Path file = Path.of(reference.substring(5));
            try {
                value = Files.readString(file).strip();
            } catch (NoSuchFileException e) {
                throw new ConfigException(key, reference, "no such file");
            } catch (IOException e) {
                throw new ConfigException(key, reference, "cannot be read: " + e.getClass().getSimpleName());
            }
            if (value.isEmpty()) throw new ConfigException(key, reference, "the file is empty");
        }
        return value;
    }
}
