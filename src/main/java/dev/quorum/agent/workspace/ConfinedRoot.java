package dev.quorum.agent.workspace;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A directory that tools may not leave. Turns the relative paths a model sends into real paths inside the directory,
 * and refuses: absolute paths, {@code ..} escapes, symbolic links (anywhere in the chain, including the parents of a
 * file about to be created) that resolve outside, and anything under {@code .git} (which may hold credentials in
 * {@code .git/config}, and whose hooks must never be written).
 *
 * <p>Immutable and safe for concurrent use. The checks run at resolve time; tools only create regular files and
 * directories, so a model cannot plant a symbolic link between check and use.
 */
public final class ConfinedRoot {

    private static final Pattern WINDOWS_ABSOLUTE = Pattern.compile("^[A-Za-z]:.*");
    private static final String GIT_DIR = ".git";

    private final Path root;
    private final String description;

    private ConfinedRoot(Path root, String description) {
        this.root = root;
        this.description = description;
    }

    /**
     * @param directory   an existing directory
     * @param description how refusals name it, e.g. "the workspace" or "the knowledge folder docs"
     * @throws IOException when the directory does not exist
     */
    public static ConfinedRoot of(Path directory, String description) throws IOException {
        Path real = directory.toRealPath();
        if (!Files.isDirectory(real)) {
            throw new NoSuchFileException(directory.toString(), null, "not a directory");
        }
        return new ConfinedRoot(real, Objects.requireNonNull(description, "description"));
    }

    /** The real path of the directory. */
    public Path root() {
        return root;
    }

    /**
     * An existing file or directory, after following every link.
     *
     * @throws PathRefusedException when the path, or where it leads, is outside
     * @throws NoSuchFileException  when nothing is there (a dangling link counts as nothing)
     */
    public Path existing(String relative) throws PathRefusedException, IOException {
        Path lexical = lexical(relative);
        if (Files.notExists(lexical, LinkOption.NOFOLLOW_LINKS)) {
            throw new NoSuchFileException(relative, null, "no such file or directory in " + description);
        }
        Path real;
        try {
            real = lexical.toRealPath();
        } catch (NoSuchFileException e) {
            throw new PathRefusedException("'" + relative + "' is a symbolic link that leads nowhere inside "
                    + description + "; it was not followed.");
        }
        if (!real.startsWith(root)) {
            throw new PathRefusedException("'" + relative + "' leads through a symbolic link to a place outside "
                    + description + "; only paths inside it are allowed.");
        }
        refuseGitDirectory(relative, root.relativize(real));
        return real;
    }

    /**
     * Where a file may be written: inside, not a symbolic link itself, and every existing parent really inside.
     * Missing parent directories are the caller's to create.
     *
     * @throws PathRefusedException when writing there would touch anything outside
     */
    public Path forWriting(String relative) throws PathRefusedException, IOException {
        Path lexical = lexical(relative);
        if (lexical.equals(root)) {
            throw new PathRefusedException("'" + relative + "' names " + description + " itself, not a file.");
        }
        if (Files.isSymbolicLink(lexical)) {
            throw new PathRefusedException("'" + relative + "' is a symbolic link; write_file does not write "
                    + "through links. Write to a regular file path inside " + description + ".");
        }
        Path ancestor = lexical.getParent();
        while (ancestor != null && Files.notExists(ancestor, LinkOption.NOFOLLOW_LINKS)) {
            ancestor = ancestor.getParent();
        }
        Path realAncestor;
        try {
            realAncestor = ancestor == null ? null : ancestor.toRealPath();
        } catch (NoSuchFileException danglingLink) {
            realAncestor = null;
        }
        if (realAncestor == null || !realAncestor.startsWith(root)) {
            throw new PathRefusedException("'" + relative + "' is in a directory that leads through a symbolic "
                    + "link to a place outside " + description + "; only paths inside it are allowed.");
        }
        if (Files.exists(lexical, LinkOption.NOFOLLOW_LINKS) && Files.isDirectory(lexical)) {
            throw new PathRefusedException("'" + relative + "' is a directory, not a file.");
        }
        Path target = realAncestor.resolve(ancestor.relativize(lexical));
        refuseGitDirectory(relative, root.relativize(target));
        return target;
    }

    /** The path as tools show it: relative to the root, with '/' separators; "." for the root itself. */
    public String display(Path path) {
        String relative = root.relativize(path).toString().replace('\\', '/');
        return relative.isEmpty() ? "." : relative;
    }

    private Path lexical(String relative) throws PathRefusedException {
        if (relative == null) {
            throw new PathRefusedException("A path is required.");
        }
        if (relative.indexOf('\0') >= 0) {
            throw new PathRefusedException("The path contains a NUL character.");
        }
        String trimmed = relative.strip();
        if (trimmed.startsWith("/") || trimmed.startsWith("\\") || trimmed.startsWith("~")
                || WINDOWS_ABSOLUTE.matcher(trimmed).matches()) {
            throw new PathRefusedException("'" + relative + "' is an absolute path; give a path relative to "
                    + description + ".");
        }
        Path resolved = root.resolve(trimmed.isEmpty() ? "." : trimmed).normalize();
        if (!resolved.startsWith(root)) {
            throw new PathRefusedException("'" + relative + "' leaves " + description
                    + " (through '..'); only paths inside it are allowed.");
        }
        return resolved;
    }

    private void refuseGitDirectory(String relative, Path inside) throws PathRefusedException {
        for (Path part : inside) {
            if (part.toString().equals(GIT_DIR)) {
                throw new PathRefusedException("'" + relative + "' is inside .git, which tools may not touch.");
            }
        }
    }
}
