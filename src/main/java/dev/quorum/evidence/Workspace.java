package dev.quorum.evidence;

import dev.quorum.repo.CommitNotFoundException;
import dev.quorum.repo.RepoHost;
import dev.quorum.repo.Sha;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.UUID;

/**
 * A private copy of a repository checked out, detached, at exactly one commit ({@link RepoHost#checkout}),
 * with its own {@code home} and {@code tmp} beside the checkout. The source repository is only read.
 *
 * <p>Layout: {@code <root>/<repo>-<sha7>-<random>/{checkout,home,tmp,sandbox}}. Not thread-safe; one
 * run owns it, and {@link #close()} deletes it.
 */
public final class Workspace implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Workspace.class);

    private final Path dir;

    private Workspace(Path dir) {
        this.dir = dir;
    }

    /**
     * Checks out {@code commit} of {@code host}'s repository into a fresh directory under {@code root}.
     *
     * @throws WorkspaceException when the repository cannot be read, the commit is not in it, or
     *                            HEAD does not end up at the commit; nothing is left behind
     */
    public static Workspace create(Path root, RepoHost host, Sha commit) throws WorkspaceException {
        String repo = host.name();
        Path dir = root.resolve(repo + "-" + commit.abbrev() + "-" + UUID.randomUUID().toString().substring(0, 8));
        Workspace workspace = new Workspace(dir);
        try {
            Files.createDirectories(workspace.home());
            Files.createDirectories(workspace.tmp());
            host.checkout(commit, workspace.checkout());
            return workspace;
        } catch (CommitNotFoundException e) {
            workspace.close();
            throw new WorkspaceException(e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            workspace.close();
            throw new WorkspaceException("could not check out " + commit.abbrev() + " of repo " + repo
                    + ": " + e.getMessage(), e);
        }
    }

    /** The checked-out tree: where the command runs and report globs start. */
    public Path checkout() {
        return dir.resolve("checkout");
    }

    /** The command's {@code HOME}. */
    public Path home() {
        return dir.resolve("home");
    }

    /** The command's {@code TMPDIR}. */
    public Path tmp() {
        return dir.resolve("tmp");
    }

    /** The sandbox's own files for this run (never the command's to see as such). */
    public Path scratch() {
        return dir.resolve("sandbox");
    }

    Path dir() {
        return dir;
    }

    /**
     * Deletes the workspace; links are removed, never followed. A failure is logged, not thrown.
     */
    @Override
    public void close() {
        if (!Files.exists(dir)) {
            return;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                    d.toFile().setWritable(true); // a test may leave read-only directories
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                    // a directory nobody may list (an overlay's work folder is made mode 000): open it, go again
                    if (Files.isDirectory(file, java.nio.file.LinkOption.NOFOLLOW_LINKS) && file.toFile().setReadable(true)
                            && file.toFile().setExecutable(true) && file.toFile().setWritable(true)) {
                        Files.walkFileTree(file, this);
                        return FileVisitResult.CONTINUE;
                    }
                    throw e;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // a leftover directory costs disk, not correctness: the evidence stands
            LOG.warn("could not delete workspace {}: {}", dir, e.toString());
            LOG.debug("could not delete workspace {}", dir, e);
        }
    }
}
