package dev.quorum.evidence;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.ConfigConstants;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.TagOpt;
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
 * A private copy of a repository checked out, detached, at exactly one commit, with its own
 * {@code home} and {@code tmp} beside the checkout. The source repository is only read.
 *
 * <p>Layout: {@code <root>/<repo>-<sha7>-<random>/{checkout,home,tmp,sandbox}}. Not thread-safe; one
 * run owns it, and {@link #close()} deletes it.
 */
public final class Workspace implements AutoCloseable {

    /** Every ref of the source lands here, so a commit only a non-branch ref reaches is found too. */
    private static final RefSpec ALL_SOURCE_REFS = new RefSpec("+refs/*:refs/quorum-source/*");

    private static final Logger LOG = LoggerFactory.getLogger(Workspace.class);

    private final Path dir;

    private Workspace(Path dir) {
        this.dir = dir;
    }

    /**
     * Copies {@code repoDir} into a fresh directory under {@code root} and checks out {@code commit}.
     *
     * @throws WorkspaceException when the repository cannot be read, the commit is not in it, or
     *                            HEAD does not end up at the commit; nothing is left behind
     */
    public static Workspace create(Path root, String repo, Path repoDir, String commit) throws WorkspaceException {
        Path dir = root.resolve(repo + "-" + commit.substring(0, 7) + "-" + UUID.randomUUID().toString().substring(0, 8));
        Workspace workspace = new Workspace(dir);
        try {
            Files.createDirectories(workspace.home());
            Files.createDirectories(workspace.tmp());
            checkOut(repo, repoDir, commit, workspace.checkout());
            return workspace;
        } catch (IOException | GitAPIException | RuntimeException e) {
            workspace.close();
            throw new WorkspaceException("could not check out " + commit.substring(0, 7) + " of repo " + repo
                    + ": " + e.getMessage(), e);
        } catch (WorkspaceException e) {
            workspace.close();
            throw e;
        }
    }

    private static void checkOut(String repo, Path repoDir, String commit, Path checkout)
            throws GitAPIException, IOException, WorkspaceException {
        try (Git git = Git.init().setDirectory(checkout.toFile()).setInitialBranch("quorum").call()) {
            // No gc after the fetch. JGit starts a detached gc task (taking gc.log.lock) even when
            // there is nothing to do, and it would race the deletion of the workspace.
            StoredConfig config = git.getRepository().getConfig();
            config.setInt(ConfigConstants.CONFIG_GC_SECTION, null, ConfigConstants.CONFIG_KEY_AUTO, 0);
            config.setBoolean(ConfigConstants.CONFIG_GC_SECTION, null, ConfigConstants.CONFIG_KEY_AUTODETACH, false);
            config.save();
            git.fetch().setRemote(repoDir.toUri().toString()).setRefSpecs(ALL_SOURCE_REFS)
                    .setTagOpt(TagOpt.NO_TAGS).call();
            Repository repository = git.getRepository();
            ObjectId id = ObjectId.fromString(commit);
            if (!repository.getObjectDatabase().has(id)) {
                throw new WorkspaceException("commit " + commit + " not found in repo " + repo);
            }
            git.checkout().setName(commit).call();
            ObjectId head = repository.resolve(Constants.HEAD);
            if (!id.equals(head) || !commit.equals(repository.getFullBranch())) {
                throw new WorkspaceException("workspace HEAD is " + head + " after checking out " + commit);
            }
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
