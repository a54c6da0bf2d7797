package dev.quorum.repo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * One repository Quorum guards, wherever it lives (on this disk, a git server, GitHub): the only
 * way merges, deploys, evidence and the coding agent read or move its refs. Hosts read a local
 * copy ({@link #refresh} brings it up to date: a fetch for remote hosts, nothing locally); callers
 * refresh before they resolve what a user typed, verify, or execute.
 *
 * <p>Implementations are thread-safe. Every method blocks: never call one on an event loop. Errors
 * reading the repository are {@link IOException}s whose messages may be logged, not shown; the
 * texts users see are {@link RefResolutionException}'s and {@link CommitNotFoundException}'s.
 * The behaviour every host must have is pinned by {@code RepoHostContract} (tests).
 */
public interface RepoHost {

    /** The repository's configured name ({@code repos.<name>}), for messages. */
    String name();

    /** Brings the host's copy up to date with the repository (a fetch); a no-op for a repository on this disk. */
    void refresh() throws IOException;

    /**
     * The commit {@code ref} names ({@link RefName}'s grammar: a name wins over hex; an annotated
     * tag is peeled). Reads the copy as it is: {@link #refresh} first where the answer must be current.
     *
     * @throws RefResolutionException with the user-facing text: {@code unknown ref 'x' in repo r},
     *         {@code ambiguous ref 'ab12' in repo r: matches 2 objects; give more digits},
     *         {@code ref 'x' in repo r is not a commit}, {@code ref 'x' in repo r points at nothing yet},
     *         {@code cannot read repo r to resolve 'x': …}, or {@link RefName#parse}'s
     */
    Sha resolve(String ref) throws RefResolutionException;

    /**
     * {@link #refresh} then {@link #resolve}: what a command does with the ref its user typed. A
     * failed fetch reads {@code cannot read repo r to resolve 'x': …}, like a repository that cannot be read.
     */
    default Sha resolveCurrent(String ref) throws RefResolutionException {
        try {
            refresh();
        } catch (IOException e) {
            throw new RefResolutionException("cannot read repo " + name() + " to resolve '" + ref + "': " + e.getMessage(), e);
        }
        return resolve(ref);
    }

    /** The commit {@code branch} (a short name, {@code main}) points at now, if the branch exists. */
    Optional<Sha> head(String branch) throws IOException;

    /**
     * What {@code ref} names as git finds a short name, if it names a ref pointing at a commit; empty
     * for a SHA, an unknown name, or a tag of a tree or blob. For environments that ship refs matching a pattern.
     */
    Optional<NamedRef> findRef(String ref) throws IOException;

    /** The short names of the branches (and tags, if asked), for "did you mean" hints; Quorum's own pins are left out. */
    List<String> refNames(boolean withTags) throws IOException;

    /** Whether {@code commit} is {@code branch}'s head or one of its ancestors; false when either does not exist. */
    boolean isOnBranch(Sha commit, String branch) throws IOException;

    /**
     * Works out merging {@code source} into {@code target} without moving any branch: a merge commit
     * (if one is needed) is written and pinned under {@code pinRef}, so it outlives gc until executed.
     *
     * @param fastForwardAllowed when the target is an ancestor of the source, the result is the source itself
     * @param message            the merge commit's message
     * @param now                the merge commit's author and committer time (Quorum, UTC)
     */
    MergePlan planMerge(Sha target, Sha source, boolean fastForwardAllowed, String message, String pinRef, Instant now)
            throws IOException;

    /**
     * Moves {@code branch} to {@code next} only if it still points at {@code expected}; idempotent
     * ({@link Move#ALREADY_THERE}). A remote host pushes {@code next} without force and answers
     * {@link Move#MOVED_ELSEWHERE} when the server refuses it.
     */
    Move compareAndSet(String branch, Sha expected, Sha next, String reflog) throws IOException;

    /**
     * The counts of what changed from {@code from} to {@code to}; {@code from} may be {@code null} (everything is new).
     *
     * @throws CommitNotFoundException when the host does not have one of the commits
     */
    DiffStat diffStat(Sha from, Sha to) throws IOException;

    /**
     * The change with its lines, bounded (see {@link Diff}); its counts are exactly {@link #diffStat}'s.
     *
     * @throws CommitNotFoundException when the host does not have one of the commits
     */
    Diff changes(Sha from, Sha to) throws IOException;

    /**
     * Shows {@code visitor} every regular file of {@code commit}'s tree (executable or not; no links, no
     * submodules), in path order, for research to read a repository like a folder. By default the commit
     * is checked out into a temporary folder that is deleted afterwards; a host with the objects at hand
     * reads them in place.
     *
     * @throws CommitNotFoundException when the host does not have the commit
     */
    default void files(Sha commit, FileVisitor visitor) throws IOException {
        Path dir = Files.createTempDirectory("quorum-files-");
        Path into = dir.resolve("checkout");
        try {
            checkout(commit, into);
            List<Path> files;
            try (Stream<Path> walk = Files.walk(into)) {
                files = walk.filter(f -> Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS))
                        .filter(f -> !into.relativize(f).startsWith(".git")).sorted().toList();
            }
            for (Path file : files) {
                visitor.visit(into.relativize(file).toString(), Files.size(file), () -> Files.readAllBytes(file));
            }
        } finally {
            WorkingCopy.delete(dir);
        }
    }

    /** Sees one file of a tree: its path ({@code src/Main.java}), its size in bytes, and how to read it if wanted. */
    @FunctionalInterface
    interface FileVisitor {
        void visit(String path, long size, Contents contents) throws IOException;
    }

    /** A file's bytes, read only when asked. */
    @FunctionalInterface
    interface Contents {
        byte[] read() throws IOException;
    }

    /**
     * Makes {@code into} (absent or empty) a git working tree of its own, checked out detached at
     * {@code commit}, with every ref of the repository fetched under {@code refs/quorum-source/*}. The
     * repository is only read; the copy shares nothing with it (it may be deleted, written, run in).
     *
     * @throws CommitNotFoundException when the host does not have the commit
     */
    void checkout(Sha commit, Path into) throws IOException;

    /**
     * Publishes {@code commit}, which the git repository at {@code from} (a {@link #checkout} the
     * agent committed in) has, as the coding run's {@code branch}, never by force.
     *
     * @param branch   a {@code quorum/<id>} branch ({@link RefName#isAgentBranch}); anything else is refused
     * @param expected where the branch is now, or empty when it must not exist yet
     * @return {@link Move#MOVED}, {@link Move#ALREADY_THERE}, or {@link Move#MOVED_ELSEWHERE} when the branch is not at {@code expected}
     * @throws IllegalArgumentException when {@code branch} is not an agent branch
     */
    Move pushBranch(Path from, String branch, Sha commit, Optional<Sha> expected) throws IOException;

    /**
     * Whether commits {@code a} and {@code b} have the same tree: what landed is exactly what was tested,
     * however the host wrote the commit (a squash or a rebase gets another SHA).
     *
     * @throws CommitNotFoundException when the host does not have one of the commits
     */
    boolean sameTree(Sha a, Sha b) throws IOException;

    /** The repository's pull requests, when its host has them (GitHub); empty for plain git. */
    default Optional<PullRequests> pullRequests() {
        return Optional.empty();
    }

    /** How a compare-and-set of a branch went. */
    enum Move { MOVED, ALREADY_THERE, MOVED_ELSEWHERE }

    /**
     * A ref as git finds a short name ({@code v1} is {@code refs/tags/v1}, tags before branches),
     * followed through symbolic refs to the ref that holds the commit.
     *
     * @param name   the full name of that ref, e.g. {@code refs/tags/v1.2}
     * @param commit the commit it points at (an annotated tag is peeled)
     */
    record NamedRef(String name, Sha commit) {}
}
