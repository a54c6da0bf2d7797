package dev.quorum.repo;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.diff.DiffFormatter;
import org.eclipse.jgit.diff.RawTextComparator;
import org.eclipse.jgit.dircache.DirCacheIterator;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.CanonicalTreeParser;
import org.eclipse.jgit.util.FileUtils;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A git working directory of Quorum's own (made by {@link RepoHost#checkout}) that a coding run edits
 * and commits in: the local half of the agent's work, whose commits {@link RepoHost#pushBranch}
 * publishes. Commits never run hooks and are never signed.
 *
 * <p>Not safe for concurrent use: one run owns it. Git failures surface as {@link IOException}s with git's message.
 */
public final class WorkingCopy implements AutoCloseable {
    private final Git git;

    private WorkingCopy(Git git) {
        this.git = git;
    }

    /** The working directory at {@code dir}. */
    public static WorkingCopy open(Path dir) throws IOException {
        return new WorkingCopy(Git.open(dir.toFile()));
    }

    /** Deletes a working copy's directory and everything in it (git's read-only pack files too); absent is fine. */
    public static void delete(Path dir) throws IOException {
        FileUtils.delete(dir.toFile(), FileUtils.RECURSIVE | FileUtils.SKIP_MISSING | FileUtils.RETRY);
    }

    /** Creates {@code branch} at the checked-out commit and checks it out. */
    public void startBranch(String branch) throws IOException {
        try {
            git.checkout().setCreateBranch(true).setName(branch).call();
        } catch (GitAPIException e) {
            throw new IOException("could not start branch " + branch + ": " + e.getMessage(), e);
        }
    }

    /** The checked-out branch's short name, or empty when HEAD is detached. */
    public Optional<String> branch() throws IOException {
        String full = git.getRepository().getFullBranch();
        return full != null && full.startsWith("refs/heads/") ? Optional.of(Repository.shortenRefName(full)) : Optional.empty();
    }

    public Path root() {
        return git.getRepository().getWorkTree().toPath();
    }

    /** The commit {@code ref} (a SHA or a ref such as {@code main}) names here, if it names one. */
    public Optional<Sha> commitOf(String ref) throws IOException {
        ObjectId id = git.getRepository().resolve(ref + "^{commit}");
        return id == null ? Optional.empty() : Optional.of(new Sha(id.name()));
    }

    /** Stages every change (new, modified, deleted files) and commits it; empty when there was nothing to commit. */
    public Optional<Sha> commitAll(String message, String name, String email) throws IOException {
        try {
            stageAll();
            if (git.status().call().isClean()) return Optional.empty();
            PersonIdent who = new PersonIdent(name, email);
            RevCommit commit = git.commit().setMessage(message).setAuthor(who).setCommitter(who).setSign(false).setNoVerify(true).call();
            return Optional.of(new Sha(commit.name()));
        } catch (GitAPIException e) {
            throw new IOException("git commit failed: " + e.getMessage(), e);
        }
    }

    /** The counts of the committed change from {@code base} to {@code head} (uncommitted changes are not counted). */
    public DiffStat diffStat(Sha base, Sha head) throws IOException {
        return GitRepos.diff(git.getRepository(), base, head);
    }

    /**
     * The unified diff of everything in the working directory (committed or not) against {@code base}. Stages all
     * changes to see new files, which is harmless: the run ends by committing them anyway.
     *
     * @param maxChars the diff is cut here, with a note saying so
     */
    public String diffText(Sha base, int maxChars) throws IOException {
        try {
            stageAll();
        } catch (GitAPIException e) {
            throw new IOException("git add failed: " + e.getMessage(), e);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Repository repository = git.getRepository();
        try (ObjectReader reader = repository.newObjectReader(); RevWalk walk = new RevWalk(reader);
             DiffFormatter formatter = new DiffFormatter(out)) {
            formatter.setRepository(repository);
            formatter.setDiffComparator(RawTextComparator.DEFAULT);
            CanonicalTreeParser tree = new CanonicalTreeParser();
            tree.reset(reader, walk.parseCommit(ObjectId.fromString(base.hex())).getTree());
            formatter.format(tree, new DirCacheIterator(repository.readDirCache()));
        }
        String diff = out.toString(StandardCharsets.UTF_8);
        if (diff.length() <= maxChars) return diff;
        return diff.substring(0, maxChars) + "\n… [diff cut at " + maxChars + " of " + diff.length() + " characters]";
    }

    @Override
    public void close() {
        git.close();
    }

    private void stageAll() throws GitAPIException {
        git.add().addFilepattern(".").setAll(true).call();
        git.add().addFilepattern(".").setUpdate(true).call();
    }
}
