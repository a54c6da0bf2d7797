package dev.quorum.agent.coding;

import java.util.List;
import java.util.Objects;

/**
 * What Quorum's evidence runner reported for one commit: the model sees it, and the final reply quotes it, so the
 * evidence in a coding result is always Quorum's own, never the model's word.
 *
 * @param commitSha the commit that was tested
 * @param passed    whether the suite passed
 * @param line      the one-line summary, e.g. {@code passed: 42 passed, 0 failed, 1 skipped · abc1234 · 12.3 s · evidence 9f2c41d0}
 * @param failures  failing tests as "name: message"
 * @param logTail   the end of the build log, secrets redacted (compile errors live here)
 * @param digest    the evidence record's digest, for the lead to link the whole record
 */
public record TestEvidence(String commitSha, boolean passed, String line, List<String> failures, String logTail,
                           String digest) {

    public TestEvidence {
        Objects.requireNonNull(commitSha, "commitSha");
        Objects.requireNonNull(line, "line");
        failures = List.copyOf(failures);
        logTail = logTail == null ? "" : logTail;
    }
}
