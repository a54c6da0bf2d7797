package dev.quorum.repo;

import org.eclipse.jgit.diff.DiffEntry;
import org.eclipse.jgit.errors.IncorrectObjectTypeException;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.diff.DiffFormatter;
import org.eclipse.jgit.diff.Edit;
import org.eclipse.jgit.diff.RawText;
import org.eclipse.jgit.diff.RawTextComparator;
import org.eclipse.jgit.diff.EditList;
import org.eclipse.jgit.lib.AbbreviatedObjectId;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.patch.FileHeader;
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
import org.eclipse.jgit.treewalk.TreeWalk;
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
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The git operations merges and deploys need, on a repository Quorum guards (bare or not): read
 * branch heads, work out a merge in memory without touching any branch or working tree, measure
 * a change, and move a branch only from the commit it was seen at (compare-and-set). Stateless;
 * each call opens the repository, so it is safe across threads and instances.
 */
final class GitRepos {
    private static final PersonIdent QUORUM = new PersonIdent("Quorum", "quorum@localhost");

    private GitRepos() {}

    /** The commit a branch points at now, if the branch exists. */
    static Optional<Sha> head(Path repoDir, String branch) throws IOException {
        try (Repository repo = open(repoDir)) {
            Ref ref = repo.exactRef(Constants.R_HEADS + branch);
            return ref == null || ref.getObjectId() == null ? Optional.empty() : Optional.of(new Sha(ref.getObjectId().name()));
        }
    }

    /** What {@code shortName} names now, if it names a ref that points at a commit. */
    static Optional<RepoHost.NamedRef> findRef(Path repoDir, String shortName) throws IOException {
        try (Repository repo = open(repoDir); RevWalk walk = new RevWalk(repo)) {
            Ref ref = repo.findRef(shortName);
            if (ref == null || ref.getObjectId() == null) return Optional.empty();
            try {
                return Optional.of(new RepoHost.NamedRef(ref.getLeaf().getName(), new Sha(walk.parseCommit(ref.getObjectId()).name())));
            } catch (IncorrectObjectTypeException | MissingObjectException e) {
                return Optional.empty(); // a tag of a tree or blob, or a dangling ref: no commit to deploy
            }
        }
    }

    /** The short names of the branches (and tags, if asked), for "did you mean" hints; Quorum's own pins are left out. */
    static List<String> refNames(Path repoDir, boolean withTags) throws IOException {
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
    static boolean isOnBranch(Path repoDir, Sha commit, String branch) throws IOException {
        try (Repository repo = open(repoDir); RevWalk walk = new RevWalk(repo)) {
            Ref head = repo.exactRef(Constants.R_HEADS + branch);
            if (head == null || head.getObjectId() == null) return false;
            try {
                return walk.isMergedInto(walk.parseCommit(id(commit)), walk.parseCommit(head.getObjectId()));
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
    static MergePlan planMerge(Path repoDir, Sha targetSha, Sha sourceSha, boolean fastForwardAllowed,
                                      String message, String pinRef, Instant now) throws IOException {
        try (Repository repo = open(repoDir); RevWalk walk = new RevWalk(repo)) {
            RevCommit target = walk.parseCommit(id(targetSha));
            RevCommit source = walk.parseCommit(id(sourceSha));
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
            return new MergePlan.Ready(targetSha, sourceSha, new Sha(result.name()), result.equals(source),
                    diff(repo, target, walk.parseCommit(result)), pinRef);
        }
    }

    /** What changed from one commit to another ({@code from} may be {@code null}: everything is new). */
    static DiffStat diff(Path repoDir, Sha fromSha, Sha toSha) throws IOException {
        try (Repository repo = open(repoDir)) {
            return diff(repo, fromSha, toSha);
        }
    }

    /** {@link #diff(Path, Sha, Sha)} in a repository already open (a working copy's). */
    static DiffStat diff(Repository repo, Sha fromSha, Sha toSha) throws IOException {
        try (RevWalk walk = new RevWalk(repo)) {
            return diff(repo, fromSha == null ? null : walk.parseCommit(id(fromSha)), walk.parseCommit(id(toSha)));
        }
    }

    private static DiffStat diff(Repository repo, RevCommit from, RevCommit to) throws IOException {
        return scan(repo, from, to, false).stat();
    }

    /** The regular files of {@code commit}'s tree, read in place (see {@link RepoHost#files}). */
    static void files(Path repoDir, Sha commit, RepoHost.FileVisitor visitor) throws IOException {
        try (Repository repo = open(repoDir); RevWalk walk = new RevWalk(repo); TreeWalk tree = new TreeWalk(repo)) {
            tree.addTree(walk.parseCommit(id(commit)).getTree());
            tree.setRecursive(true);
            while (tree.next()) {
                FileMode mode = tree.getFileMode(0);
                if (mode != FileMode.REGULAR_FILE && mode != FileMode.EXECUTABLE_FILE) continue;
                ObjectLoader blob = repo.open(tree.getObjectId(0));
                visitor.visit(tree.getPathString(), blob.getSize(), blob::getBytes);
            }
        }
    }

    private static final int FILE_LINES = Diff.FILE_LINES;
    private static final int DIFF_LINES = Diff.DIFF_LINES;
    private static final int DIFF_CHARS = Diff.DIFF_CHARS;
    private static final int LINE_CHARS = Diff.LINE_CHARS;
    private static final long FILE_BYTES = Diff.FILE_BYTES;
    private static final int CONTEXT = 3;

    /**
     * The change from one commit to another with its lines, bounded (see {@link Diff}); {@code fromSha}
     * may be {@code null}: everything in {@code toSha} is new. Its counts are exactly {@link #diff}'s.
     */
    static Diff changes(Path repoDir, Sha fromSha, Sha toSha) throws IOException {
        try (Repository repo = open(repoDir); RevWalk walk = new RevWalk(repo)) {
            RevCommit from = fromSha == null ? null : walk.parseCommit(id(fromSha));
            return scan(repo, from, walk.parseCommit(id(toSha)), true);
        }
    }

    /** One pass over the changed files: counts always, lines only when asked (a stat reads no more than it needs). */
    private static Diff scan(Repository repo, RevCommit from, RevCommit to, boolean withLines) throws IOException {
        try (DiffFormatter formatter = new DiffFormatter(DisabledOutputStream.INSTANCE); ObjectReader reader = repo.newObjectReader()) {
            formatter.setRepository(repo);
            formatter.setDiffComparator(RawTextComparator.DEFAULT);
            formatter.setDetectRenames(true);
            List<DiffEntry> entries = new ArrayList<>(formatter.scan(from == null ? null : from.getTree(), to.getTree()));
            entries.sort(Comparator.comparing(GitRepos::pathOf));
            List<Diff.FilePatch> files = new ArrayList<>();
            Budget budget = new Budget();
            int added = 0;
            int removed = 0;
            for (DiffEntry entry : entries) {
                FileHeader header = formatter.toFileHeader(entry);
                EditList edits = header.toEditList();
                int ins = 0;
                int del = 0;
                for (Edit edit : edits) {
                    ins += edit.getLengthB();
                    del += edit.getLengthA();
                }
                added += ins;
                removed += del;
                Diff.FilePatch counted = new Diff.FilePatch(pathOf(entry), renamedFrom(entry), change(entry), ins, del, false,
                        false, null, List.of());
                files.add(withLines ? patch(reader, entry, header.getPatchType() == FileHeader.PatchType.BINARY, edits, counted, budget)
                        : counted);
            }
            return new Diff(files, added, removed, files.stream().anyMatch(Diff.FilePatch::truncated));
        }
    }

    private static String pathOf(DiffEntry entry) {
        return entry.getChangeType() == DiffEntry.ChangeType.DELETE ? entry.getOldPath() : entry.getNewPath();
    }

    private static String renamedFrom(DiffEntry entry) {
        return switch (entry.getChangeType()) {
            case RENAME, COPY -> entry.getOldPath();
            case ADD, MODIFY, DELETE -> null;
        };
    }

    private static Diff.Change change(DiffEntry entry) {
        return switch (entry.getChangeType()) {
            case ADD -> Diff.Change.ADD;
            case MODIFY -> Diff.Change.MODIFY;
            case DELETE -> Diff.Change.DELETE;
            case RENAME -> Diff.Change.RENAME;
            case COPY -> Diff.Change.COPY;
        };
    }

    /** What is left of a diff's lines and characters, and of the current file's lines. */
    private static final class Budget {
        int lines = DIFF_LINES;
        int chars = DIFF_CHARS;
        int fileLines;

        boolean spent() {
            return lines <= 0 || chars <= 0;
        }

        /** Counts one more line, unless the file's or the diff's lines are spent. */
        boolean take(String line) {
            if (fileLines >= FILE_LINES || spent()) return false;
            fileLines++;
            lines--;
            chars -= line.length() + 1;
            return true;
        }
    }

    /** The lines of one hunk, and how many old and new lines they cover so far. */
    private static final class HunkLines {
        final List<String> lines = new ArrayList<>();
        int old;
        int now;

        /** Adds a line with its marker ({@code ' '}, {@code '-'}, {@code '+'}); false when the budget is spent. */
        boolean add(char marker, RawText text, int index, Budget budget) {
            String s = text.getString(index);
            if (s.length() > LINE_CHARS) s = s.substring(0, LINE_CHARS) + "…";
            if (!budget.take(s)) return false;
            lines.add(marker + s);
            if (marker != '+') old++;
            if (marker != '-') now++;
            return true;
        }
    }

    /** The file {@code counted} with its hunks, as far as the budget goes; or with a note saying why it has none. */
    private static Diff.FilePatch patch(ObjectReader reader, DiffEntry entry, boolean binary, EditList edits, Diff.FilePatch counted,
                                        Budget budget) throws IOException {
        if (entry.getOldMode() == FileMode.GITLINK || entry.getNewMode() == FileMode.GITLINK) {
            return noted(counted, false, "a submodule: " + shortId(entry.getOldId()) + " → " + shortId(entry.getNewId()));
        }
        long size = Math.max(size(reader, entry.getOldId()), size(reader, entry.getNewId()));
        if (size > FILE_BYTES) {
            return noted(counted, true, "The file is too large to show here (" + kib(size) + "; files up to " + kib(FILE_BYTES) + " are shown).");
        }
        RawText a = text(reader, entry.getOldId());
        RawText b = text(reader, entry.getNewId());
        if (binary || RawText.isBinary(a.getRawContent()) || RawText.isBinary(b.getRawContent())) {
            long now = size(reader, entry.getNewId());
            return new Diff.FilePatch(counted.path(), counted.oldPath(), counted.change(), 0, 0, true, false,
                    "A binary file" + (now < 0 ? "." : " (" + kib(now) + ")."), List.of());
        }
        boolean modeChanged = entry.getOldMode() != entry.getNewMode() && counted.change() != Diff.Change.ADD
                && counted.change() != Diff.Change.DELETE;
        String mode = modeChanged ? "Mode " + entry.getOldMode() + " → " + entry.getNewMode() + "." : null;
        if (edits.isEmpty()) {
            return noted(counted, false, switch (counted.change()) {
                case RENAME -> "Renamed without changes.";
                case COPY -> "Copied without changes.";
                case ADD, DELETE -> "An empty file.";
                case MODIFY -> mode;
            });
        }
        if (budget.spent()) {
            return noted(counted, true, "Not shown: the diff is longer than this page shows (" + DIFF_LINES + " lines).");
        }
        budget.fileLines = 0;
        List<Diff.Hunk> hunks = new ArrayList<>();
        boolean cut = false;
        for (int first = 0; first < edits.size() && !cut; ) {
            int last = first;
            while (last + 1 < edits.size() && edits.get(last + 1).getBeginA() - edits.get(last).getEndA() <= 2 * CONTEXT) last++;
            int aStart = Math.max(0, edits.get(first).getBeginA() - CONTEXT);
            int bStart = Math.max(0, edits.get(first).getBeginB() - CONTEXT);
            int aEnd = Math.min(a.size(), edits.get(last).getEndA() + CONTEXT);
            HunkLines hunk = new HunkLines();
            int ai = aStart;
            int bi = bStart;
            for (int e = first; e <= last && !cut; e++) {
                Edit edit = edits.get(e);
                while (!cut && ai < edit.getBeginA()) {
                    cut = !hunk.add(' ', a, ai, budget);
                    ai++;
                    bi++;
                }
                while (!cut && ai < edit.getEndA()) cut = !hunk.add('-', a, ai++, budget);
                while (!cut && bi < edit.getEndB()) cut = !hunk.add('+', b, bi++, budget);
            }
            while (!cut && ai < aEnd) {
                cut = !hunk.add(' ', a, ai, budget);
                ai++;
            }
            if (!hunk.lines.isEmpty()) hunks.add(new Diff.Hunk(aStart + 1, hunk.old, bStart + 1, hunk.now, hunk.lines));
            first = last + 1;
        }
        String note = !cut ? mode : budget.fileLines >= FILE_LINES
                ? "Cut: the page shows a file's first " + FILE_LINES + " lines of changes."
                : "Cut: the diff is longer than this page shows (" + DIFF_LINES + " lines).";
        return new Diff.FilePatch(counted.path(), counted.oldPath(), counted.change(), counted.insertions(), counted.deletions(),
                false, cut, note, hunks);
    }

    private static Diff.FilePatch noted(Diff.FilePatch counted, boolean truncated, String note) {
        return new Diff.FilePatch(counted.path(), counted.oldPath(), counted.change(), counted.insertions(), counted.deletions(),
                false, truncated, note, List.of());
    }

    private static String kib(long bytes) {
        return bytes < 1024 ? bytes + " bytes" : bytes < 1024 * 1024 ? (bytes / 1024) + " KiB"
                : String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
    }

    private static long size(ObjectReader reader, AbbreviatedObjectId id) throws IOException {
        if (id == null || ObjectId.zeroId().equals(id.toObjectId())) return -1;
        return reader.getObjectSize(id.toObjectId(), Constants.OBJ_BLOB);
    }

    private static RawText text(ObjectReader reader, AbbreviatedObjectId id) throws IOException {
        if (id == null || ObjectId.zeroId().equals(id.toObjectId())) return RawText.EMPTY_TEXT;
        return new RawText(reader.open(id.toObjectId(), Constants.OBJ_BLOB).getCachedBytes((int) FILE_BYTES + 1));
    }

    private static String shortId(AbbreviatedObjectId id) {
        return id == null || ObjectId.zeroId().equals(id.toObjectId()) ? "none" : new Sha(id.toObjectId().name()).abbrev();
    }

    /**
     * Moves {@code branch} to {@code newSha} only if it still points at {@code expectedSha}.
     * Idempotent: a branch already at {@code newSha} reports {@link Move#ALREADY_THERE}.
     */
    static RepoHost.Move compareAndSet(Path repoDir, String branch, Sha expectedSha, Sha newSha, String reflog)
            throws IOException {
        try (Repository repo = open(repoDir)) {
            Ref current = repo.exactRef(Constants.R_HEADS + branch);
            if (current != null && newSha.hex().equals(current.getObjectId().name())) return RepoHost.Move.ALREADY_THERE;
            RefUpdate update = repo.updateRef(Constants.R_HEADS + branch);
            update.setExpectedOldObjectId(id(expectedSha));
            update.setNewObjectId(id(newSha));
            update.setForceUpdate(true); // the expected-old check is the guard; ancestry is not
            update.setRefLogMessage(reflog, false);
            return switch (update.update()) {
                case FAST_FORWARD, FORCED, NEW, NO_CHANGE -> RepoHost.Move.MOVED;
                default -> RepoHost.Move.MOVED_ELSEWHERE;
            };
        }
    }

    /** Whether both commits have the same tree. */
    static boolean sameTree(Path repoDir, Sha a, Sha b) throws IOException {
        try (Repository repo = open(repoDir); RevWalk walk = new RevWalk(repo)) {
            return walk.parseCommit(id(a)).getTree().equals(walk.parseCommit(id(b)).getTree());
        }
    }

    private static ObjectId id(Sha sha) {
        return ObjectId.fromString(sha.hex());
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
