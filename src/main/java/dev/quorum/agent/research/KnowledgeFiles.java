package dev.quorum.agent.research;

import dev.quorum.agent.search.KnowledgeFolder;
import dev.quorum.agent.workspace.ConfinedRoot;
import dev.quorum.agent.workspace.PathRefusedException;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The knowledge folders as one read-only tree: {@code docs/guide.md} is {@code guide.md} in folder {@code docs}.
 * Each folder is a {@link ConfinedRoot}; hidden files ({@code .env}, ...) are refused besides. Immutable and safe for
 * concurrent use.
 */
public final class KnowledgeFiles {

    private final Map<String, ConfinedRoot> roots;

    private KnowledgeFiles(Map<String, ConfinedRoot> roots) {
        this.roots = roots;
    }

    /** Folders that do not exist are left out (and so cannot be read). */
    public static KnowledgeFiles of(List<KnowledgeFolder> folders) {
        Map<String, ConfinedRoot> roots = new LinkedHashMap<>();
        for (KnowledgeFolder folder : folders) {
            try {
                roots.put(folder.name(), ConfinedRoot.of(folder.directory(), "the knowledge folder " + folder.name()));
            } catch (IOException missing) {
                // a missing folder has nothing to read; the index logs it
            }
        }
        return new KnowledgeFiles(Map.copyOf(roots));
    }

    /**
     * A file found in a knowledge folder.
     *
     * @param locator its canonical path as search_docs shows it, e.g. {@code docs/guide.md}
     * @param file    its real path
     */
    public record Found(String locator, Path file) {
    }

    /**
     * The real file for {@code path}.
     *
     * @throws PathRefusedException when it names no folder, leaves its folder, or is hidden
     * @throws NoSuchFileException  when nothing is there
     */
    public Found resolve(String path) throws PathRefusedException, IOException {
        String p = path == null ? "" : path.strip();
        if (p.startsWith("/") || p.startsWith("\\")) {
            throw new PathRefusedException("'" + path + "' is an absolute path; give a path such as "
                    + example() + " as search_docs shows it.");
        }
        int slash = p.indexOf('/');
        String folder = slash < 0 ? p : p.substring(0, slash);
        ConfinedRoot root = roots.get(folder);
        if (root == null) {
            throw new PathRefusedException("'" + path + "' is not in a knowledge folder; paths start with one of: "
                    + String.join(", ", roots.keySet().stream().sorted().toList()) + ".");
        }
        String inside = slash < 0 ? "." : p.substring(slash + 1);
        for (String part : inside.split("/")) {
            if (part.startsWith(".") && !part.equals(".") && !part.equals("..")) {
                throw new PathRefusedException("'" + path + "' is a hidden file; hidden files are not readable.");
            }
        }
        Path file = root.existing(inside);
        return new Found(folder + "/" + root.display(file), file);
    }

    private String example() {
        return roots.keySet().stream().sorted().findFirst().map(f -> "'" + f + "/README.md'").orElse("'docs/README.md'");
    }
}
