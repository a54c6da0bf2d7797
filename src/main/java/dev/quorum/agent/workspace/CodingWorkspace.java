package dev.quorum.agent.workspace;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.diff.DiffEntry;
import org.eclipse.jgit.diff.DiffFormatter;
import org.eclipse.jgit.diff.Edit;
import org.eclipse.jgit.diff.RawTextComparator;
import org.eclipse.jgit.dircache.DirCacheIterator;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.AbstractTreeIterator;
import org.eclipse.jgit.treewalk.CanonicalTreeParser;

/**
 * A git working directory on a {@code quorum/<id>} branch where a coding run works: its files (through a
 * {@link ConfinedRoot}), its diff against the commit the branch started from, and commits of the work.
 *
 * <p>One run owns a workspace at a time: not safe for concurrent use. Git failures surface as {@link IOException}s
 * with git's message. Commits never run hooks and are never signed.
 */
public final class CodingWorkspace implements AutoCloseable {

    /** Branches a run may commit on; anything else (main, a feature branch) is refused at open. */
    public static final String BRANCH_PREFIX = "quorum/";

    private final Git git;
    private final ConfinedRoot files;
    private final ObjectId base;
    private final String branch;
    private final PersonIdent committer;

    private CodingWorkspace(Git git, ConfinedRoot files, ObjectId base, String branch, PersonIdent committer) {
        this.git = git;
        this.files = files;
        this.base = base;
        this.branch = branch;
        this.committer = committer;
    }

    /**
     * Opens the working directory {@code directory}, checked out on a {@code quorum/...} branch.
     *
     * @param baseRef the commit the branch started from (a SHA or a ref such as {@code main}); resolved now, so a
     *                later move of that ref does not change the diff
     * @throws IllegalArgumentException when the checkout is not on a {@code quorum/} branch
     * @throws IOException              when it is not a git working directory, or {@code baseRef} does not resolve
     */
    public static CodingWorkspace open(Path directory, String baseRef, Committer committer) throws IOException {
        Git git = Git.open(directory.toFile());
        try {
            Repository repository = git.getRepository();
            String branch = repository.getBranch();
            if (branch == null || !branch.startsWith(BRANCH_PREFIX)) {
                throw new IllegalArgumentException("the coding workspace " + directory + " is on '" + branch
                        + "'; runs only commit on " + BRANCH_PREFIX + "<id> branches");
            }
            ObjectId base = repository.resolve(baseRef + "^{commit}");
            if (base == null) {
                throw new IOException("base '" + baseRef + "' does not name a commit in " + directory);
            }
            ConfinedRoot files = ConfinedRoot.of(repository.getWorkTree().toPath(), "the workspace");
            return new CodingWorkspace(git, files, base, branch,
                    new PersonIdent(committer.name(), committer.email()));
        } catch (RuntimeException | IOException e) {
            git.close();
            throw e;
        }
    }

    public ConfinedRoot files() {
        return files;
    }

    public String branch() {
        return branch;
    }

    public String baseCommit() {
        return base.name();
    }

    /** The branch's current commit. */
    public String headCommit() throws IOException {
        ObjectId head = git.getRepository().resolve("HEAD");
        return head == null ? base.name() : head.name();
    }

    /**
     * Stages every change (new, modified, deleted files) and commits it on the branch.
     *
     * @return the new commit's SHA, or empty when there was nothing to commit
     */
    public Optional<String> commitAll(String message) throws IOException {
        try {
            stageAll();
            if (git.status().call().isClean()) {
                return Optional.empty();
            }
            RevCommit commit = git.commit()
                    .setMessage(message)
                    .setAuthor(committer)
                    .setCommitter(committer)
                    .setSign(false)
                    .setNoVerify(true)
                    .call();
            return Optional.of(commit.name());
        } catch (GitAPIException e) {
            throw new IOException("git commit failed: " + e.getMessage(), e);
        }
    }

    /** Per-file line counts of the branch's commits against the base (uncommitted changes are not counted). */
    public DiffStat diffStat() throws IOException {
        try (ObjectReader reader = git.getRepository().newObjectReader();
             DiffFormatter formatter = formatter(new ByteArrayOutputStream())) {
            List<DiffEntry> entries = formatter.scan(tree(reader, base), tree(reader, git.getRepository().resolve("HEAD")));
            List<DiffStat.FileChange> changes = new ArrayList<>();
            int insertions = 0;
            int deletions = 0;
            for (DiffEntry entry : entries) {
                int added = 0;
                int removed = 0;
                for (Edit edit : formatter.toFileHeader(entry).toEditList()) {
                    added += edit.getEndB() - edit.getBeginB();
                    removed += edit.getEndA() - edit.getBeginA();
                }
                String path = entry.getChangeType() == DiffEntry.ChangeType.DELETE ? entry.getOldPath() : entry.getNewPath();
                changes.add(new DiffStat.FileChange(path, entry.getChangeType().name().toLowerCase(Locale.ROOT),
                        added, removed));
                insertions += added;
                deletions += removed;
            }
            return new DiffStat(changes, insertions, deletions);
        }
    }

    /**
     * The unified diff of everything in the working directory (committed or not) against the base. Stages all changes
     * to see new files, which is harmless: the run ends by committing them anyway.
     *
     * @param maxChars the diff is cut here, with a note saying so
     */
    public String diffText(int maxChars) throws IOException {
        try {
            stageAll();
        } catch (GitAPIException e) {
            throw new IOException("git add failed: " + e.getMessage(), e);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Repository repository = git.getRepository();
        try (ObjectReader reader = repository.newObjectReader(); DiffFormatter formatter = formatter(out)) {
            formatter.format(tree(reader, base), new DirCacheIterator(repository.readDirCache()));
        }
        String diff = out.toString(StandardCharsets.UTF_8);
        if (diff.length() <= maxChars) {
            return diff;
        }
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

    private DiffFormatter formatter(ByteArrayOutputStream out) {
        DiffFormatter formatter = new DiffFormatter(out);
        formatter.setRepository(git.getRepository());
        formatter.setDiffComparator(RawTextComparator.DEFAULT);
        return formatter;
    }

    private static AbstractTreeIterator tree(ObjectReader reader, ObjectId commit) throws IOException {
        try (RevWalk walk = new RevWalk(reader)) {
            CanonicalTreeParser parser = new CanonicalTreeParser();
            parser.reset(reader, walk.parseCommit(commit).getTree());
            return parser;
        }
    }

    /**
     * Who Quorum's commits are by.
     *
     * @param name  e.g. "Quorum"
     * @param email e.g. "quorum@localhost"
     */
    public record Committer(String name, String email) {
        public static final Committer QUORUM = new Committer("Quorum", "quorum@localhost");

        public Committer {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(email, "email");
        }
    }
}
