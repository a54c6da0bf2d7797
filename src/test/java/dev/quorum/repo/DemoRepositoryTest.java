package dev.quorum.repo;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class DemoRepositoryTest {
    @TempDir
    Path dir;

    @Test
    void createsABareRepoWithMainAndATestedFeatureBranch() throws Exception {
        Path repo = dir.resolve("repos/demo");
        assertThat(DemoRepository.createIfMissing(repo)).isTrue();
        try (Git git = Git.open(repo.toFile())) {
            Repository r = git.getRepository();
            assertThat(r.isBare()).isTrue();
            ObjectId main = r.resolve("refs/heads/main");
            ObjectId feature = r.resolve("refs/heads/feature/greeting");
            assertThat(main).isNotNull();
            assertThat(feature).isNotNull();
            RevCommit featureCommit = r.parseCommit(feature);
            assertThat(featureCommit.getParent(0).getId()).isEqualTo(main);
            assertThat(files(r, main)).contains("pom.xml", "scripts/deploy.sh", "src/test/java/demo/GreeterTest.java");
            try (TreeWalk tw = TreeWalk.forPath(r, "scripts/deploy.sh", r.parseCommit(main).getTree())) {
                assertThat(tw.getFileMode(0).getBits() & 0111).as("deploy.sh is executable").isNotZero();
            }
        }
    }

    @Test
    void everyInstallationGetsTheSameCommits() throws Exception {
        DemoRepository.createIfMissing(dir.resolve("a"));
        DemoRepository.createIfMissing(dir.resolve("b"));
        try (Git a = Git.open(dir.resolve("a").toFile()); Git b = Git.open(dir.resolve("b").toFile())) {
            assertThat(a.getRepository().resolve("feature/greeting")).isEqualTo(b.getRepository().resolve("feature/greeting"));
        }
    }

    @Test
    void anExistingFolderIsLeftAlone() throws Exception {
        Path existing = Files.createDirectories(dir.resolve("mine"));
        Files.writeString(existing.resolve("keep.txt"), "mine");
        assertThat(DemoRepository.createIfMissing(existing)).isFalse();
        assertThat(Files.readString(existing.resolve("keep.txt"))).isEqualTo("mine");
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
