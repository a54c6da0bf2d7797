package dev.quorum.evidence;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Test case counts of one run, counted per test case of the JUnit XML reports as
 * {@link JUnitReportParser} decides them.
 *
 * <p>Every test counts exactly once, so {@code total == passed + failed + skipped + errors}
 * always holds; {@code flaky} is a part of {@code passed}, not a fifth kind. Immutable and
 * thread-safe.
 *
 * <p>In JSON {@code flaky} is written only when it is not 0. A record without flaky tests is
 * then byte for byte what Quorum wrote before {@code flaky} existed, so stored evidence keeps its
 * digest, and evidence written before reads back with {@code flaky} 0.
 *
 * @param total   all test cases
 * @param passed  test cases without a failure, error or skip, flaky ones included
 * @param failed  test cases with a {@code <failure>} (an assertion did not hold)
 * @param skipped test cases that did not run to a verdict: skipped, disabled, ignored, not run
 * @param errors  test cases with an {@code <error>} and no failure (the test could not run
 *                properly), plus errors a suite declares without attributing them to a case
 * @param flaky   passed test cases that failed on an earlier attempt and passed on a rerun
 */
public record TestCounts(int total, int passed, int failed, int skipped, int errors,
                         @JsonInclude(JsonInclude.Include.NON_DEFAULT) int flaky) {

    /** No tests at all. */
    public static final TestCounts NONE = new TestCounts(0, 0, 0, 0, 0, 0);

    public TestCounts {
        if (passed < 0 || failed < 0 || skipped < 0 || errors < 0 || flaky < 0) {
            throw new IllegalArgumentException("counts must not be negative");
        }
        if (total != passed + failed + skipped + errors) {
            throw new IllegalArgumentException("total " + total + " is not passed + failed + skipped + errors");
        }
        if (flaky > passed) {
            throw new IllegalArgumentException("flaky " + flaky + " is more than passed " + passed);
        }
    }

    /** Counts without flaky tests. */
    public TestCounts(int total, int passed, int failed, int skipped, int errors) {
        this(total, passed, failed, skipped, errors, 0);
    }

    /** Reads stored JSON, where {@code flaky} is absent when 0 (and in every record from before it existed). */
    @JsonCreator
    static TestCounts fromJson(@JsonProperty("total") int total,
                               @JsonProperty("passed") int passed,
                               @JsonProperty("failed") int failed,
                               @JsonProperty("skipped") int skipped,
                               @JsonProperty("errors") int errors,
                               @JsonProperty("flaky") Integer flaky) {
        return new TestCounts(total, passed, failed, skipped, errors, flaky == null ? 0 : flaky);
    }
}
