package dev.quorum.agent;

import dev.quorum.agent.coding.TestEvidence;
import dev.quorum.agent.transcript.TranscriptEntry;
import dev.quorum.repo.DiffStat;
import java.util.List;
import java.util.Optional;

/**
 * The end of a coding run. Whatever the outcome, the work is committed on {@code branch} at {@code commitSha}.
 *
 * @param requestId  the request
 * @param outcome    how it ended
 * @param summary    the model's short summary when it finished, else Quorum's account of where it stopped
 * @param branch     the {@code quorum/<id>} branch
 * @param baseCommit the commit the branch started from
 * @param commitSha  the branch's final commit (equal to the base when nothing changed)
 * @param diffStat   changes of the branch against the base
 * @param evidence   Quorum's evidence from the model's last {@code run_tests}, or null when it never ran them
 * @param usage      what it consumed
 * @param transcript every model and tool call
 */
public record CodingResult(
        String requestId,
        RunOutcome outcome,
        String summary,
        String branch,
        String baseCommit,
        String commitSha,
        DiffStat diffStat,
        TestEvidence evidence,
        Usage usage,
        List<TranscriptEntry> transcript) {

    public CodingResult {
        transcript = List.copyOf(transcript);
    }

    /** The evidence, only if it was produced for the final commit (later edits make it stale: run the tests again). */
    public Optional<TestEvidence> evidenceForFinalCommit() {
        return Optional.ofNullable(evidence).filter(e -> e.commitSha().equals(commitSha));
    }
}
