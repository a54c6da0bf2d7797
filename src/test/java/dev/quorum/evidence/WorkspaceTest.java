package dev.quorum.evidence;

import dev.quorum.repo.Sha;
import dev.quorum.testing.TestRepo;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WorkspaceTest {

    @TempDir
    Path tmp;

    @Test
    void checksOutExactlyTheCommitDetachedBesideItsOwnHomeAndTmp() throws Exception {
        try (TestRepo repo = TestRepo.init(tmp.resolve("demo"))) {
            String first = repo.commit("first", Map.of("greeting.txt", "hello"));
            repo.commit("second", Map.of("greeting.txt", "bonjour"));

            try (Workspace workspace = Workspace.create(tmp.resolve("work"), repo.host("demo"), new Sha(first));
                 Git checkout = Git.open(workspace.checkout().toFile())) {
                assertThat(workspace.checkout().resolve("greeting.txt")).hasContent("hello");
                assertThat(checkout.getRepository().getFullBranch()).as("detached HEAD").isEqualTo(first);
                assertThat(workspace.home()).isEmptyDirectory();
                assertThat(workspace.tmp()).isEmptyDirectory();
                assertThat(workspace.dir().getFileName().toString()).matches("demo-" + first.substring(0, 7) + "-[0-9a-f]{8}");
            }
            assertThat(tmp.resolve("work")).isEmptyDirectory();
        }
    }

    @Test
    void findsACommitThatOnlyANonBranchRefReaches() throws Exception {
        try (TestRepo repo = TestRepo.init(tmp.resolve("demo"))) {
            repo.commit("base", Map.of("a.txt", "base"));
            String merge = repo.commit("merge result", Map.of("a.txt", "merged"));
            Repository source = repo.git().getRepository();
            RefUpdate keep = source.updateRef("refs/quorum/merge/R42");
            keep.setNewObjectId(source.resolve(merge));
            keep.forceUpdate();
            repo.git().reset().setMode(org.eclipse.jgit.api.ResetCommand.ResetType.HARD).setRef("HEAD~1").call();

            try (Workspace workspace = Workspace.create(tmp.resolve("work"), repo.host("demo"), new Sha(merge))) {
                assertThat(workspace.checkout().resolve("a.txt")).hasContent("merged");
            }
        }
    }

    @Test
    void anUnknownCommitLeavesNothingBehind() throws Exception {
        try (TestRepo repo = TestRepo.init(tmp.resolve("demo"))) {
            repo.commit("base", Map.of("a.txt", "base"));
            String missing = "1111111111111111111111111111111111111111";

            assertThatThrownBy(() -> Workspace.create(tmp.resolve("work"), repo.host("demo"), new Sha(missing)))
                    .isInstanceOf(WorkspaceException.class)
                    .hasMessage("commit " + missing + " not found in repo demo");
            assertThat(tmp.resolve("work")).isEmptyDirectory();
        }
    }

    @Test
    void closingDeletesReadOnlyDirectoriesAndLinksWithoutFollowingThem() throws Exception {
        Path precious = Files.writeString(tmp.resolve("precious.txt"), "keep me");
        try (TestRepo repo = TestRepo.init(tmp.resolve("demo"))) {
            String commit = repo.commit("base", Map.of("a.txt", "base"));
            Workspace workspace = Workspace.create(tmp.resolve("work"), repo.host("demo"), new Sha(commit));
            Path locked = Files.createDirectories(workspace.checkout().resolve("locked"));
            Files.writeString(locked.resolve("f"), "x");
            locked.toFile().setWritable(false);
            Files.createSymbolicLink(workspace.checkout().resolve("link"), precious);
            Files.createSymbolicLink(workspace.checkout().resolve("dirlink"), tmp);

            workspace.close();

            assertThat(workspace.dir()).doesNotExist();
            assertThat(precious).hasContent("keep me");
        }
    }
}
