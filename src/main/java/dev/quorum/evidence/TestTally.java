package dev.quorum.evidence;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Running counts of test cases while reports are read: exact counts, failures listed up to a
 * capacity. Not thread-safe; one per parse.
 */
final class TestTally {

    /** How one test case ended. A case counts once: failure wins over error, error over skip. */
    enum Outcome { PASSED, SKIPPED, ERROR, FAILED }

    /**
     * Most errors suites may declare without cases, over all reports: a report may declare any
     * number, and the counts must stay ints with room for every case a report can really hold.
     */
    static final int MAX_UNATTRIBUTED_ERRORS = 1_000_000_000;

    private final int failureCapacity;
    private final List<TestFailure> failures = new ArrayList<>();
    private int passed;
    private int failed;
    private int skipped;
    private int errors;
    private int flaky;
    private int unattributed; // a part of errors
    private double testSeconds;

    TestTally(int failureCapacity) {
        this.failureCapacity = failureCapacity;
    }

    /**
     * Counts one test case.
     *
     * @param flaky   it passed, but only after an earlier attempt failed; ignored unless passed
     * @param failure what to list when it failed or erred, built only while there is room; may
     *                be null for a test that passed or was skipped
     */
    void add(Outcome outcome, boolean flaky, Supplier<TestFailure> failure) {
        switch (outcome) {
            case PASSED -> {
                passed++;
                if (flaky) {
                    this.flaky++;
                }
            }
            case SKIPPED -> skipped++;
            case ERROR -> {
                errors++;
                list(failure);
            }
            case FAILED -> {
                failed++;
                list(failure);
            }
        }
    }

    /**
     * Errors a suite declares but attributes to no test case, e.g. a class that failed to load;
     * counted up to {@link #MAX_UNATTRIBUTED_ERRORS} in all.
     */
    void addUnattributedErrors(String suiteName, long count) {
        int added = (int) Math.min(count, MAX_UNATTRIBUTED_ERRORS - unattributed);
        unattributed += added;
        errors += added;
        list(() -> new TestFailure(suiteName,
                "suite reports " + count + (count == 1 ? " error" : " errors") + " not attributed to any test case"));
    }

    /**
     * Counts {@code count} test cases already counted as passed (and not flaky) as skipped: a suite
     * declared them disabled though no case said so.
     */
    void passedWereSkipped(int count) {
        if (count < 0 || count > passed - flaky) {
            throw new IllegalArgumentException("cannot move " + count + " of " + (passed - flaky) + " plain passes");
        }
        passed -= count;
        skipped += count;
    }

    void addTestSeconds(double seconds) {
        testSeconds += seconds;
    }

    void addAll(TestTally other) {
        passed += other.passed;
        failed += other.failed;
        skipped += other.skipped;
        int added = Math.min(other.unattributed, MAX_UNATTRIBUTED_ERRORS - unattributed);
        unattributed += added;
        errors += other.errors - other.unattributed + added;
        flaky += other.flaky;
        testSeconds += other.testSeconds;
        for (TestFailure failure : other.failures) {
            list(() -> failure);
        }
    }

    int remainingFailureCapacity() {
        return failureCapacity - failures.size();
    }

    TestCounts counts() {
        return new TestCounts(passed + failed + skipped + errors, passed, failed, skipped, errors, flaky);
    }

    List<TestFailure> failures() {
        return List.copyOf(failures);
    }

    Duration testTime() {
        return Duration.ofNanos(Math.round(testSeconds * 1e9));
    }

    private void list(Supplier<TestFailure> failure) {
        if (failures.size() < failureCapacity) {
            failures.add(failure.get());
        }
    }
}
