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

    private final int failureCapacity;
    private final List<TestFailure> failures = new ArrayList<>();
    private int passed;
    private int failed;
    private int skipped;
    private int errors;
    private double testSeconds;

    TestTally(int failureCapacity) {
        this.failureCapacity = failureCapacity;
    }

    /**
     * Counts one test case.
     *
     * @param failure what to list when it failed or erred, built only while there is room
     */
    void add(Outcome outcome, Supplier<TestFailure> failure) {
        switch (outcome) {
            case PASSED -> passed++;
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

    /** Errors a suite declares but attributes to no test case, e.g. a class that failed to load. */
    void addUnattributedErrors(String suiteName, int count) {
        errors += count;
        list(() -> new TestFailure(suiteName,
                "suite reports " + count + (count == 1 ? " error" : " errors") + " not attributed to any test case"));
    }

    void addTestSeconds(double seconds) {
        testSeconds += seconds;
    }

    void addAll(TestTally other) {
        passed += other.passed;
        failed += other.failed;
        skipped += other.skipped;
        errors += other.errors;
        testSeconds += other.testSeconds;
        for (TestFailure failure : other.failures) {
            list(() -> failure);
        }
    }

    int remainingFailureCapacity() {
        return failureCapacity - failures.size();
    }

    TestCounts counts() {
        return new TestCounts(passed + failed + skipped + errors, passed, failed, skipped, errors);
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
