package dev.quorum.evidence;

/**
 * Test case counts of one run, counted per {@code <testcase>} element of the JUnit XML reports.
 *
 * <p>Every test case counts exactly once, so {@code total == passed + failed + skipped + errors}
 * always holds. Immutable and thread-safe.
 *
 * @param total   all test cases
 * @param passed  test cases without a failure, error or skip
 * @param failed  test cases with a {@code <failure>} (an assertion did not hold)
 * @param skipped test cases with a {@code <skipped>} and no failure or error
 * @param errors  test cases with an {@code <error>} and no failure (the test could not run
 *                properly), plus errors a suite declares without attributing them to a case
 */
public record TestCounts(int total, int passed, int failed, int skipped, int errors) {

    /** No tests at all. */
    public static final TestCounts NONE = new TestCounts(0, 0, 0, 0, 0);

    public TestCounts {
        if (passed < 0 || failed < 0 || skipped < 0 || errors < 0) {
            throw new IllegalArgumentException("counts must not be negative");
        }
        if (total != passed + failed + skipped + errors) {
            throw new IllegalArgumentException("total " + total + " is not passed + failed + skipped + errors");
        }
    }
}
