package dev.quorum.agent.research;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** How a file's text is quoted: prose as text, anything else as code, fenced with its language. By file name. */
sealed interface Form {

    /** Markdown and plain text: quoted by the sentence and the paragraph. */
    record Prose() implements Form {
    }

    /**
     * Source code, configuration, markup: quoted by the line, in a fence.
     *
     * @param language the fence's info string, e.g. {@code java}; empty when unknown
     */
    record Code(String language) implements Form {
    }

    Set<String> PROSE_EXTENSIONS = Set.of("md", "markdown", "txt", "rst", "adoc", "org");
    Set<String> PROSE_NAMES = Set.of("README", "CHANGELOG", "LICENSE", "NOTICE", "CONTRIBUTING");
    Map<String, String> LANGUAGES = Map.ofEntries(
            Map.entry("kt", "kotlin"), Map.entry("py", "python"), Map.entry("js", "javascript"),
            Map.entry("ts", "typescript"), Map.entry("rs", "rust"), Map.entry("h", "c"), Map.entry("hpp", "cpp"),
            Map.entry("cs", "csharp"), Map.entry("rb", "ruby"), Map.entry("sh", "bash"), Map.entry("yml", "yaml"),
            Map.entry("gradle", "groovy"), Map.entry("htm", "html"));

    static Form of(String path) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        int dot = name.lastIndexOf('.');
        if (dot < 0) {
            return PROSE_NAMES.contains(name) ? new Prose() : new Code(language(name.toLowerCase(Locale.ROOT)));
        }
        String extension = name.substring(dot + 1).toLowerCase(Locale.ROOT);
        return PROSE_EXTENSIONS.contains(extension) ? new Prose() : new Code(language(extension));
    }

    /** The fence's info string for a file extension ({@code Makefile}: its name); empty for a strange one. */
    private static String language(String extension) {
        return LANGUAGES.getOrDefault(extension, extension.matches("[a-z0-9+#-]{1,20}") ? extension : "");
    }
}
