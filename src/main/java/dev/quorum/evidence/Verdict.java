package dev.quorum.evidence;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides a run's status and says why it is not {@code passed}, from how the command ended and
 * what its reports say. Passed needs all of: exit code 0, no timeout or cancel, at least one
 * report read, at least one test, no failure, no error, and no problem at all (a corrupt or
 * unreadable report, cut output). A timed-out or cancelled run names why it stopped (and what
 * went wrong with the run itself), not the reports it never got to write. Pure and thread-safe.
 *
 * @param status   the verdict
 * @param problems the reasons, most important first (the chat line shows the first)
 */
record Verdict(EvidenceStatus status, List<String> problems) {

    Verdict {
        problems = List.copyOf(problems);
    }

    static Verdict of(CommandOutcome outcome, Duration timeout, String cancelReason, List<String> globs,
                      ReportFinder.Found found, ParsedReports reports) {
        List<String> problems = new ArrayList<>();
        EvidenceStatus status = switch (outcome.ending()) {
            case TIMED_OUT -> {
                problems.add("killed after the " + limit(timeout) + " time limit");
                yield EvidenceStatus.TIMED_OUT;
            }
            case CANCELLED -> {
                String after = " after " + EvidenceLine.duration(outcome.duration().toMillis());
                problems.add(cancelReason.startsWith("cancelled ") ? cancelReason + after // "cancelled by alice after 1.2 s"
                        : "cancelled" + after + (cancelReason.isEmpty() ? "" : " (" + cancelReason + ")"));
                yield EvidenceStatus.CANCELLED;
            }
            case EXITED -> EvidenceStatus.FAILED; // until proven passed below
        };
        problems.addAll(outcome.problems());
        if (status != EvidenceStatus.FAILED) {
            // Stopped before it could finish: missing or partial reports follow from that and are no problem of their own
            return new Verdict(status, problems);
        }
        problems.addAll(found.problems());
        if (found.files().isEmpty()) {
            problems.add("no JUnit XML report matched " + String.join(", ", globs));
        }
        problems.addAll(reports.problems());
        TestCounts counts = reports.counts();
        boolean testsFailed = counts.failed() + counts.errors() > 0;
        if (!found.files().isEmpty() && reports.reportsParsed() > 0 && counts.total() == 0) {
            problems.add("the reports list no test cases");
        }
        if (outcome.ending() == CommandOutcome.Ending.EXITED && !Integer.valueOf(0).equals(outcome.exitCode())
                && !testsFailed) {
            problems.add("the command exited with code " + outcome.exitCode() + " though no test failed");
        }
        if (status == EvidenceStatus.FAILED && problems.isEmpty() && !testsFailed && counts.total() > 0) {
            status = EvidenceStatus.PASSED;
        }
        return new Verdict(status, problems);
    }

    /** {@code 90 s}, {@code 10 m}, {@code 1 h 30 m}: how people write a configured limit. */
    static String limit(Duration timeout) {
        if (timeout.toMillis() % 1000 != 0) {
            return timeout.toMillis() + " ms";
        }
        long seconds = timeout.toSeconds();
        if (seconds < 120 || seconds % 60 != 0) {
            return seconds + " s";
        }
        long minutes = seconds / 60;
        if (minutes < 60) {
            return minutes + " m";
        }
        return minutes % 60 == 0 ? minutes / 60 + " h" : minutes / 60 + " h " + minutes % 60 + " m";
    }
}
