package dev.quorum.agent.workspace;

import dev.quorum.repo.DiffStat;
import dev.quorum.repo.RefName;
import dev.quorum.repo.Sha;
import dev.quorum.repo.WorkingCopy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * A git working directory on a {@code quorum/<id>} branch where a coding run works: its files (through a
 * {@link ConfinedRoot}), its diff against the commit the branch started from, and commits of the work.
 *
 * <p>One run owns a workspace at a time: not safe for concurrent use. Git failures surface as {@link IOException}s
 * with git's message. Commits never run hooks and are never signed.
 */
public final class CodingWorkspace implements AutoCloseable {

    /** Branches a run may commit on; anything else (main, a feature branch) is refused at open. */
    public static final String BRANCH_PREFIX = RefName.AGENT_BRANCH_PREFIX;

    private final WorkingCopy copy;
    private final ConfinedRoot files;
    private final Sha base;
    private final String branch;
    private final Committer committer;

    private CodingWorkspace(WorkingCopy copy, ConfinedRoot files, Sha base, String branch, Committer committer) {
        this.copy = copy;
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
        WorkingCopy copy = WorkingCopy.open(directory);
        try {
            String branch = copy.branch().orElse(null);
            if (branch == null || !branch.startsWith(BRANCH_PREFIX)) {
                throw new IllegalArgumentException("the coding workspace " + directory + " is on '" + branch
                        + "'; runs only commit on " + BRANCH_PREFIX + "<id> branches");
            }
            Sha base = copy.commitOf(baseRef)
                    .orElseThrow(() -> new IOException("base '" + baseRef + "' does not name a commit in " + directory));
            return new CodingWorkspace(copy, ConfinedRoot.of(copy.root(), "the workspace"), base, branch, committer);
        } catch (RuntimeException | IOException e) {
            copy.close();
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
        return base.hex();
    }

    /** The branch's current commit. */
    public String headCommit() throws IOException {
        return head().hex();
    }

    private Sha head() throws IOException {
        return copy.commitOf("HEAD").orElse(base);
    }

    /**
     * Stages every change (new, modified, deleted files) and commits it on the branch.
     *
     * @return the new commit's SHA, or empty when there was nothing to commit
     */
    public Optional<String> commitAll(String message) throws IOException {
        return copy.commitAll(message, committer.name(), committer.email()).map(Sha::hex);
    }

    /** Per-file line counts of the branch's commits against the base (uncommitted changes are not counted). */
    public DiffStat diffStat() throws IOException {
        return copy.diffStat(base, head());
    }

    /**
     * The unified diff of everything in the working directory (committed or not) against the base. Stages all changes
     * to see new files, which is harmless: the run ends by committing them anyway.
     *
     * @param maxChars the diff is cut here, with a note saying so
     */
    public String diffText(int maxChars) throws IOException {
        return copy.diffText(base, maxChars);
    }

    @Override
    public void close() {
        copy.close();
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
