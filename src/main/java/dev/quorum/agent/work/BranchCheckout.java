package dev.quorum.agent.work;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.ConfigConstants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.transport.TagOpt;
import org.eclipse.jgit.util.FileUtils;

/**
 * A coding run's own clone of a repository, checked out on the run's {@code quorum/<id>} branch, so the agent never
 * touches the repository's working tree. The branch starts at the base commit, or, when the repository already has
 * it (a run resumed after its worker died), where the earlier attempt pushed it. {@link #push} publishes the branch
 * to the repository, where {@code merge <id>} and the evidence runner find it.
 *
 * <p>Not thread-safe: one run owns it. {@link #close} deletes the clone.
 */
final class BranchCheckout implements AutoCloseable {
    private final Git git;
    private final Path dir;
    private final String repoUri;
    private final String branch;
    private final boolean continued;

    private BranchCheckout(Git git, Path dir, String repoUri, String branch, boolean continued) {
        this.git = git;
        this.dir = dir;
        this.repoUri = repoUri;
        this.branch = branch;
        this.continued = continued;
    }

    /**
     * Clones {@code repoDir} into {@code dir} (replacing what a dead attempt left there) on {@code branch}.
     *
     * @throws IOException when the repository cannot be read or {@code baseCommit} is not in it
     */
    static BranchCheckout create(Path dir, Path repoDir, String branch, String baseCommit) throws IOException {
        delete(dir);
        Files.createDirectories(dir);
        String repoUri = repoDir.toAbsolutePath().toUri().toString();
        Git git = null;
        try {
            git = Git.init().setDirectory(dir.toFile()).setInitialBranch("quorum-unborn").call();
            // No automatic gc: JGit would start it detached, racing the deletion of the clone.
            StoredConfig config = git.getRepository().getConfig();
            config.setInt(ConfigConstants.CONFIG_GC_SECTION, null, ConfigConstants.CONFIG_KEY_AUTO, 0);
            config.setBoolean(ConfigConstants.CONFIG_GC_SECTION, null, ConfigConstants.CONFIG_KEY_AUTODETACH, false);
            config.save();
            git.fetch().setRemote(repoUri).setRefSpecs(new RefSpec("+refs/heads/*:refs/remotes/origin/*"))
                    .setTagOpt(TagOpt.NO_TAGS).call();
            Repository repository = git.getRepository();
            if (!repository.getObjectDatabase().has(ObjectId.fromString(baseCommit))) {
                throw new IOException("commit " + baseCommit + " is not in " + repoDir);
            }
            ObjectId pushed = repository.resolve("refs/remotes/origin/" + branch);
            git.checkout().setCreateBranch(true).setName(branch)
                    .setStartPoint(pushed == null ? baseCommit : pushed.name()).call();
            return new BranchCheckout(git, dir, repoUri, branch, pushed != null);
        } catch (GitAPIException | RuntimeException e) {
            if (git != null) git.close();
            delete(dir);
            throw new IOException("could not clone " + repoDir + " on " + branch + ": " + e.getMessage(), e);
        }
    }

    Path dir() {
        return dir;
    }

    /** True when the branch already existed in the repository: this run continues an earlier attempt's work. */
    boolean continued() {
        return continued;
    }

    /**
     * Publishes the branch's commits to the repository. Never forced: a run only adds to what it fetched.
     *
     * @throws IOException when the repository refuses the update
     */
    void push() throws IOException {
        RefSpec spec = new RefSpec("refs/heads/" + branch + ":refs/heads/" + branch);
        try {
            for (PushResult result : git.push().setRemote(repoUri).setRefSpecs(spec).call()) {
                for (RemoteRefUpdate update : result.getRemoteUpdates()) {
                    if (update.getStatus() != RemoteRefUpdate.Status.OK
                            && update.getStatus() != RemoteRefUpdate.Status.UP_TO_DATE) {
                        throw new IOException("the repository refused " + branch + ": " + update.getStatus()
                                + (update.getMessage() == null ? "" : " (" + update.getMessage() + ")"));
                    }
                }
            }
        } catch (GitAPIException e) {
            throw new IOException("could not push " + branch + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() throws IOException {
        git.close();
        delete(dir);
    }

    private static void delete(Path dir) throws IOException {
        FileUtils.delete(dir.toFile(), FileUtils.RECURSIVE | FileUtils.SKIP_MISSING | FileUtils.RETRY);
    }
}
