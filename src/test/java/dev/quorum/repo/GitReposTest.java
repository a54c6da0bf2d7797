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
        MergePlan.Ready ready = (MergePlan.Ready) GitRepos.planMerge(repo.dir(), main, feature, true, "Merge\n", "refs/quorum/merges/R1", Instant.now());
        assertThat(ready.fastForward()).isFalse();
        assertThat(GitRepos.head(repo.dir(), "main")).contains(main);
        assertThat(repo.git().getRepository().exactRef("refs/quorum/merges/R1").getObjectId().name()).isEqualTo(ready.resultSha());
        try (RevWalk walk = new RevWalk(repo.git().getRepository())) {
            assertThat(walk.parseCommit(repo.git().getRepository().resolve(ready.resultSha())).getParents())
                    .extracting(p -> p.name()).containsExactly(main, feature);
        }
        assertThat(ready.diff()).isEqualTo(new DiffStat(java.util.List.of("c.txt"), 1, 0));
    }

    @Test
    void fastForwardStyleMovesToTheSourceItselfWhenPossibleAndMergeStyleNever() throws Exception {
        String feature = onBranch("feature", Map.of("c.txt", "c\n"));
        MergePlan.Ready ff = (MergePlan.Ready) GitRepos.planMerge(repo.dir(), base, feature, true, "Merge\n", "refs/quorum/merges/R1", Instant.now());
        assertThat(ff.fastForward()).isTrue();
        assertThat(ff.resultSha()).isEqualTo(feature);
        MergePlan.Ready merge = (MergePlan.Ready) GitRepos.planMerge(repo.dir(), base, feature, false, "Merge\n", "refs/quorum/merges/R2", Instant.now());
        assertThat(merge.fastForward()).isFalse();
        assertThat(merge.resultSha()).isNotEqualTo(feature);
    }

    @Test
    void aBranchAlreadyInTheTargetHasNothingToMerge() throws Exception {
        assertThat(GitRepos.planMerge(repo.dir(), base, base, true, "m", "refs/quorum/merges/R1", Instant.now()))
                .isEqualTo(new MergePlan.NothingToMerge(base, base));
    }

    @Test
    void conflictsNameTheirPaths() throws Exception {
        String feature = onBranch("feature", Map.of("a.txt", "feature\n"));
        String main = repo.commit("main", Map.of("a.txt", "main\n"));
        assertThat(GitRepos.planMerge(repo.dir(), main, feature, false, "m", "refs/quorum/merges/R1", Instant.now()))
                .isEqualTo(new MergePlan.Conflicts(java.util.List.of("a.txt")));
    }

    @Test
    void aBranchMovesOnlyFromTheCommitItWasSeenAt() throws Exception {
        String feature = onBranch("feature", Map.of("c.txt", "c\n"));
        String moved = repo.commit("someone pushed", Map.of("d.txt", "d\n"));
        assertThat(GitRepos.compareAndSet(repo.dir(), "main", base, feature, "test")).isEqualTo(GitRepos.Move.MOVED_ELSEWHERE);
        assertThat(GitRepos.head(repo.dir(), "main")).contains(moved);
        assertThat(GitRepos.compareAndSet(repo.dir(), "main", moved, feature, "test")).isEqualTo(GitRepos.Move.MOVED);
        assertThat(GitRepos.compareAndSet(repo.dir(), "main", moved, feature, "test")).isEqualTo(GitRepos.Move.ALREADY_THERE);
    }
}
