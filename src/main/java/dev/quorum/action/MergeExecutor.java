package dev.quorum.action;

import dev.quorum.approval.ActionRecord;
import dev.quorum.approval.Subject;
import dev.quorum.audit.AuditLog;
import dev.quorum.repo.CommitNotFoundException;
import dev.quorum.repo.MergeOutcome;
import dev.quorum.repo.PullRequests;
import dev.quorum.repo.RepoHost;
import dev.quorum.repo.RepoHosts;
import dev.quorum.repo.Sha;
import dev.quorum.request.Request;

import java.io.IOException;
import java.util.Optional;

/**
 * Lands an approved merge. By default (and for every merge that is no pull request) the target branch moves to the
 * exact merge result that was tested and approved, with a compare-and-set from the commit the vote saw: if the target
 * moved meanwhile, nothing is merged and the request goes stale; on a remote host that is a non-force push. Re-running
 * after a crash is safe (a target already at the result counts as done).
 *
 * <p>A pull request on a host whose {@code landing} is {@link PullRequests.Landing#MERGE_API} lands through the host's
 * merge API with the head SHA the votes saw: a head pushed to since → stale, nothing landed; a refusal (conflict,
 * branch protection) → failed with the host's reason. The host writes that commit itself (a merge, a squash, a
 * rebase), so its tree is then compared with the tested result's; another tree (the base moved between the last check
 * and the merge) is said loudly in the reply and audited.
 *
 * <p>Either way the target's lock is checked (fenced) right before: the branch's compare-and-set guards against
 * another merge having moved it, the lock check against a second execution of this one being under way.
 */
public final class MergeExecutor {
    private final RepoHosts hosts;
    private final AuditLog audit;

    public MergeExecutor(RepoHosts hosts, AuditLog audit) {
        this.hosts = hosts;
        this.audit = audit;
    }

    /**
     * @param held the target's lock, confirmed still ours right before the branch moves: a holder whose lease ran
     *             out (and whom another execution may have followed) lands nothing
     */
    Execution execute(Request r, ActionRecord a, String approvers, TargetLock.Held held) throws IOException {
        Subject s = a.subject();
        Optional<String> lost = held.check();
        if (lost.isPresent()) return new Execution.Failed("nothing landed: " + lost.get() + ".", "");
        RepoHost host = hosts.get(s.repo());
        Optional<PullRequests> pulls = s.pullRequest() == null ? Optional.empty()
                : host.pullRequests().filter(p -> p.landing() == PullRequests.Landing.MERGE_API);
        return pulls.isPresent() ? throughMergeApi(r, s, host, pulls.get(), approvers) : byPush(r, s, host, approvers);
    }

    private static Execution byPush(Request r, Subject s, RepoHost host, String approvers) throws IOException {
        RepoHost.Move move = host.compareAndSet(s.target(), new Sha(s.targetSha()), new Sha(s.resultSha()),
                "quorum: " + r.id() + " merges " + s.source() + ", approved by " + approvers);
        String result = new Sha(s.resultSha()).abbrev();
        return switch (move) {
            case MOVED, ALREADY_THERE -> new Execution.Done("`" + s.target() + "` is now " + result
                    + (s.resultSha().equals(s.sourceSha()) ? " (fast-forward to `" + s.source() + "`)" : ", the tested merge of `" + s.source() + "`")
                    + " (evidence " + evidence(s) + ").", "");
            case MOVED_ELSEWHERE -> new Execution.Stale("`" + s.target() + "` moved while the merge was executing");
        };
    }

    private Execution throughMergeApi(Request r, Subject s, RepoHost host, PullRequests pulls, String approvers) throws IOException {
        String pr = "#" + s.pullRequest();
        Sha head = new Sha(s.sourceSha());
        Sha tested = new Sha(s.resultSha());
        MergeOutcome outcome = pulls.merge(s.pullRequest(), head, "Merge " + pr + " into " + s.target() + " (Quorum " + r.id() + ")",
                "Proposed in Quorum " + r.id() + " by " + r.requesterName() + "; the merge of head " + head.abbrev() + " into "
                        + shortSha(s.targetSha()) + " was tested before approval (" + tested.abbrev() + ", evidence " + evidence(s)
                        + "). Approved by " + approvers + ".");
        return switch (outcome) {
            case MergeOutcome.HeadMoved moved -> new Execution.Stale("the head of pull request " + pr + " moved while the merge was "
                    + "executing (GitHub: " + moved.message() + ")");
            case MergeOutcome.NotMergeable refused -> new Execution.Failed("GitHub refused to merge pull request " + pr + ": "
                    + clause(refused.message()) + ". Nothing landed.", "");
            case MergeOutcome.Merged merged -> landed(r, s, host, merged.sha(), tested);
        };
    }

    /** What the merge API landed, compared with what was tested: the tree is what was approved, however the commit was written. */
    private Execution landed(Request r, Subject s, RepoHost host, Sha landed, Sha tested) throws IOException {
        host.refresh(); // the host's copy gets the commit GitHub wrote
        String pr = "#" + s.pullRequest();
        String why;
        try {
            if (host.sameTree(landed, tested)) {
                return new Execution.Done("`" + s.target() + "` is now " + landed.abbrev() + ": GitHub merged pull request " + pr
                        + " with exactly the tested tree of " + tested.abbrev() + " (evidence " + evidence(s) + ").", "");
            }
            why = "landed " + landed.abbrev() + " whose tree differs from the tested " + tested.abbrev() + ": the base moved under the merge API";
        } catch (CommitNotFoundException e) { // GitHub named a commit its own repository does not show: nothing to compare
            why = "landed " + landed.abbrev() + ", which the repository does not show, so its tree cannot be compared with the tested "
                    + tested.abbrev();
        }
        audit.append("merge.tree_mismatch", "quorum", r.id(), AuditLog.details("pull_request", s.pullRequest(), "landed", landed.hex(),
                "tested", tested.hex(), "why", why, "subject_digest", s.digest()));
        return new Execution.Done("GitHub merged pull request " + pr + " into `" + s.target() + "`, but it " + why
                + ". Check `" + s.target() + "`: what landed was not tested by Quorum.", "", true);
    }

    /** A host's sentence as a clause: its own full stop dropped, so the reply does not show two. */
    private static String clause(String message) {
        return message == null || message.isBlank() ? "no reason given" : message.strip().replaceAll("\\.+$", "");
    }

    private static String evidence(Subject s) {
        return s.evidenceDigest().substring(0, Math.min(8, s.evidenceDigest().length()));
    }

    private static String shortSha(String sha) {
        return sha == null ? "?" : Sha.abbrev(sha);
    }
}
