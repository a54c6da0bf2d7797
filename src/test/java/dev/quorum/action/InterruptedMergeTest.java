package dev.quorum.action;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quorum.testing.QuorumHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static dev.quorum.action.InterruptedMerge.executions;
import static dev.quorum.action.InterruptedMerge.outcome;
import static dev.quorum.action.InterruptedMerge.request;
import static dev.quorum.testing.GitHttpServer.git;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A merge whose Quorum is SIGKILLed while it lands (a real JVM, real git, {@link dev.quorum.github.FakeGitHub}) is
 * finished by the Quorum started again (same Redis, same data) from the target ref or the pull request: landed → {@code done} with the reply a
 * landing gives, never pushed or merged a second time; not landed, the target still at the voted base → landed now, once.
 */
class InterruptedMergeTest {
    @TempDir
    Path dir;
    private InterruptedMerge merge;

    @AfterEach
    void tearDown() throws Exception {
        if (merge != null) merge.close();
    }

    @Test
    void aPushThatLandedBeforeQuorumDiedIsDoneFromTheTargetRefNotStaleAndNotPushedAgain() throws Exception {
        merge = new InterruptedMerge(dir, null);
        merge.approveAndKill(InterruptedMerge.KillAt.AFTER_LANDING);
        QuorumHarness second = merge.takeOver();
        String reply = outcome(second);

        JsonNode subject = request(second).get("subject");
        String result = subject.get("merge_sha").asText();
        assertThat(merge.shop.head("main")).contains(result);
        assertThat(reply).isEqualTo("Done: R1 — `main` is now " + result.substring(0, 7) + ", the tested merge of `#" + merge.pr
                + "` (evidence " + subject.get("evidence_digest").asText().substring(0, 8) + "). Approved by bob, carol.");
        assertThat(request(second).get("state").asText()).isEqualTo("done");
        assertThat(executions(second)).singleElement().satisfies(e -> {
            assertThat(e.get("data").get("outcome").asText()).isEqualTo("done");
            assertThat(e.get("data").get("note").asText()).isEqualTo("landed by the interrupted attempt");
        });
        assertThat(receivePacks()).as("one push: the interrupted one").isEqualTo(1);
    }

    @Test
    void aMergeApiCallThatMergedBeforeQuorumDiedIsDoneFromThePullRequestAndNotCalledAgain() throws Exception {
        merge = new InterruptedMerge(dir, "merge_api");
        merge.approveAndKill(InterruptedMerge.KillAt.AFTER_LANDING);
        QuorumHarness second = merge.takeOver();
        String reply = outcome(second);

        JsonNode subject = request(second).get("subject");
        String landed = merge.shop.head("main").orElseThrow();
        assertThat(merge.shop.pull(merge.pr).merged).isTrue();
        assertThat(merge.shop.pull(merge.pr).mergeCommit).isEqualTo(landed);
        assertThat(reply).isEqualTo("Done: R1 — `main` is now " + landed.substring(0, 7) + ": GitHub merged pull request #" + merge.pr
                + " with exactly the tested tree of " + subject.get("merge_sha").asText().substring(0, 7) + " (evidence "
                + subject.get("evidence_digest").asText().substring(0, 8) + "). Approved by bob, carol.");
        assertThat(merge.shop.mergeCalls(merge.pr)).as("GitHub's merge API called once, by the interrupted attempt").hasSize(1);
        assertThat(executions(second)).singleElement().satisfies(e ->
                assertThat(e.get("data").get("note").asText()).isEqualTo("landed by the interrupted attempt"));
    }

    @Test
    void aPushCutOffBeforeItLandedIsLandedOnceAfterTheRestartWhileTheTargetIsStillAtTheVotedBase() throws Exception {
        merge = new InterruptedMerge(dir, null);
        merge.approveAndKill(InterruptedMerge.KillAt.BEFORE_LANDING);
        assertThat(merge.shop.head("main")).as("the held push was refused").contains(merge.main);
        QuorumHarness second = merge.takeOver();
        String reply = outcome(second);

        JsonNode subject = request(second).get("subject");
        String result = subject.get("merge_sha").asText();
        assertThat(reply).startsWith("Done: R1 — `main` is now " + result.substring(0, 7) + ", the tested merge of `#" + merge.pr + "`");
        assertThat(merge.shop.head("main")).contains(result);
        assertThat(executions(second)).singleElement().satisfies(e -> assertThat(e.get("data").has("note")).isFalse());
        assertThat(request(second).get("execution").get("fence").asLong()).as("the second holder's token").isEqualTo(2);
        assertThat(receivePacks()).as("the refused push and the landing").isEqualTo(2);
    }

    /**
     * Another instance takes the execution over, with a mirror of its own that lacks the merge commit the first one
     * tested: it writes the very same commit again from the recorded plan and lands it.
     */
    @Test
    void anotherInstanceWhoseMirrorLacksTheTestedMergeWritesTheSameCommitAgainAndLandsIt() throws Exception {
        merge = new InterruptedMerge(dir, null);
        merge.approveAndKill(InterruptedMerge.KillAt.BEFORE_LANDING);
        QuorumHarness other = merge.takeOver("data-other");
        String reply = outcome(other);

        String result = request(other).get("subject").get("merge_sha").asText();
        assertThat(reply).startsWith("Done: R1 — `main` is now " + result.substring(0, 7) + ", the tested merge of `#" + merge.pr + "`");
        assertThat(merge.shop.head("main")).contains(result);
        assertThat(git(dir.resolve("data-other/mirrors/shop.git"), "rev-parse", "refs/quorum/merges/R1").strip())
                .as("written again in the other instance's own mirror").isEqualTo(result);
    }

    /** GitHub never merged (its push of main was refused): the restart asks once more, and the pull request merges once. */
    @Test
    void aMergeApiCallCutOffBeforeGitHubMergedIsMadeAgainAfterTheRestartAndMergesOnce() throws Exception {
        merge = new InterruptedMerge(dir, "merge_api");
        merge.approveAndKill(InterruptedMerge.KillAt.BEFORE_LANDING);
        assertThat(merge.shop.pull(merge.pr).merged).isFalse();
        QuorumHarness second = merge.takeOver();
        String reply = outcome(second);

        String landed = merge.shop.head("main").orElseThrow();
        assertThat(reply).startsWith("Done: R1 — `main` is now " + landed.substring(0, 7) + ": GitHub merged pull request #" + merge.pr
                + " with exactly the tested tree");
        assertThat(merge.shop.mergeCalls(merge.pr)).as("the cut-off call, which merged nothing, and the restart's").hasSize(2);
        assertThat(git(merge.shop.bare(), "rev-parse", landed + "^1").strip()).as("merged once, onto the voted base").isEqualTo(merge.main);
        assertThat(executions(second)).singleElement().satisfies(e -> assertThat(e.get("data").has("note")).isFalse());
    }

    private long receivePacks() {
        return merge.github.git().requests().stream().filter(r -> r.method().equals("POST") && r.path().endsWith("git-receive-pack")).count();
    }
}
