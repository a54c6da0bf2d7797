package dev.quorum.repo;

import org.eclipse.jgit.diff.DiffEntry;
import org.eclipse.jgit.errors.IncorrectObjectTypeException;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.diff.DiffFormatter;
import org.eclipse.jgit.diff.Edit;
import org.eclipse.jgit.diff.RawTextComparator;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.merge.MergeStrategy;
import org.eclipse.jgit.merge.ResolveMerger;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.lib.RepositoryCache;
import org.eclipse.jgit.util.FS;
import org.eclipse.jgit.util.io.DisabledOutputStream;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The git operations merges and deploys need, on a repository Quorum guards (bare or not): read
 * branch heads, work out a merge in memory without touching any branch or working tree, measure
 * a change, and move a branch only from the commit it was seen at (compare-and-set). Stateless;
 * each call opens the repository, so it is safe across threads and instances.
 */
public final class GitRepos {
    private static final PersonIdent QUORUM = new PersonIdent("Quorum", "quorum@localhost");

    private GitRepos() {}

    /** The commit a branch points at now, if the branch exists. */
    public static Optional<String> head(Path repoDir, String branch) throws IOException {
        try (Repository repo = open(repoDir)) {
            Ref ref = repo.exactRef(Constants.R_HEADS + branch);
            return ref == null || ref.getObjectId() == null ? Optional.empty() : Optional.of(ref.getObjectId().name());
        }
    }

    /**
     * A ref as git finds a short name ({@code v1} is {@code refs/tags/v1}, tags before branches),
     * followed through symbolic refs to the ref that holds the commit.
     *
     * @param name   the full name of that ref, e.g. {@code refs/tags/v1.2}
     * @param commit the commit it points at (an annotated tag is peeled)
     */
    public record NamedRef(String name, String commit) {}

    /** What {@code shortName} names now, if it names a ref that points at a commit. */
    public static Optional<NamedRef> findRef(Path repoDir, String shortName) throws IOException {
        try (Repository repo = open(repoDir); RevWalk walk = new RevWalk(repo)) {
            Ref ref = repo.findRef(shortName);
            if (ref == null || ref.getObjectId() == null) return Optional.empty();
            try {
                return Optional.of(new NamedRef(ref.getLeaf().getName(), walk.parseCommit(ref.getObjectId()).name()));
            } catch (IncorrectObjectTypeException | MissingObjectException e) {
                return Optional.empty(); // a tag of a tree or blob, or a dangling ref: no commit to deploy
            }
        }
    }

    /** The short names of the branches (and tags, if asked), for "did you mean" hints; Quorum's own pins are left out. */
    public static List<String> refNames(Path repoDir, boolean withTags) throws IOException {
        try (Repository repo = open(repoDir)) {
            List<String> names = new ArrayList<>();
            for (Ref ref : repo.getRefDatabase().getRefsByPrefix(Constants.R_HEADS)) names.add(Repository.shortenRefName(ref.getName()));
            if (withTags) {
                for (Ref ref : repo.getRefDatabase().getRefsByPrefix(Constants.R_TAGS)) names.add(Repository.shortenRefName(ref.getName()));
            }
            return names;
        }
    }

    /**
     * Whether {@code commitSha} is {@code branch}'s head or one of its ancestors: a commit that
     * went through the branch's merge rule. False when the branch or the commit does not exist.
     */
    public static boolean isOnBranch(Path repoDir, String commitSha, String branch) throws IOException {
        try (Repository repo = open(repoDir); RevWalk walk = new RevWalk(repo)) {
            Ref head = repo.exactRef(Constants.R_HEADS + branch);
            if (head == null || head.getObjectId() == null) return false;
            try {
                return walk.isMergedInto(walk.parseCommit(ObjectId.fromString(commitSha)), walk.parseCommit(head.getObjectId()));
            } catch (MissingObjectException e) {
                return false;
            }
        }
    }

    /**
     * Works out merging {@code sourceSha} into {@code targetSha}, writing the merge commit (if one
     * is needed) to the object database and pinning it under {@code pinRef}.
     *
     * @param fastForwardAllowed when the target is an ancestor of the source, the result is the source itself
     * @param message            the merge commit's message
     */
    public static MergePlan planMerge(Path repoDir, String targetSha, String sourceSha, boolean fastForwardAllowed,
                                      String message, String pinRef, Instant now) throws IOException {
        try (Repository repo = open(repoDir); RevWalk walk = new RevWalk(repo)) {
            RevCommit target = walk.parseCommit(ObjectId.fromString(targetSha));
            RevCommit source = walk.parseCommit(ObjectId.fromString(sourceSha));
            if (walk.isMergedInto(source, target)) return new MergePlan.NothingToMerge(targetSha, sourceSha);
            walk.reset();
            boolean canFastForward = walk.isMergedInto(target, source);
            ObjectId result;
            if (fastForwardAllowed && canFastForward) {
                result = source;
            } else {
                ResolveMerger merger = (ResolveMerger) MergeStrategy.RECURSIVE.newMerger(repo, true);
                if (!merger.merge(target, source)) {
                    List<String> paths = new ArrayList<>(merger.getUnmergedPaths());
                    if (merger.getFailingPaths() != null) paths.addAll(merger.getFailingPaths().keySet());
                    return new MergePlan.Conflicts(new ArrayList<>(new TreeSet<>(paths)));
                }
                try (ObjectInserter inserter = repo.newObjectInserter()) {
                    CommitBuilder commit = new CommitBuilder();
                    PersonIdent who = new PersonIdent(QUORUM, now, ZoneOffset.UTC);
                    commit.setTreeId(merger.getResultTreeId());
                    commit.setParentIds(target, source);
                    commit.setAuthor(who);
                    commit.setCommitter(who);
                    commit.setMessage(message);
                    result = inserter.insert(commit);
                    inserter.flush();
                }
            }
            pin(repo, pinRef, result);
            return new MergePlan.Ready(targetSha, sourceSha, result.name(), result.equals(source),
                    diff(repo, target, walk.parseCommit(result)), pinRef);
        }
    }

    /** What changed from one commit to another ({@code from} may be {@code null}: everything is new). */
    public static DiffStat diff(Path repoDir, String fromSha, String toSha) throws IOException {
        try (Repository repo = open(repoDir); RevWalk walk = new RevWalk(repo)) {
            RevCommit from = fromSha == null ? null : walk.parseCommit(ObjectId.fromString(fromSha));
            return diff(repo, from, walk.parseCommit(ObjectId.fromString(toSha)));
        }
    }

    private static DiffStat diff(Repository repo, RevCommit from, RevCommit to) throws IOException {
        try (DiffFormatter formatter = new DiffFormatter(DisabledOutputStream.INSTANCE)) {
            formatter.setRepository(repo);
            formatter.setDiffComparator(RawTextComparator.DEFAULT);
            formatter.setDetectRenames(true);
            TreeSet<String> paths = new TreeSet<>();
            int added = 0;
            int removed = 0;
            for (DiffEntry entry : formatter.scan(from == null ? null : from.getTree(), to.getTree())) {
                paths.add(entry.getChangeType() == DiffEntry.ChangeType.DELETE ? entry.getOldPath() : entry.getNewPath());
                for (Edit edit : formatter.toFileHeader(entry).toEditList()) {
                    added += edit.getLengthB();
                    removed += edit.getLengthA();
                }
            }
            return new DiffStat(new ArrayList<>(paths), added, removed);
        }
    }

    /** How a compare-and-set of a branch went. */
    public enum Move { MOVED, ALREADY_THERE, MOVED_ELSEWHERE }

    /**
     * Moves {@code branch} to {@code newSha} only if it still points at {@code expectedSha}.
     * Idempotent: a branch already at {@code newSha} reports {@link Move#ALREADY_THERE}.
     */
    public static Move compareAndSet(Path repoDir, String branch, String expectedSha, String newSha, String reflog)
            throws IOException {
        try (Repository repo = open(repoDir)) {
            Ref current = repo.exactRef(Constants.R_HEADS + branch);
            if (current != null && newSha.equals(current.getObjectId().name())) return Move.ALREADY_THERE;
            RefUpdate update = repo.updateRef(Constants.R_HEADS + branch);
            update.setExpectedOldObjectId(ObjectId.fromString(expectedSha));
            update.setNewObjectId(ObjectId.fromString(newSha));
            update.setForceUpdate(true); // the expected-old check is the guard; ancestry is not
            update.setRefLogMessage(reflog, false);
            return switch (update.update()) {
                case FAST_FORWARD, FORCED, NEW, NO_CHANGE -> Move.MOVED;
                default -> Move.MOVED_ELSEWHERE;
            };
        }
    }

    private static void pin(Repository repo, String pinRef, ObjectId id) throws IOException {
        RefUpdate update = repo.updateRef(pinRef);
        update.setNewObjectId(id);
        update.setForceUpdate(true);
        update.setRefLogMessage("quorum: tested merge result", false);
        update.forceUpdate();
    }

    /**
     * The repository, from JGit's reference-counted cache: votes and executions read branch heads
     * constantly, and opening a repository from disk each time was most of a vote's cost. Refs
     * are still re-read from disk when they change, so pushes are seen at once.
     */
    private static Repository open(Path repoDir) throws IOException {
        Path dotGit = repoDir.resolve(".git");
        File gitDir = (Files.isDirectory(dotGit) ? dotGit : repoDir).toFile();
        return RepositoryCache.open(RepositoryCache.FileKey.exact(gitDir, FS.DETECTED), true);
    }
}
