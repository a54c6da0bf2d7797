package dev.quorum.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a secret is kept, as the config writes it: {@code env:NAME} (an environment variable) or
 * {@code file:/absolute/path} (a file, e.g. a mounted secret). The config holds only this
 * reference, never the secret: a secret in the config text ends up in backups, diffs and error
 * messages. One grammar and one way of reading for every secret Quorum is given (GitHub's token
 * and webhook secret, a git remote's credentials); each caller words its own errors.
 *
 * @param text the reference as configured; safe to print
 */
public record SecretRef(String text) {
    private static final Pattern ENV = Pattern.compile("env:([A-Za-z_][A-Za-z0-9_]*)");
    private static final Pattern FILE = Pattern.compile("file:(/.+)");

    public SecretRef {
        // The text may be a pasted secret: the message never repeats it.
        if (!isReference(text)) throw new IllegalArgumentException("not env:NAME or file:/absolute/path");
    }

    /** True for {@code env:NAME} and {@code file:/absolute/path}. */
    public static boolean isReference(String text) {
        return text != null && (ENV.matcher(text).matches() || FILE.matcher(text).matches());
    }

    /** What looking the secret up found. */
    public sealed interface Lookup {
        /** The secret, surrounding white space (a file's last line break) dropped. */
        record Found(String value) implements Lookup {
            @Override
            public String toString() {
                return "Found[***]";
            }
        }

        /** The environment variable is not set, or blank. */
        record Unset(String variable) implements Lookup {}

        /** There is no such file. */
        record NoFile(Path file) implements Lookup {}

        /** The file is there but cannot be read; {@code why} names the error's kind, not its text. */
        record Unreadable(Path file, String why) implements Lookup {}

        /** The variable or file holds nothing but white space. */
        record Empty() implements Lookup {}
    }

    /** Looks the secret up now (a rotated file or variable is read afresh every time). */
    public Lookup lookup(Function<String, String> environment) {
        Matcher env = ENV.matcher(text);
        if (env.matches()) {
            String value = environment.apply(env.group(1));
            return value == null || value.isBlank() ? new Lookup.Unset(env.group(1)) : new Lookup.Found(value.strip());
        }
        Matcher fileRef = FILE.matcher(text);
        if (!fileRef.matches()) throw new IllegalStateException("checked in the constructor");
        Path file = Path.of(fileRef.group(1));
        String value;
        try {
            value = Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (NoSuchFileException e) {
            return new Lookup.NoFile(file);
        } catch (IOException e) {
            return new Lookup.Unreadable(file, e.getClass().getSimpleName());
        }
        return value.isEmpty() ? new Lookup.Empty() : new Lookup.Found(value);
    }

    /** The environment variable this reference names, if it names one. */
    public java.util.Optional<String> variable() {
        Matcher env = ENV.matcher(text);
        return env.matches() ? java.util.Optional.of(env.group(1)) : java.util.Optional.empty();
    }

    @Override
    public String toString() {
        return text;
    }
}
