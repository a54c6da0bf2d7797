package dev.quorum.attack;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quorum.audit.CanonicalJson;
import dev.quorum.evidence.EvidenceRecord;
import dev.quorum.evidence.EvidenceStatus;
import dev.quorum.evidence.TestCounts;
import dev.quorum.store.Redis;
import dev.quorum.testing.QuorumHarness;
import dev.quorum.testing.QuorumProcess;
import dev.quorum.testing.SseClient;
import dev.quorum.testing.Suites;
import dev.quorum.testing.TestRedis;
import dev.quorum.testing.TestRepo;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAddArgs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Someone who can write Quorum's Redis (but cannot read its data folder, where the seal key and
 * the anchor file live) tampers with the audit log and the evidence. Every attempt must show in
 * {@code audit verify} (API and CLI), and no forged evidence may ever be attached to an action.
 */
class AuditTamperAttackTest {
    @TempDir
    Path dir;
    private TestRepo repo;
    private QuorumHarness q;
    private Redis attacker;
    private SseClient room;
    private String mainSha;
    private Path data;

    @BeforeEach
    void setUp() throws Exception {
        TestRedis.flush();
        repo = TestRepo.init(dir.resolve("app"));
        Path deployments = dir.resolve("deployments.log");
        mainSha = repo.commit("app whose tests fail", Map.of(Suites.SCRIPT, Suites.failing("greets"),
                "deploy.sh", "#!/bin/sh\necho \"$QUORUM_SHA\" >> " + deployments + "\n"));
        repo.branch("good", repo.commit("tests pass", Map.of(Suites.SCRIPT, Suites.passing(2))));
        repo.git().reset().setMode(org.eclipse.jgit.api.ResetCommand.ResetType.HARD).setRef(mainSha).call();
        data = dir.resolve("data");
        q = QuorumHarness.start(data, """
                console: {demo: true, users: {alice: {}, bob: {}}}
                groups: {engineers: [console:alice, console:bob]}
                repos:
                  app: {path: %s, test_command: "%s", reports: ["%s"], test_timeout: 20s}
                environments:
                  staging: {repo: app, command: sh deploy.sh, timeout: 20s}
                policies:
                  deploy.staging: {approvals: 1, eligible: [engineers]}
                """.formatted(repo.dir(), Suites.COMMAND, Suites.REPORTS), Map.of(), Clock.systemUTC());
        room = q.events("alice");
        attacker = Redis.connect(TestRedis.uri());
    }

    @AfterEach
    void tearDown() {
        attacker.close();
        room.close();
        q.close();
        repo.close();
    }

    private List<StreamMessage<String, String>> chain() {
        return attacker.sync().xrange("{q}:audit", Range.create("-", "+"));
    }

    private void someActivity(int entries) {
        for (int i = 0; i < entries; i++) q.quorum().audit().append("vote", "console:bob", "R1", Map.of("vote", "approve", "n", i));
    }

    /** {@code /api/audit/verify} and {@code quorum audit verify} both report {@code problem} at {@code firstBad}. */
    private void bothReport(String firstBad, String problem) throws Exception {
        JsonNode verdict = q.get("/api/audit/verify").json();
        assertThat(verdict.get("ok").asBoolean()).as(verdict.toString()).isFalse();
        assertThat(verdict.get("first_bad").asText()).isEqualTo(firstBad);
        assertThat(verdict.get("problem").asText()).isEqualTo(problem);

        QuorumProcess.Run cli = QuorumProcess.run(dir, Map.of("REDIS_URL", TestRedis.uri(), "QUORUM_DATA", data.toString()),
                "audit", "verify");
        assertThat(cli.exit()).as(cli.out()).isEqualTo(1);
        assertThat(cli.out().lines().findFirst().orElseThrow())
                .isEqualTo("audit log BROKEN" + (firstBad.startsWith("(") ? "" : " at entry " + firstBad) + ": " + problem);
    }

    @Test
    void deletingTheTailAndResettingTheHeadAndCountIsDetected() throws Exception {
        someActivity(6);
        assertThat(q.get("/api/audit/verify").json().get("ok").asBoolean()).isTrue();
        List<StreamMessage<String, String>> all = chain();
        int keep = all.size() - 3;
        for (StreamMessage<String, String> m : all.subList(keep, all.size())) attacker.sync().xdel("{q}:audit", m.getId());
        attacker.sync().set("{q}:audit:head", all.get(keep - 1).getBody().get("hash"));
        attacker.sync().set("{q}:audit:count", String.valueOf(keep));

        bothReport(all.get(keep - 1).getId(), "the chain ends at entry " + keep + " but the anchor file records " + all.size()
                + " entries (entries after " + keep + " were deleted)");
    }

    @Test
    void aRewrittenEntryWithTheChainHashedAgainIsDetected() throws Exception {
        someActivity(4);
        List<StreamMessage<String, String>> all = chain();
        int victim = all.size() - 3;
        // the attacker knows the hash recipe (canonical JSON, SHA-256) and applies it to every entry from the victim on
        attacker.sync().del("{q}:audit");
        String prev = null;
        for (int i = 0; i < all.size(); i++) {
            Map<String, String> body = new HashMap<>(all.get(i).getBody());
            if (i == victim) body.put("data", "{\"n\":0,\"vote\":\"reject\"}");
            if (i >= victim) {
                body.put("prev", prev);
                body.put("hash", plainHash(body));
            }
            prev = body.get("hash");
            attacker.sync().xadd("{q}:audit", new XAddArgs().id(all.get(i).getId()), body);
        }
        attacker.sync().set("{q}:audit:head", prev);

        bothReport(all.get(victim).getId(), "entry " + (victim + 1) + " is not sealed by this installation's key (it was rewritten or "
                + "forged: a chain hashed again without the key cannot be sealed again)");
    }

    @Test
    void aDeletedAnchorFileIsReportedAndATailDeletedMeanwhileIsStillFound() throws Exception {
        someActivity(3);
        Path anchors = data.resolve("audit").resolve("anchors");
        Files.delete(anchors);
        bothReport("(anchor file)", "the anchor file " + anchors + " is missing, yet the chain holds sealed entries: it was "
                + "deleted, so a deleted tail cannot be ruled out");

        List<StreamMessage<String, String>> all = chain();
        int keep = all.size() - 2;
        for (StreamMessage<String, String> m : all.subList(keep, all.size())) attacker.sync().xdel("{q}:audit", m.getId());
        attacker.sync().set("{q}:audit:head", all.get(keep - 1).getBody().get("hash"));
        attacker.sync().set("{q}:audit:count", String.valueOf(keep));
        someActivity(1); // the running Quorum starts the file again with the last anchor it remembers
        bothReport(chain().getLast().getId(), "the chain ends at entry " + (keep + 1) + " but the anchor file records " + all.size()
                + " entries (entries after " + (keep + 1) + " were deleted)");
    }

    @Test
    void forgedEvidenceIsNeverAttachedToADeployTheTestsRunInstead() throws Exception {
        String passingRun = q.say("alice", "test app good").json().get("request_id").asText();
        room.awaitReply("passed: 2 passed");
        String genuine = q.get("/api/requests/" + passingRun).json().get("evidence").get("digest").asText();
        String commitIndex = "{q}:evidence:commit:app:" + mainSha;
        long now = System.currentTimeMillis();

        // 1. a passing record for main that anyone can compute: a right SHA-256 digest, no seal
        EvidenceRecord unsealed = passingRecordFor(mainSha, 10);
        attacker.sync().set("{q}:evidence:" + unsealed.digest(), unsealed.toJson());
        attacker.sync().zadd(commitIndex, now + 1_000, unsealed.digest());
        // 2. another, with a genuine record's seal copied beside it
        EvidenceRecord copiedSeal = passingRecordFor(mainSha, 11);
        attacker.sync().set("{q}:evidence:" + copiedSeal.digest(), copiedSeal.toJson());
        attacker.sync().set("{q}:evidence:" + copiedSeal.digest() + ":seal", attacker.sync().get("{q}:evidence:" + genuine + ":seal"));
        attacker.sync().zadd(commitIndex, now + 2_000, copiedSeal.digest());
        // 3. the genuine, sealed passing record of another commit, filed under main
        attacker.sync().zadd(commitIndex, now + 3_000, genuine);

        String deploy = q.say("alice", "deploy staging main").json().get("request_id").asText();
        room.awaitReply("failed: 1 passed, 1 failed"); // main's own tests ran, and fail
        JsonNode request = q.get("/api/requests/" + deploy).json();
        assertThat(request.get("state").asText()).isEqualTo("failed");
        assertThat(request.get("reason").asText()).startsWith("the tests did not pass, so there is nothing to vote on");
        assertThat(request.get("evidence").get("commit").asText()).isEqualTo(mainSha);
        assertThat(request.get("evidence").get("digest").asText()).isNotIn(unsealed.digest(), copiedSeal.digest(), genuine);
        assertThat(request.get("evidence_seal").asText()).isEqualTo("sealed");
        assertThat(dir.resolve("deployments.log")).doesNotExist();

        // filed as some request's evidence, a forgery is shown as what it is
        attacker.sync().set("{q}:req:" + passingRun + ":evidence", copiedSeal.digest());
        assertThat(q.get("/api/requests/" + passingRun).json().get("evidence_seal").asText()).isEqualTo("invalid");
        QuorumProcess.Run cli = QuorumProcess.run(dir, Map.of("REDIS_URL", TestRedis.uri(), "QUORUM_DATA", data.toString()),
                "evidence", "verify", passingRun);
        assertThat(cli.exit()).isEqualTo(1);
        assertThat(cli.out().strip()).isEqualTo("evidence " + copiedSeal.digest()
                + " does NOT match its seal: Quorum did not store it (forged, or sealed with another key)");
    }

    private static EvidenceRecord passingRecordFor(String commit, long durationMs) {
        return EvidenceRecord.sealed("app", commit, Suites.COMMAND, EvidenceStatus.PASSED, 0, Instant.now(), durationMs,
                new TestCounts(2, 2, 0, 0, 0), List.of(), "", List.of(), true);
    }

    /** The audit hash as anyone can compute it from the published recipe: SHA-256 of the canonical JSON of the fields. */
    private static String plainHash(Map<String, String> body) {
        Map<String, String> fields = new HashMap<>();
        for (String k : new ArrayList<>(List.of("at", "type", "actor", "request", "data", "prev"))) fields.put(k, body.getOrDefault(k, ""));
        return CanonicalJson.sha256Hex(CanonicalJson.of(fields));
    }
}
