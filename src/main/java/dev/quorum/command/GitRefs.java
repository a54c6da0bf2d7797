package dev.quorum.command;

import java.util.regex.Pattern;

/**
 * What a user may type as a git ref: branch and tag names and (abbreviated) SHAs, following the
 * rules of {@code git check-ref-format}. Anything else, shell metacharacters included, is refused
 * before it goes anywhere.
 */
public final class GitRefs {
    private static final Pattern CHARS = Pattern.compile("[A-Za-z0-9._/+@-]{1,200}");

    private GitRefs() {}

    public static boolean isPlausible(String ref) {
        if (ref == null || !CHARS.matcher(ref).matches()) return false;
        if (ref.startsWith("-") || ref.startsWith("/") || ref.startsWith(".")) return false;
        if (ref.endsWith("/") || ref.endsWith(".") || ref.endsWith(".lock")) return false;
        if (ref.contains("..") || ref.contains("//") || ref.contains("@{") || ref.contains("/.")) return false;
        return !ref.equals("@");
    }
}
