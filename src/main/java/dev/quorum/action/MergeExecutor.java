package dev.quorum.action;

import dev.quorum.approval.ActionRecord;
import dev.quorum.approval.Subject;
import dev.quorum.repo.RepoHost;
import dev.quorum.repo.RepoHosts;
import dev.quorum.repo.Sha;
import dev.quorum.request.Request;

import java.io.IOException;

/**
 * Moves the target branch to the exact merge result that was tested and approved, with a
 * compare-and-set from the commit the vote saw: if the target moved meanwhile, nothing is
 * merged and the request goes stale. Re-running after a crash is safe (a target already at the
 * result counts as done).
 */
public final class MergeExecutor {
    private final RepoHosts hosts;

    public MergeExecutor(RepoHosts hosts) {
        this.hosts = hosts;
    }

    Execution execute(Request r, ActionRecord a, String approvers) throws IOException {
        Subject s = a.subject();
        RepoHost.Move move = hosts.get(s.repo()).compareAndSet(s.target(), new Sha(s.targetSha()), new Sha(s.resultSha()),
                "quorum: " + r.id() + " merges " + s.source() + ", approved by " + approvers);
        String result = new Sha(s.resultSha()).abbrev();
        return switch (move) {
            case MOVED, ALREADY_THERE -> new Execution.Done("`" + s.target() + "` is now " + result
                    + (s.resultSha().equals(s.sourceSha()) ? " (fast-forward to `" + s.source() + "`)" : ", the tested merge of `" + s.source() + "`")
                    + " (evidence " + s.evidenceDigest().substring(0, 8) + ").", "");
            case MOVED_ELSEWHERE -> new Execution.Stale("`" + s.target() + "` moved while the merge was executing");
        };
    }
}
