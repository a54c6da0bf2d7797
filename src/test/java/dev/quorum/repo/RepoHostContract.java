package dev.quorum.repo;

import dev.quorum.testing.TestRepo;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What every {@link RepoHost} must do, whatever it reads and moves: the behaviour merges, deploys,
 * evidence and the coding agent rely on, with the texts users see.
 *
 * <p>The fixture is an <em>upstream</em>: a bare git repository on this disk, standing for the
 * repository a team really uses, and a working repository the test commits in and publishes from
 * ({@link #publish}, a forced {@code git push} of every branch and tag: "someone pushed"). The test
 * reads the upstream's refs directly ({@link #upstreamHead}) to see what a host really moved.
 *
 * <p>Hooks for a host's own subclass:
 * <ul>
 *   <li>{@link #host(String, Path)} (required): a host named {@code name} for the upstream at the given
 *       bare directory. The local host reads it in place; a remote host serves it (e.g. {@code git
 *       http-backend} on 127.0.0.1, with authentication) and keeps its mirror wherever it likes, e.g.
 *       under {@link #tmp}. Called once per test, after the first {@link #publish}.</li>
 *   <li>{@link #closeHost()} (optional): stops what {@code host} started; runs after each test.</li>
 * </ul>
 * The contract calls {@link RepoHost#refresh} where callers do (before resolving, reading heads,
 * planning), and deliberately <em>not</em> before {@link RepoHost#compareAndSet} and
 * {@link RepoHost#pushBranch}: a host must refuse to move a branch that moved upstream since its
 * last fetch, so its guard has to be the upstream's own (a push with the expected old value), not
 * its copy.
 */
public abstract class RepoHostContract {
    protected static final String NAME = "demo";
    private static final Instant NOW = Instant.parse("2026-01-01T10:00:00Z");

    @TempDir
    protected Path tmp;

    protected TestRepo work;
    protected Path upstream;
    protected RepoHost host;
    protected Sha base;
    protected Sha feature;

    /** A host named {@code name} for the bare repository {@code upstream}. */
    protected abstract RepoHost host(String name, Path upstream) throws Exception;

    /** Stops what {@link #host} started (a server, say); nothing to stop by default. */
    protected void closeHost() throws Exception {
    }

    @BeforeEach
    void upstreamWithMainAFeatureBranchAndATag() throws Exception {
        work = TestRepo.init(tmp.resolve("work"));
        base = new Sha(work.commit("base", Map.of("a.txt", "a\n", "b.txt", "b\n")));
        work.annotatedTag("v1.0", "release 1.0");
        feature = onBranch("feature/greeting", Map.of("c.txt", "c\n"));
        upstream = tmp.resolve("upstream.git");
        try (Git bare = Git.init().setBare(true).setDirectory(upstream.toFile()).setInitialBranch("main").call()) {
            bare.getRepository().getConfig().setInt("gc", null, "auto", 0);
            bare.getRepository().getConfig().save();
        }
        publish();
        host = host(NAME, upstream);
    }

    @AfterEach
    void closeEverything() throws Exception {
        try {
            closeHost();
        } finally {
            work.close();
        }
    }

    // ---- resolving what users type -------------------------------------------------------------

    @Test
    void resolvesBranchesTagsAndFullOrAbbreviatedShas() throws Exception {
        host.refresh();
        assertThat(host.resolve("main")).isEqualTo(base);
        assertThat(host.resolve("feature/greeting")).isEqualTo(feature);
        assertThat(host.resolve("v1.0")).as("an annotated tag peels to its commit").isEqualTo(base);
        assertThat(host.resolve(feature.hex())).isEqualTo(feature);
        assertThat(host.resolve(feature.abbrev())).isEqualTo(feature);
        assertThat(host.resolve(feature.hex().substring(0, 10).toUpperCase())).isEqualTo(feature);
    }

    @Test
    void unknownAndInvalidRefsAreRefusedWithTheTextsUsersSee() throws Exception {
        host.refresh();
        assertThatThrownBy(() -> host.resolve("no-such-branch")).isInstanceOf(RefResolutionException.class)
                .hasMessage("unknown ref 'no-such-branch' in repo demo");
        assertThatThrownBy(() -> host.resolve("deadbeef")).isInstanceOf(RefResolutionException.class)
                .hasMessage("unknown ref 'deadbeef' in repo demo");
        assertThatThrownBy(() -> host.resolve("main;touch pwned")).isInstanceOf(RefResolutionException.class)
                .hasMessage("invalid ref 'main;touch pwned': only letters, digits and . _ / - are allowed");
        assertThatThrownBy(() -> host.resolve("--upload-pack=evil")).isInstanceOf(RefResolutionException.class)
                .hasMessageStartingWith("invalid ref '--upload-pack=evil'");
        assertThatThrownBy(() -> host.resolve("main~1")).isInstanceOf(RefResolutionException.class)
                .hasMessageStartingWith("invalid ref 'main~1'");
        assertThatThrownBy(() -> host.resolve("")).hasMessage("empty ref: give a branch, tag or commit SHA");
        assertThat(tmp.resolve("pwned")).doesNotExist();
        assertThat(Path.of("pwned")).doesNotExist();
    }

    @Test
    void aPushUpstreamIsSeenAfterRefresh() throws Exception {
        Sha next = new Sha(work.commit("next", Map.of("a.txt", "a2\n")));
        publish();

        assertThat(host.resolveCurrent("main")).isEqualTo(next);
        assertThat(host.head("main")).contains(next);
    }

    // ---- heads ---------------------------------------------------------------------------------

    @Test
    void headsRefNamesAndAncestry() throws Exception {
        host.refresh();
        assertThat(host.head("main")).contains(base);
        assertThat(host.head("feature/greeting")).contains(feature);
        assertThat(host.head("no-such-branch")).isEmpty();
        assertThat(host.refNames(false)).contains("main", "feature/greeting").doesNotContain("v1.0");
        assertThat(host.refNames(true)).contains("main", "feature/greeting", "v1.0");
        assertThat(host.isOnBranch(base, "main")).isTrue();
        assertThat(host.isOnBranch(feature, "main")).isFalse();
        assertThat(host.isOnBranch(feature, "feature/greeting")).isTrue();
        assertThat(host.isOnBranch(new Sha("1".repeat(40)), "main")).as("an unknown commit").isFalse();
        assertThat(host.isOnBranch(base, "no-such-branch")).isFalse();
    }

    @Test
    void findRefNamesTheFullRefAndItsCommit() throws Exception {
        host.refresh();
        assertThat(host.findRef("v1.0")).contains(new RepoHost.NamedRef("refs/tags/v1.0", base));
        assertThat(host.findRef("feature/greeting")).contains(new RepoHost.NamedRef("refs/heads/feature/greeting", feature));
        assertThat(host.findRef(feature.hex())).as("a SHA is no ref").isEmpty();
        assertThat(host.findRef("no-such-ref")).isEmpty();
    }

    @Test
    void quorumsOwnPinsAreNoRefNames() throws Exception {
        host.refresh();
        host.planMerge(base, feature, false, "Merge\n", "refs/quorum/merges/R1", NOW);
        assertThat(host.refNames(true)).noneMatch(n -> n.contains("quorum/merges"));
    }

    // ---- planning a merge ----------------------------------------------------------------------

    @Test
    void aFastForwardIsTheSourceItself() throws Exception {
        host.refresh();
        MergePlan.Ready ff = ready(base, feature, true, "refs/quorum/merges/R1");

        assertThat(ff.fastForward()).isTrue();
        assertThat(ff.result()).isEqualTo(feature);
        assertThat(ff.target()).isEqualTo(base);
        assertThat(ff.source()).isEqualTo(feature);
        assertThat(ff.diff()).isEqualTo(new DiffStat(List.of(new DiffStat.FileChange("c.txt", "add", 1, 0)), 1, 0));
        assertThat(upstreamHead("main")).as("planning moves nothing").contains(base);
    }

    @Test
    void aMergeCommitHasBothParentsIsPinnedAndCanBeCheckedOutBeforeItLands() throws Exception {
        Sha main = new Sha(work.commit("main moves", Map.of("b.txt", "b2\n")));
        publish();
        host.refresh();

        MergePlan.Ready merge = ready(main, feature, true, "refs/quorum/merges/R2");

        assertThat(merge.fastForward()).isFalse();
        assertThat(merge.result()).isNotIn(main, feature);
        assertThat(merge.pinRef()).isEqualTo("refs/quorum/merges/R2");
        assertThat(merge.diff().paths()).containsExactly("c.txt");
        assertThat(upstreamHead("main")).contains(main);
        Path into = tmp.resolve("merge-checkout");
        host.checkout(merge.result(), into);
        assertThat(into.resolve("b.txt")).hasContent("b2");
        assertThat(into.resolve("c.txt")).hasContent("c");
        assertThat(parentsOf(into, merge.result())).containsExactly(main, feature);
    }

    @Test
    void mergeStyleNeverFastForwards() throws Exception {
        host.refresh();
        MergePlan.Ready merge = ready(base, feature, false, "refs/quorum/merges/R3");
        assertThat(merge.fastForward()).isFalse();
        assertThat(merge.result()).isNotEqualTo(feature);
    }

    @Test
    void aSourceAlreadyInTheTargetHasNothingToMerge() throws Exception {
        host.refresh();
        assertThat(host.planMerge(feature, base, true, "m", "refs/quorum/merges/R4", NOW))
                .isEqualTo(new MergePlan.NothingToMerge(feature, base));
    }

    @Test
    void conflictsNameTheirPaths() throws Exception {
        Sha conflicting = onBranch("feature/greeting", Map.of("a.txt", "feature\n"));
        Sha main = new Sha(work.commit("main", Map.of("a.txt", "main\n")));
        publish();
        host.refresh();

        assertThat(host.planMerge(main, conflicting, false, "m", "refs/quorum/merges/R5", NOW))
                .isEqualTo(new MergePlan.Conflicts(List.of("a.txt")));
    }

    // ---- moving a branch -----------------------------------------------------------------------

    @Test
    void compareAndSetLandsTheTestedMergeUpstreamAndIsIdempotent() throws Exception {
        Sha main = new Sha(work.commit("main moves", Map.of("b.txt", "b2\n")));
        publish();
        host.refresh();
        MergePlan.Ready merge = ready(main, feature, false, "refs/quorum/merges/R6");

        assertThat(host.compareAndSet("main", main, merge.result(), "quorum: R6")).isEqualTo(RepoHost.Move.MOVED);
        assertThat(upstreamHead("main")).contains(merge.result());
        assertThat(host.compareAndSet("main", main, merge.result(), "quorum: R6")).isEqualTo(RepoHost.Move.ALREADY_THERE);
        host.refresh();
        assertThat(host.head("main")).contains(merge.result());
    }

    @Test
    void aBranchThatMovedUpstreamSinceTheVoteIsNotMoved() throws Exception {
        host.refresh();
        MergePlan.Ready merge = ready(base, feature, false, "refs/quorum/merges/R7");
        Sha pushed = new Sha(work.commit("someone pushed after approval", Map.of("d.txt", "d\n")));
        publish(); // and no refresh: the host's copy still says main is at base

        assertThat(host.compareAndSet("main", base, merge.result(), "quorum: R7")).isEqualTo(RepoHost.Move.MOVED_ELSEWHERE);
        assertThat(upstreamHead("main")).contains(pushed);
    }

    // ---- measuring a change --------------------------------------------------------------------

    @Test
    void diffStatCountsEveryFileAndMatchesTheFullDiff() throws Exception {
        Sha after = new Sha(work.commit("change", Map.of("a.txt", "a1\na2\n", "d/e.txt", "e\n")));
        publish();
        host.refresh();

        DiffStat stat = host.diffStat(base, after);
        assertThat(stat.files()).containsExactly(new DiffStat.FileChange("a.txt", "modify", 2, 1),
                new DiffStat.FileChange("d/e.txt", "add", 1, 0));
        assertThat(stat.summary()).isEqualTo("2 files changed, +3 −1");
        Diff diff = host.changes(base, after);
        assertThat(diff.stat()).isEqualTo(stat);
        assertThat(diff.files().getFirst().hunks()).containsExactly(new Diff.Hunk(1, 1, 1, 2, List.of("-a", "+a1", "+a2")));
    }

    @Test
    void aFirstDeployShowsEverythingAsNew() throws Exception {
        host.refresh();
        DiffStat stat = host.diffStat(null, base);
        assertThat(stat.paths()).containsExactly("a.txt", "b.txt");
        assertThat(stat.files()).allMatch(f -> f.change().equals("add"));
        assertThat(host.changes(null, base).stat()).isEqualTo(stat);
    }

    @Test
    void aChangeOfACommitTheHostDoesNotHaveIsNamed() throws Exception {
        host.refresh();
        Sha missing = new Sha("2".repeat(40));
        assertThatThrownBy(() -> host.diffStat(base, missing)).isInstanceOf(CommitNotFoundException.class)
                .hasMessage("commit " + missing.hex() + " not found in repo demo");
        assertThatThrownBy(() -> host.changes(missing, base)).isInstanceOf(CommitNotFoundException.class)
                .hasMessage("commit " + missing.hex() + " not found in repo demo");
    }

    @Test
    void theFilesOfACommitAreListedWithTheirSizesAndRead() throws Exception {
        host.refresh();
        Map<String, String> seen = new java.util.LinkedHashMap<>();
        host.files(feature, (path, size, contents) -> {
            byte[] bytes = contents.read();
            assertThat(bytes).as(path).hasSize((int) size);
            seen.put(path, new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
        });
        assertThat(seen).containsExactly(Map.entry("a.txt", "a\n"), Map.entry("b.txt", "b\n"), Map.entry("c.txt", "c\n"));
    }

    // ---- checking out ----------------------------------------------------------------------------

    @Test
    void aCheckoutIsDetachedAtTheCommitAndSharesNothingWithTheRepository() throws Exception {
        host.refresh();
        Path into = tmp.resolve("checkout");

        host.checkout(feature, into);

        assertThat(into.resolve("c.txt")).hasContent("c");
        try (Git git = Git.open(into.toFile())) {
            assertThat(git.getRepository().getFullBranch()).as("detached").isEqualTo(feature.hex());
        }
        Files.writeString(into.resolve("a.txt"), "scribbled\n");
        assertThat(upstreamHead("feature/greeting")).contains(feature);
        assertThat(host.resolve("feature/greeting")).isEqualTo(feature);
    }

    @Test
    void aCommitTheHostDoesNotHaveIsNamed() throws Exception {
        host.refresh();
        Sha missing = new Sha("1".repeat(40));
        assertThatThrownBy(() -> host.checkout(missing, tmp.resolve("missing")))
                .isInstanceOf(CommitNotFoundException.class)
                .hasMessage("commit " + missing.hex() + " not found in repo demo");
    }

    // ---- the coding agent's branch ---------------------------------------------------------------

    @Test
    void anAgentBranchIsCreatedThenAddedToAndNeverForced() throws Exception {
        host.refresh();
        Path clone = tmp.resolve("agent");
        Sha first;
        Sha second;
        try (WorkingCopy copy = agentClone(clone, "quorum/R12", "agent.txt", "one\n")) {
            first = commit(copy, "agent: one");

            assertThat(host.pushBranch(clone, "quorum/R12", first, Optional.empty())).isEqualTo(RepoHost.Move.MOVED);
            assertThat(upstreamHead("quorum/R12")).contains(first);
            assertThat(host.pushBranch(clone, "quorum/R12", first, Optional.empty())).isEqualTo(RepoHost.Move.ALREADY_THERE);

            Files.writeString(clone.resolve("agent.txt"), "two\n");
            second = commit(copy, "agent: two");
            assertThat(host.pushBranch(clone, "quorum/R12", second, Optional.empty()))
                    .as("the branch exists: creating it again is refused").isEqualTo(RepoHost.Move.MOVED_ELSEWHERE);
            assertThat(host.pushBranch(clone, "quorum/R12", second, Optional.of(first))).isEqualTo(RepoHost.Move.MOVED);
        }
        assertThat(upstreamHead("quorum/R12")).contains(second);
        host.refresh();
        assertThat(host.head("quorum/R12")).contains(second);
        assertThat(host.diffStat(base, second).paths()).containsExactly("agent.txt");
    }

    @Test
    void anAgentBranchSomeoneElseMovedIsNotOverwritten() throws Exception {
        host.refresh();
        Path clone = tmp.resolve("agent");
        try (WorkingCopy copy = agentClone(clone, "quorum/R13", "agent.txt", "one\n")) {
            Sha first = commit(copy, "agent: one");
            assertThat(host.pushBranch(clone, "quorum/R13", first, Optional.empty())).isEqualTo(RepoHost.Move.MOVED);
            work.branch("quorum/R13", feature.hex()); // a newer attempt, or a person, moved it
            publish();
            Files.writeString(clone.resolve("agent.txt"), "two\n");
            Sha second = commit(copy, "agent: two");

            assertThat(host.pushBranch(clone, "quorum/R13", second, Optional.of(first))).isEqualTo(RepoHost.Move.MOVED_ELSEWHERE);
        }
        assertThat(upstreamHead("quorum/R13")).contains(feature);
    }

    @Test
    void onlyAgentBranchesArePushed() throws Exception {
        host.refresh();
        Path clone = tmp.resolve("agent");
        Sha evil;
        try (WorkingCopy copy = agentClone(clone, "quorum/R14", "evil.txt", "x\n")) {
            evil = commit(copy, "evil");
        }
        for (String branch : List.of("main", "feature/greeting", "quorum/", "quorum/../main", "refs/heads/main", "quorum/R1:main")) {
            assertThatThrownBy(() -> host.pushBranch(clone, branch, evil, Optional.of(base)))
                    .as(branch).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(upstreamHead("main")).contains(base);
        assertThat(upstreamBranches()).containsExactlyInAnyOrder("feature/greeting", "main");
    }

    // ---- the fixture -----------------------------------------------------------------------------

    /** A merge the test expects to be possible, pinned under {@code pin}. */
    private MergePlan.Ready ready(Sha target, Sha source, boolean fastForwardAllowed, String pin) throws IOException {
        return (MergePlan.Ready) host.planMerge(target, source, fastForwardAllowed, "Merge\n", pin, NOW);
    }

    /** A checkout of {@code base} on {@code branch} with one commit of the agent's in it. */
    private WorkingCopy agentClone(Path clone, String branch, String file, String text) throws IOException {
        host.checkout(base, clone);
        WorkingCopy copy = WorkingCopy.open(clone);
        copy.startBranch(branch);
        Files.writeString(clone.resolve(file), text);
        return copy;
    }

    private static Sha commit(WorkingCopy copy, String message) throws IOException {
        return copy.commitAll(message, "Quorum", "quorum@localhost").orElseThrow();
    }

    /** Commits {@code files} on {@code branch} (created at the current commit if new) and goes back to main. */
    protected Sha onBranch(String branch, Map<String, String> files) throws Exception {
        Git git = work.git();
        git.checkout().setCreateBranch(git.getRepository().resolve("refs/heads/" + branch) == null).setName(branch).call();
        Sha sha = new Sha(work.commit(branch, files));
        git.checkout().setName("main").call();
        return sha;
    }

    /** Force-pushes every branch and tag of the working repository to the upstream, as someone else would. */
    protected void publish() throws IOException, InterruptedException {
        git("-C", work.dir().toString(), "push", "-q", "--force", upstream.toUri().toString(),
                "refs/heads/*:refs/heads/*", "refs/tags/*:refs/tags/*");
    }

    /** Where {@code branch} is in the upstream itself, not in any host's copy. */
    protected Optional<Sha> upstreamHead(String branch) throws IOException {
        try (Git git = Git.open(upstream.toFile())) {
            var id = git.getRepository().resolve("refs/heads/" + branch);
            return id == null ? Optional.empty() : Optional.of(new Sha(id.name()));
        }
    }

    private List<String> upstreamBranches() throws IOException {
        try (Git git = Git.open(upstream.toFile())) {
            List<String> names = new ArrayList<>();
            git.getRepository().getRefDatabase().getRefsByPrefix("refs/heads/").forEach(r -> names.add(Repository.shortenRefName(r.getName())));
            return names;
        }
    }

    private static List<Sha> parentsOf(Path repository, Sha commit) throws IOException {
        try (Git git = Git.open(repository.toFile()); RevWalk walk = new RevWalk(git.getRepository())) {
            RevCommit c = walk.parseCommit(git.getRepository().resolve(commit.hex()));
            List<Sha> parents = new ArrayList<>();
            for (RevCommit p : c.getParents()) parents.add(new Sha(p.name()));
            return parents;
        }
    }

    private static void git(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        Process git = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(git.getInputStream().readAllBytes());
        if (git.waitFor() != 0) throw new IOException(String.join(" ", command) + " failed: " + output);
    }
}
