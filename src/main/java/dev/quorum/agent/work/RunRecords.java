package dev.quorum.agent.work;

import dev.quorum.agent.RunOutcome;
import dev.quorum.agent.coding.TestEvidence;
import dev.quorum.agent.research.Source;
import dev.quorum.repo.DiffStat;
import java.util.List;
import java.util.Locale;

/**
 * What an agent request produced, as stored beside it and shown by {@code GET /api/requests/{id}} under
 * {@code result}. Both kinds carry {@code kind}, {@code outcome} ({@code completed}, {@code budget_exhausted},
 * {@code cancelled}, {@code failed} or {@code refused}), {@code outcome_text}, {@code usage} over all attempts, and
 * the {@code model} and {@code budget} it ran with.
 */
final class RunRecords {
    private RunRecords() {}

    /** A research run: the whole report (chat shows its beginning), the numbered sources and the unverified citations. */
    record Research(String kind, String outcome, String outcomeText, boolean retrievalOnly, String report,
                    List<SourceLine> sources, List<Integer> unverifiedCitations, UsageSoFar usage, String model,
                    String budget) {
        Research {
            sources = List.copyOf(sources);
            unverifiedCitations = List.copyOf(unverifiedCitations);
        }
    }

    /**
     * A coding run: where the work is ({@code branch} at {@code commit}, against {@code base_commit}), what changed,
     * Quorum's evidence for the final commit ({@code null} when none was run), and the command that merges it.
     */
    record Coding(String kind, String outcome, String outcomeText, String summary, String repo, String branch,
                  String baseCommit, String commit, DiffStat diffStat, EvidenceLine evidence, String merge,
                  UsageSoFar usage, String model, String budget) {}

    /** One numbered source a tool returned. */
    record SourceLine(int number, String kind, String locator, String title) {
        static SourceLine of(Source s) {
            return new SourceLine(s.number(), s.kind().name().toLowerCase(Locale.ROOT), s.locator(), s.title());
        }
    }

    /** Quorum's evidence of one commit; the whole record is the request's {@code evidence}. */
    record EvidenceLine(String commit, boolean passed, String line, String digest) {
        static EvidenceLine of(TestEvidence e) {
            return new EvidenceLine(e.commitSha(), e.passed(), e.line(), e.digest());
        }
    }

    /** The outcome's name in JSON. */
    static String outcome(RunOutcome outcome) {
        return switch (outcome) {
            case RunOutcome.Completed c -> "completed";
            case RunOutcome.BudgetExhausted b -> "budget_exhausted";
            case RunOutcome.Cancelled c -> "cancelled";
            case RunOutcome.Failed f -> "failed";
            case RunOutcome.Refused r -> "refused";
        };
    }
}
