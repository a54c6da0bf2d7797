package dev.quorum.repo;

import dev.quorum.testing.TestRepo;
import org.eclipse.jgit.revwalk.RevWalk;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class GitReposTest {
    @TempDir
    Path dir;
    private TestRepo repo;
    private String base;

    @BeforeEach
    void setUp() throws Exception {
        repo = TestRepo.init(dir.resolve("r"));
        base = repo.commit("base", Map.of("a.txt", "a\n", "b.txt", "b\n"));
    }

    @AfterEach
    void tearDown() {
        repo.close();
    }

    private MergePlan plan(String target, String source, boolean fastForward, String message, String pin) throws Exception {
        return GitRepos.planMerge(repo.dir(), new Sha(target), new Sha(source), fastForward, message, pin, Instant.now());
    }

    private java.util.Optional<String> head(String branch) throws Exception {
        return GitRepos.head(repo.dir(), branch).map(Sha::hex);
    }

    private RepoHost.Move cas(String branch, String expected, String next, String reflog) throws Exception {
        return GitRepos.compareAndSet(repo.dir(), branch, new Sha(expected), new Sha(next), reflog);
    }

    private Diff changes(String from, String to) throws Exception {
        return GitRepos.changes(repo.dir(), Sha.ofNullable(from), new Sha(to));
    }

    private DiffStat stat(String from, String to) throws Exception {
        return GitRepos.diff(repo.dir(), Sha.ofNullable(from), new Sha(to));
    }

    private String onBranch(String branch, Map<String, String> files) throws Exception {
        repo.git().checkout().setCreateBranch(repo.git().getRepository().resolve(branch) == null).setName(branch).call();
        String sha = repo.commit(branch, files);
        repo.git().checkout().setName("main").call();
        return sha;
    }

    @Test
    void aMergeIsWorkedOutWithoutMovingAnyBranchAndPinned() throws Exception {
        String feature = onBranch("feature", Map.of("c.txt", "c\n"));
        String main = repo.commit("main moves", Map.of("b.txt", "b2\n"));
        MergePlan.Ready ready = (MergePlan.Ready) plan(main, feature, true, "Merge\n", "refs/quorum/merges/R1");
        assertThat(ready.fastForward()).isFalse();
        assertThat(head("main")).contains(main);
        assertThat(repo.git().getRepository().exactRef("refs/quorum/merges/R1").getObjectId().name()).isEqualTo(ready.result().hex());
        try (RevWalk walk = new RevWalk(repo.git().getRepository())) {
            assertThat(walk.parseCommit(repo.git().getRepository().resolve(ready.result().hex())).getParents())
                    .extracting(p -> p.name()).containsExactly(main, feature);
        }
        assertThat(ready.diff()).isEqualTo(new DiffStat(java.util.List.of(new DiffStat.FileChange("c.txt", "add", 1, 0)), 1, 0));
    }

    @Test
    void fastForwardStyleMovesToTheSourceItselfWhenPossibleAndMergeStyleNever() throws Exception {
        String feature = onBranch("feature", Map.of("c.txt", "c\n"));
        MergePlan.Ready ff = (MergePlan.Ready) plan(base, feature, true, "Merge\n", "refs/quorum/merges/R1");
        assertThat(ff.fastForward()).isTrue();
        assertThat(ff.result().hex()).isEqualTo(feature);
        MergePlan.Ready merge = (MergePlan.Ready) plan(base, feature, false, "Merge\n", "refs/quorum/merges/R2");
        assertThat(merge.fastForward()).isFalse();
        assertThat(merge.result().hex()).isNotEqualTo(feature);
    }

    @Test
    void aBranchAlreadyInTheTargetHasNothingToMerge() throws Exception {
        assertThat(plan(base, base, true, "m", "refs/quorum/merges/R1"))
                .isEqualTo(new MergePlan.NothingToMerge(new Sha(base), new Sha(base)));
    }

    @Test
    void conflictsNameTheirPaths() throws Exception {
        String feature = onBranch("feature", Map.of("a.txt", "feature\n"));
        String main = repo.commit("main", Map.of("a.txt", "main\n"));
        assertThat(plan(main, feature, false, "m", "refs/quorum/merges/R1"))
                .isEqualTo(new MergePlan.Conflicts(java.util.List.of("a.txt")));
    }

    @Test
    void aBranchMovesOnlyFromTheCommitItWasSeenAt() throws Exception {
        String feature = onBranch("feature", Map.of("c.txt", "c\n"));
        String moved = repo.commit("someone pushed", Map.of("d.txt", "d\n"));
        assertThat(cas("main", base, feature, "test")).isEqualTo(RepoHost.Move.MOVED_ELSEWHERE);
        assertThat(head("main")).contains(moved);
        assertThat(cas("main", moved, feature, "test")).isEqualTo(RepoHost.Move.MOVED);
        assertThat(cas("main", moved, feature, "test")).isEqualTo(RepoHost.Move.ALREADY_THERE);
    }

    // ---- the diff itself ----------------------------------------------------------------------

    @Test
    void theDiffHasEveryFilesHunksExactlyAsGitShowsThemAndTheSameCountsAsTheStat() throws Exception {
        String twenty = lines(1, 20);
        String before = repo.commit("before", Map.of("f.txt", twenty, "old/name.txt", lines(100, 110)));
        repo.git().rm().addFilepattern("b.txt").addFilepattern("old/name.txt").call();
        String after = repo.commit("after", Map.of("f.txt", twenty.replace("line 2\n", "line two\n").replace("line 19\n", "line 19\nline 19b\n"),
                "new/name.txt", lines(100, 110), "c.txt", "c1\nc2\n"));

        Diff diff = changes(before, after);
        assertThat(diff.stat()).isEqualTo(stat(before, after));
        assertThat(diff.truncated()).isFalse();
        assertThat(diff.files()).extracting(Diff.FilePatch::path, Diff.FilePatch::change, Diff.FilePatch::oldPath)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("b.txt", Diff.Change.DELETE, null),
                        org.assertj.core.groups.Tuple.tuple("c.txt", Diff.Change.ADD, null),
                        org.assertj.core.groups.Tuple.tuple("f.txt", Diff.Change.MODIFY, null),
                        org.assertj.core.groups.Tuple.tuple("new/name.txt", Diff.Change.RENAME, "old/name.txt"));
        Diff.FilePatch f = diff.files().get(2);
        assertThat(f.hunks()).containsExactly(
                new Diff.Hunk(1, 5, 1, 5, java.util.List.of(" line 1", "-line 2", "+line two", " line 3", " line 4", " line 5")),
                new Diff.Hunk(17, 4, 17, 5, java.util.List.of(" line 17", " line 18", " line 19", "+line 19b", " line 20")));
        assertThat(f.insertions()).isEqualTo(2);
        assertThat(f.deletions()).isEqualTo(1);
        assertThat(diff.files().get(3).note()).isEqualTo("Renamed without changes.");
        assertThat(diff.files().get(3).hunks()).isEmpty();
        for (Diff.FilePatch file : diff.files()) {
            assertThat(unified(file)).as(file.path()).isEqualTo(gitsHunks(before, after, file.path()));
        }
    }

    @Test
    void manyScatteredChangesMakeTheHunksGitMakes() throws Exception {
        StringBuilder a = new StringBuilder();
        StringBuilder b = new StringBuilder();
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < 400; i++) {
            int roll = random.nextInt(10);
            if (roll != 0) a.append("row ").append(i).append('\n');
            if (roll == 1) b.append("changed ").append(i).append('\n');
            else if (roll != 2) b.append("row ").append(i).append('\n');
        }
        String before = repo.commit("before", Map.of("big.txt", a.toString()));
        String after = repo.commit("after", Map.of("big.txt", b.toString()));
        Diff.FilePatch file = changes(before, after).files().getFirst();
        assertThat(file.hunks().size()).isGreaterThan(5);
        assertThat(unified(file)).isEqualTo(gitsHunks(before, after, "big.txt"));
    }

    @Test
    void aFirstDeployShowsEverythingAsNew() throws Exception {
        Diff diff = changes(null, base);
        assertThat(diff.files()).extracting(Diff.FilePatch::path).containsExactly("a.txt", "b.txt");
        assertThat(diff.files()).allMatch(p -> p.change() == Diff.Change.ADD);
        assertThat(diff.files().getFirst().hunks()).containsExactly(new Diff.Hunk(1, 0, 1, 1, java.util.List.of("+a")));
        assertThat(diff.stat()).isEqualTo(stat(null, base));
    }

    @Test
    void binaryFilesAreNamedNotDumpedAndHugeOnesAreLeftOutWithANote() throws Exception {
        byte[] png = new byte[3000];
        png[0] = (byte) 0x89;
        png[1] = 'P';
        png[500] = 0; // a NUL: binary, as git decides
        java.nio.file.Files.write(repo.dir().resolve("logo.png"), png);
        StringBuilder huge = new StringBuilder();
        while (huge.length() <= Diff.FILE_BYTES) huge.append("a line of a very large generated file\n");
        String after = repo.commit("assets", Map.of("generated.txt", huge.toString()));

        Diff diff = changes(base, after);
        Diff.FilePatch generated = diff.files().get(0);
        assertThat(generated.path()).isEqualTo("generated.txt");
        assertThat(generated.hunks()).isEmpty();
        assertThat(generated.truncated()).isTrue();
        assertThat(generated.insertions()).isEqualTo(huge.toString().split("\n").length); // the counts stay
        assertThat(generated.note()).isEqualTo("The file is too large to show here (2.0 MiB; files up to 2.0 MiB are shown).");
        Diff.FilePatch logo = diff.files().get(1);
        assertThat(logo.binary()).isTrue();
        assertThat(logo.hunks()).isEmpty();
        assertThat(logo.note()).isEqualTo("A binary file (2 KiB).");
        assertThat(diff.truncated()).isTrue();
    }

    @Test
    void aLongChangeIsCutPerFileAndOverallAndLongLinesAreCut() throws Exception {
        String longLine = "x".repeat(Diff.LINE_CHARS + 500);
        java.util.Map<String, String> files = new java.util.TreeMap<>();
        files.put("a-long.txt", lines(1, Diff.FILE_LINES + 100));
        for (int i = 0; i < 8; i++) files.put("m" + i + ".txt", lines(1, 1500));
        files.put("z-wide.txt", longLine + "\n");
        String after = repo.commit("lots", files);

        Diff diff = changes(base, after);
        Diff.FilePatch first = diff.files().stream().filter(p -> p.path().equals("a-long.txt")).findFirst().orElseThrow();
        assertThat(first.hunks().stream().mapToInt(h -> h.lines().size()).sum()).isEqualTo(Diff.FILE_LINES);
        assertThat(first.hunks().getFirst().newLines()).isEqualTo(Diff.FILE_LINES);
        assertThat(first.truncated()).isTrue();
        assertThat(first.note()).isEqualTo("Cut: the page shows a file's first 2000 lines of changes.");
        assertThat(first.insertions()).isEqualTo(Diff.FILE_LINES + 100);

        int shown = diff.files().stream().flatMap(p -> p.hunks().stream()).mapToInt(h -> h.lines().size()).sum();
        assertThat(shown).isEqualTo(Diff.DIFF_LINES);
        Diff.FilePatch wide = diff.files().getLast();
        assertThat(wide.path()).isEqualTo("z-wide.txt");
        assertThat(wide.hunks()).isEmpty();
        assertThat(wide.note()).isEqualTo("Not shown: the diff is longer than this page shows (10000 lines).");
        assertThat(diff.stat()).isEqualTo(stat(base, after));

        String small = repo.commit("wide", Map.of("wide.txt", longLine + "\n"));
        Diff.FilePatch cutLine = changes(after, small).files().getLast();
        assertThat(cutLine.hunks().getFirst().lines()).containsExactly("+" + "x".repeat(Diff.LINE_CHARS) + "…");
    }

    private static String lines(int from, int to) {
        StringBuilder sb = new StringBuilder();
        for (int i = from; i <= to; i++) sb.append("line ").append(i).append('\n');
        return sb.toString();
    }

    /** A file's hunks as unified-diff text, with git's convention for an empty side (start one line before). */
    private static String unified(Diff.FilePatch file) {
        StringBuilder sb = new StringBuilder();
        for (Diff.Hunk h : file.hunks()) {
            sb.append("@@ -").append(range(h.oldStart(), h.oldLines())).append(" +").append(range(h.newStart(), h.newLines())).append(" @@\n");
            h.lines().forEach(l -> sb.append(l).append('\n'));
        }
        return sb.toString();
    }

    private static String range(int start, int lines) {
        return lines == 1 ? String.valueOf(start) : (lines == 0 ? start - 1 : start) + "," + lines;
    }

    /** JGit's own unified diff of one path, from its first hunk header on. */
    private String gitsHunks(String from, String to, String path) throws Exception {
        var out = new java.io.ByteArrayOutputStream();
        try (var formatter = new org.eclipse.jgit.diff.DiffFormatter(out); RevWalk walk = new RevWalk(repo.git().getRepository())) {
            formatter.setRepository(repo.git().getRepository());
            formatter.setDetectRenames(true);
            for (var entry : formatter.scan(walk.parseCommit(repo.git().getRepository().resolve(from)).getTree(),
                    walk.parseCommit(repo.git().getRepository().resolve(to)).getTree())) {
                String p = entry.getChangeType() == org.eclipse.jgit.diff.DiffEntry.ChangeType.DELETE ? entry.getOldPath() : entry.getNewPath();
                if (p.equals(path)) formatter.format(entry);
            }
        }
        String text = out.toString(java.nio.charset.StandardCharsets.UTF_8);
        int at = text.indexOf("\n@@ ");
        return at < 0 ? "" : text.substring(at + 1);
    }
}
