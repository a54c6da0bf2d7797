package dev.quorum.evidence;

import java.util.Locale;

/**
 * The one chat line that stands for an evidence record, e.g.
 * {@code passed: 42 passed, 0 failed, 1 skipped · abc1234 · 12.3 s · evidence 9f2c41d0}. Tests that
 * passed only on a rerun are named when there are any:
 * {@code passed: 41 passed (2 flaky), 0 failed, 1 skipped · …}.
 *
 * <p>The part after the status is the test counts when the tests decided the verdict, else the
 * first problem of the record (e.g. {@code timed_out: killed after the 10 s limit · ...}). A run
 * outside any sandbox ({@code sandbox: off}) ends the line with {@code · unsandboxed}, so that
 * nobody takes it for confined evidence.
 * Pure and thread-safe.
 */
public final class EvidenceLine {

    /** Longest summary before it is cut with an ellipsis, so that a line stays one line. */
    static final int MAX_SUMMARY_CHARS = 160;

    private static final String SEPARATOR = " · ";

    private EvidenceLine() {
    }

    /** The chat line of {@code record}. */
    public static String of(EvidenceRecord record) {
        return record.status().wireName() + ": " + summary(record)
                + SEPARATOR + record.shortCommit()
                + SEPARATOR + duration(record.durationMs())
                + SEPARATOR + "evidence " + record.shortDigest()
                + (record.unsandboxed() ? SEPARATOR + "unsandboxed" : "");
    }

    private static String summary(EvidenceRecord record) {
        TestCounts tests = record.tests();
        boolean testsFailed = tests.failed() + tests.errors() > 0;
        String counts = counts(tests);
        String text = switch (record.status()) {
            case PASSED -> counts;
            case FAILED -> testsFailed || record.problems().isEmpty() ? counts : firstProblemWith(record, counts);
            case TIMED_OUT, CANCELLED, ERROR -> firstProblemWith(record, counts);
        };
        return text.length() <= MAX_SUMMARY_CHARS ? text : text.substring(0, MAX_SUMMARY_CHARS - 1) + "…";
    }

    private static String firstProblemWith(EvidenceRecord record, String counts) {
        String problem = record.problems().isEmpty()
                ? record.status().wireName().replace('_', ' ')
                : record.problems().getFirst();
        return record.tests().total() > 0 ? problem + " (" + counts + ")" : problem;
    }

    private static String counts(TestCounts tests) {
        String flaky = tests.flaky() > 0 ? " (" + tests.flaky() + " flaky)" : "";
        String text = tests.passed() + " passed" + flaky + ", " + tests.failed() + " failed, " + tests.skipped() + " skipped";
        return tests.errors() > 0 ? text + ", " + tests.errors() + (tests.errors() == 1 ? " error" : " errors") : text;
    }

    /** {@code 12.3 s} under a minute, {@code 4 m 05 s} above. */
    static String duration(long millis) {
        long tenths = Math.round(millis / 100.0);
        if (tenths < 600) {
            return String.format(Locale.ROOT, "%d.%d s", tenths / 10, tenths % 10);
        }
        long seconds = Math.round(millis / 1000.0);
        return String.format(Locale.ROOT, "%d m %02d s", seconds / 60, seconds % 60);
    }
}
