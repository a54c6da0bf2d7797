package dev.quorum.repo;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class DemoRepositoryTest {
    @TempDir
    Path dir;

    /**
     * The commits every installation gets. {@code main} and {@code feature/greeting} are those the
     * demo has had from its first release: the tour's other branches are children of that {@code
     * main}, so that an existing demo repository can be given them.
     */
    private static final Map<String, String> COMMITS = Map.of(
            "main", "7646f7635f307b2a9d141bae3daaff9d28d09e7b",
            "feature/greeting", "3e94783557334afc92d2ad2efe023207c46c2369",
            "feature/introductions", "110c424b8f476a8f959b0c43e9a2a02861774bf5",
            "feature/formal-greeting", "f6e3a0b82d398a00af33b700642faf94a6b160f0",
            "feature/slow-tests", "758d1f0721ea55c2014b907465b24d5644bce901");
    private static final Instant NOW = Instant.parse("2026-02-01T10:00:00Z");

    @Test
    void createsABareRepoWithMainAndOneBranchOffItForEachStepOfTheTour() throws Exception {
        Path repo = dir.resolve("repos/demo");
        assertThat(DemoRepository.createIfMissing(repo)).isTrue();
        try (Git git = Git.open(repo.toFile())) {
            Repository r = git.getRepository();
            assertThat(r.isBare()).isTrue();
            assertThat(r.getFullBranch()).isEqualTo("refs/heads/main");
            assertThat(branches(r)).isEqualTo(COMMITS);
            ObjectId main = r.resolve("refs/heads/main");
            for (String branch : COMMITS.keySet()) {
                if (branch.equals("main")) continue;
                assertThat(r.parseCommit(r.resolve("refs/heads/" + branch)).getParents()).as(branch)
                        .extracting(RevCommit::getId).containsExactly(main);
            }
            assertThat(files(r, main)).contains("pom.xml", "scripts/deploy.sh", "src/test/java/demo/GreeterTest.java");
            try (TreeWalk tw = TreeWalk.forPath(r, "scripts/deploy.sh", r.parseCommit(main).getTree())) {
                assertThat(tw.getFileMode(0).getBits() & 0111).as("deploy.sh is executable").isNotZero();
            }
            // Every branch is the same Maven project (the same plugins and dependencies as main, so it
            // runs offline on the cache that main's tests filled), with its own change on top.
            ObjectId mainPom = blob(r, main, "pom.xml");
            for (String branch : COMMITS.keySet()) assertThat(blob(r, r.resolve("refs/heads/" + branch), "pom.xml")).as(branch).isEqualTo(mainPom);
            assertThat(files(r, r.resolve("refs/heads/feature/introductions"))).contains("src/main/java/demo/Introducer.java");
            assertThat(files(r, r.resolve("refs/heads/feature/slow-tests"))).contains("src/test/java/demo/GreeterSoakTest.java");
            assertThat(r.getConfig().getSubsections("remote")).as("no remote left behind").isEmpty();
        }
    }

    @Test
    void theTourWorksOnTheBranches() throws Exception {
        Path repo = dir.resolve("demo");
        DemoRepository.createIfMissing(repo);
        String main = COMMITS.get("main");
        MergePlan greeting = GitRepos.planMerge(repo, new Sha(main), new Sha(COMMITS.get("feature/greeting")), false, "merge", "refs/quorum/t1", NOW);
        Sha merged = ((MergePlan.Ready) greeting).result();
        // During the freeze, the second branch merges cleanly onto main with feature/greeting in it ...
        assertThat(GitRepos.planMerge(repo, merged, new Sha(COMMITS.get("feature/introductions")), false, "merge", "refs/quorum/t2", NOW))
                .isInstanceOf(MergePlan.Ready.class);
        // ... and the formal greeting, which changes the same lines, conflicts.
        assertThat(GitRepos.planMerge(repo, merged, new Sha(COMMITS.get("feature/formal-greeting")), false, "merge", "refs/quorum/t3", NOW))
                .isEqualTo(new MergePlan.Conflicts(List.of("src/main/java/demo/Greeter.java", "src/test/java/demo/GreeterTest.java")));
    }

    @Test
    void everyInstallationGetsTheSameCommits() throws Exception {
        DemoRepository.createIfMissing(dir.resolve("a"));
        DemoRepository.createIfMissing(dir.resolve("b"));
        try (Git a = Git.open(dir.resolve("a").toFile()); Git b = Git.open(dir.resolve("b").toFile())) {
            assertThat(branches(a.getRepository())).isEqualTo(branches(b.getRepository())).isEqualTo(COMMITS);
        }
    }

    @Test
    void anOlderDemoRepositoryGetsTheBranchesItLacksAndNoBranchItHasMoves() throws Exception {
        Path repo = dir.resolve("demo");
        DemoRepository.createIfMissing(repo);
        String moved;
        try (Git git = Git.open(repo.toFile())) {
            // As an installation from before the tour had its branches, after the tour's first merge:
            // main moved on, feature/greeting is there, the other branches are not.
            Repository r = git.getRepository();
            for (String branch : List.of("feature/introductions", "feature/formal-greeting", "feature/slow-tests")) {
                RefUpdate delete = r.updateRef("refs/heads/" + branch);
                delete.setForceUpdate(true);
                assertThat(delete.delete()).isEqualTo(RefUpdate.Result.FORCED);
            }
            moved = ((MergePlan.Ready) GitRepos.planMerge(repo, new Sha(COMMITS.get("main")), new Sha(COMMITS.get("feature/greeting")), false,
                    "merge", "refs/quorum/t1", NOW)).result().hex();
            assertThat(GitRepos.compareAndSet(repo, "main", new Sha(COMMITS.get("main")), new Sha(moved), "test")).isEqualTo(RepoHost.Move.MOVED);
            // Someone's own branch under a name the tour uses is theirs.
            RefUpdate mine = r.updateRef("refs/heads/feature/slow-tests");
            mine.setNewObjectId(ObjectId.fromString(moved));
            assertThat(mine.update()).isEqualTo(RefUpdate.Result.NEW);
        }

        assertThat(DemoRepository.createIfMissing(repo)).isTrue();
        try (Git git = Git.open(repo.toFile())) {
            Map<String, String> expected = new TreeMap<>(COMMITS);
            expected.put("main", moved);
            expected.put("feature/slow-tests", moved);
            assertThat(branches(git.getRepository())).isEqualTo(expected);
        }
        assertThat(DemoRepository.createIfMissing(repo)).as("nothing left to add").isFalse();
    }

    @Test
    void aRepositoryThatIsNotTheDemoGetsNoBranches() throws Exception {
        Path other = dir.resolve("other");
        try (Git git = Git.init().setBare(true).setInitialBranch("main").setDirectory(other.toFile()).call()) {
            assertThat(DemoRepository.createIfMissing(other)).isFalse();
            assertThat(git.getRepository().getRefDatabase().getRefs()).isEmpty();
        }
    }

    @Test
    void anExistingFolderIsLeftAlone() throws Exception {
        Path existing = Files.createDirectories(dir.resolve("mine"));
        Files.writeString(existing.resolve("keep.txt"), "mine");
        assertThat(DemoRepository.createIfMissing(existing)).isFalse();
        try (Stream<Path> left = Files.list(existing)) {
            assertThat(left).containsExactly(existing.resolve("keep.txt"));
        }
        assertThat(Files.readString(existing.resolve("keep.txt"))).isEqualTo("mine");
    }

    @Test
    void aFileAtThePathIsLeftAlone() throws Exception {
        Path file = Files.writeString(dir.resolve("demo"), "not a repository");
        assertThat(DemoRepository.createIfMissing(file)).isFalse();
        assertThat(Files.readString(file)).isEqualTo("not a repository");
    }

    @Test
    void theIndexListsExactlyTheShippedFiles() throws IOException {
        Path root = Path.of("src/main/resources/demo-repo");
        List<String> onDisk;
        try (Stream<Path> walk = Files.walk(root)) {
            onDisk = walk.filter(Files::isRegularFile).map(p -> root.relativize(p).toString())
                    .filter(p -> !p.equals("files.txt")).sorted().toList();
        }
        assertThat(Files.readAllLines(root.resolve("files.txt")).stream().filter(l -> !l.isBlank()).toList())
                .containsExactlyElementsOf(onDisk);
    }

    private static Map<String, String> branches(Repository r) throws IOException {
        Map<String, String> out = new TreeMap<>();
        for (Ref ref : r.getRefDatabase().getRefsByPrefix(Constants.R_HEADS)) {
            out.put(ref.getName().substring(Constants.R_HEADS.length()), ref.getObjectId().name());
        }
        return out;
    }

    private static ObjectId blob(Repository r, ObjectId commit, String path) throws IOException {
        try (TreeWalk tw = TreeWalk.forPath(r, path, r.parseCommit(commit).getTree())) {
            return tw.getObjectId(0);
        }
    }

    private static List<String> files(Repository r, ObjectId commit) throws IOException {
        try (TreeWalk tw = new TreeWalk(r)) {
            tw.addTree(r.parseCommit(commit).getTree());
            tw.setRecursive(true);
            List<String> out = new java.util.ArrayList<>();
            while (tw.next()) out.add(tw.getPathString());
            return out;
        }
    }
}
