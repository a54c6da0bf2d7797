package dev.quorum.repo;

import dev.quorum.testing.TestRepo;

import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The one ref grammar ({@link RefName}) and how the local host resolves it, with the texts users see. */
class RefResolutionTest {

    @TempDir
    Path tmp;

    private TestRepo repo;
    private String first;
    private String second;

    @BeforeEach
    void twoCommitsOnMainAndAFeatureBranchOnTheFirst() throws Exception {
        repo = TestRepo.init(tmp.resolve("demo"));
        first = repo.commit("first", Map.of("a.txt", "1"));
        repo.annotatedTag("v1.0", "release 1.0");
        second = repo.commit("second", Map.of("a.txt", "2"));
        repo.branch("feature/greeting", first);
    }

    @AfterEach
    void close() {
        repo.close();
    }

    private String resolve(String ref) throws RefResolutionException {
        return RepoHosts.local("demo", repo.dir()).resolve(ref).hex();
    }

    @Test
    void resolvesBranchesTagsAndShas() throws Exception {
        assertThat(resolve("main")).isEqualTo(second);
        assertThat(resolve("HEAD")).isEqualTo(second);
        assertThat(resolve("feature/greeting")).isEqualTo(first);
        assertThat(resolve("refs/heads/feature/greeting")).isEqualTo(first);
        assertThat(resolve("v1.0")).as("an annotated tag peels to its commit").isEqualTo(first);
        assertThat(resolve(first)).isEqualTo(first);
        assertThat(resolve(first.substring(0, 7))).isEqualTo(first);
        assertThat(resolve(first.substring(0, 10).toUpperCase())).isEqualTo(first);
    }

    @Test
    void resolvesInABareRepositoryToo() throws Exception {
        Path bare = tmp.resolve("demo.git");
        repo.bareCopy(bare);

        assertThat(RepoHosts.local("demo", bare).resolve("main").hex()).isEqualTo(second);
        assertThat(RepoHosts.local("demo", bare).resolve("feature/greeting").hex()).isEqualTo(first);
    }

    @Test
    void anUnknownRefIsAnErrorNamingTheRefAndTheRepo() {
        assertThatThrownBy(() -> resolve("no-such-branch"))
                .isInstanceOf(RefResolutionException.class)
                .hasMessage("unknown ref 'no-such-branch' in repo demo");
        assertThatThrownBy(() -> resolve("deadbeef"))
                .isInstanceOf(RefResolutionException.class)
                .hasMessage("unknown ref 'deadbeef' in repo demo");
    }

    @ParameterizedTest
    @ValueSource(strings = {"main;rm -rf /", "$(touch pwned)", "`id`", "main && echo hi", "a|b", "main\nother",
            "x'y", "--upload-pack=evil", "main~1", "main^", "@{u}", "HEAD:a.txt", "../main"})
    void aRefWithShellOrRevisionSyntaxIsRefusedBeforeTheRepositoryIsOpened(String ref) throws Exception {
        Path notARepository = Files.createDirectories(tmp.resolve("not-a-repo"));

        assertThatThrownBy(() -> RepoHosts.local("demo", notARepository).resolve(ref))
                .isInstanceOf(RefResolutionException.class)
                .hasMessageStartingWith("invalid ref '");
        assertThat(tmp.resolve("not-a-repo/pwned")).doesNotExist();
        assertThat(Path.of("pwned")).doesNotExist();
    }

    @Test
    void theRefusalSaysWhichCharactersAreAllowed() {
        assertThatThrownBy(() -> resolve("main;rm -rf /"))
                .hasMessage("invalid ref 'main;rm -rf /': only letters, digits and . _ / - are allowed");
        assertThatThrownBy(() -> resolve("feature..x"))
                .hasMessage("invalid ref 'feature..x': not a valid git ref name");
        assertThatThrownBy(() -> resolve(""))
                .hasMessage("empty ref: give a branch, tag or commit SHA");
    }

    @Test
    void anAbbreviationMatchingSeveralObjectsIsAmbiguous() throws Exception {
        String prefix = collidingPrefix();

        assertThatThrownBy(() -> resolve(prefix))
                .isInstanceOf(RefResolutionException.class)
                .hasMessageStartingWith("ambiguous ref '" + prefix + "' in repo demo: matches ");
    }

    @Test
    void aRepositoryThatCannotBeReadIsNamed() {
        assertThatThrownBy(() -> RepoHosts.local("gone", tmp.resolve("missing")).resolve("main"))
                .isInstanceOf(RefResolutionException.class)
                .hasMessageStartingWith("cannot read repo gone to resolve 'main': ");
    }

    /** Adds blobs until two objects share a 4-hex prefix (birthday odds: a few hundred blobs). */
    private String collidingPrefix() throws Exception {
        Map<String, ObjectId> byPrefix = new HashMap<>();
        try (ObjectInserter inserter = repo.git().getRepository().newObjectInserter()) {
            for (int i = 0; ; i++) {
                ObjectId id = inserter.insert(Constants.OBJ_BLOB, ("blob " + i).getBytes(StandardCharsets.UTF_8));
                inserter.flush();
                String prefix = id.name().substring(0, 4);
                if (byPrefix.putIfAbsent(prefix, id) != null) {
                    return prefix;
                }
            }
        }
    }
}
