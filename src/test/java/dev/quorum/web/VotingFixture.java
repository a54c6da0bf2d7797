package dev.quorum.web;

import dev.quorum.Quorum;
import dev.quorum.approval.ActionStore;
import dev.quorum.approval.AppliedPolicy;
import dev.quorum.approval.PolicyResolver;
import dev.quorum.approval.Subject;
import dev.quorum.evidence.EvidenceRecord;
import dev.quorum.evidence.EvidenceStatus;
import dev.quorum.evidence.EvidenceStore;
import dev.quorum.evidence.TestCounts;
import dev.quorum.repo.RepoHost;
import dev.quorum.repo.RepoHosts;
import dev.quorum.repo.Sha;
import dev.quorum.repo.MergePlan;
import dev.quorum.request.Request;
import dev.quorum.request.RequestState;

import java.io.IOException;
import java.time.Instant;
import java.util.List;

/**
 * Puts a merge request up for votes the way Quorum's verification does, minus the test run: the
 * demo repository's real commits, the merge worked out in memory, a sealed passing evidence record
 * for its result, the action record, then {@code awaiting_approval}. So the page votes through the
 * real approval rules without a Maven run in the browser test.
 */
public final class VotingFixture {
    private VotingFixture() {}

    /** @param merge a queued merge of {@code source} into the demo repository's main */
    public static Request openForVotes(Quorum quorum, Request merge, String source) throws IOException {
        RepoHost host = RepoHosts.from(quorum.config()).get("demo");
        Instant now = quorum.requests().clock().instant();
        String targetSha = host.head("main").orElseThrow().hex();
        String sourceSha = host.head(source).orElseThrow().hex();
        MergePlan.Ready ready = (MergePlan.Ready) host.planMerge(new Sha(targetSha), new Sha(sourceSha), false,
                "Merge " + source + " into main\n", "refs/quorum/merges/" + merge.id(), now);
        EvidenceRecord evidence = EvidenceRecord.sealed("demo", ready.result().hex(), "mvn -B -q test", EvidenceStatus.PASSED, 0,
                now, 1_200, new TestCounts(3, 3, 0, 0, 0), List.of(), "", List.of(), true);
        new EvidenceStore(quorum.redis(), quorum.audit().key()).save(evidence, merge.id(), now);
        AppliedPolicy policy = PolicyResolver.resolve(quorum.config(), "merge", ready.diff().paths()).orElseThrow();
        Subject subject = new Subject("demo", "main", targetSha, source, sourceSha, ready.result().hex(), evidence.digest());
        Request verifying = quorum.requests().move(merge, RequestState.VERIFYING, "quorum", null).orElseThrow();
        new ActionStore(quorum.redis()).open(merge.id(), subject, policy, List.of(merge.requester()), ready.diff().summary(),
                now.plus(policy.ttl()));
        return quorum.requests().move(verifying, RequestState.AWAITING_APPROVAL, "quorum", null).orElseThrow();
    }
}
