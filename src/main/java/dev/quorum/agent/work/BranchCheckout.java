package dev.quorum.agent.work;

import dev.quorum.repo.RepoHost;
import dev.quorum.repo.Sha;
import dev.quorum.repo.WorkingCopy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A coding run's own clone of a repository, checked out on the run's {@code quorum/<id>} branch, so the agent never
 * touches the repository's working tree. The branch starts at the base commit, or, when the repository already has
 * it (a run resumed after its worker died), where the earlier attempt pushed it. {@link #push} publishes the branch
 * to the repository's host, where {@code merge <id>} and the evidence runner find it.
 *
 * <p>Not thread-safe: one run owns it. {@link #close} deletes the clone.
 */
final class BranchCheckout implements AutoCloseable {
    private final RepoHost host;
    private final Path dir;
    private final String branch;
    private final boolean continued;
    /** Where the host's branch is, as far as this run knows: what the next push moves it from. */
    private Optional<Sha> pushed;

    private BranchCheckout(RepoHost host, Path dir, String branch, Optional<Sha> pushed) {
        this.host = host;
        this.dir = dir;
        this.branch = branch;
        this.pushed = pushed;
        this.continued = pushed.isPresent();
    }

    /**
     * Checks {@code host}'s repository out into {@code dir} (replacing what a dead attempt left there) on {@code branch}.
     *
     * @throws IOException when the repository cannot be read or the start commit is not in it
     */
    static BranchCheckout create(Path dir, RepoHost host, String branch, Sha baseCommit) throws IOException {
        WorkingCopy.delete(dir);
        Files.createDirectories(dir);
        try {
            host.refresh();
            Optional<Sha> pushed = host.head(branch);
            host.checkout(pushed.orElse(baseCommit), dir);
            try (WorkingCopy copy = WorkingCopy.open(dir)) {
                copy.startBranch(branch);
            }
            return new BranchCheckout(host, dir, branch, pushed);
        } catch (IOException | RuntimeException e) {
            WorkingCopy.delete(dir);
            throw new IOException("could not clone repo " + host.name() + " on " + branch + ": " + e.getMessage(), e);
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
     * @throws IOException when the repository refuses the update (the branch moved elsewhere meanwhile)
     */
    void push() throws IOException {
        Sha head;
        try (WorkingCopy copy = WorkingCopy.open(dir)) {
            head = copy.commitOf("HEAD").orElseThrow(() -> new IOException("the clone of " + branch + " has no commit"));
        }
        switch (host.pushBranch(dir, branch, head, pushed)) {
            case MOVED, ALREADY_THERE -> pushed = Optional.of(head);
            case MOVED_ELSEWHERE -> throw new IOException("the repository refused " + branch + ": it moved elsewhere since "
                    + pushed.map(Sha::abbrev).orElse("it was absent"));
        }
    }

    @Override
    public void close() throws IOException {
        WorkingCopy.delete(dir);
    }
}
