package dev.quorum.agent.search;

import java.nio.file.Path;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A folder the research agent may search and read, shown to the model under a short name: file
 * {@code guide.md} of folder {@code docs} is {@code docs/guide.md}.
 *
 * @param name      one path segment: letters, digits, '.', '_' or '-'
 * @param directory the folder
 */
public record KnowledgeFolder(String name, Path directory) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]*");

    public KnowledgeFolder {
        Objects.requireNonNull(directory, "directory");
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("knowledge folder name '" + name
                    + "' must be one path segment of letters, digits, '.', '_' or '-'");
        }
    }
}
