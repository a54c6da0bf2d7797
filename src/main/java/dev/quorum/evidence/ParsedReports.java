package dev.quorum.evidence;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a set of JUnit XML reports says, as {@link JUnitReportParser} read it.
 *
 * @param reportsParsed reports read to the end without error; corrupt ones count nothing
 * @param counts        exact counts over the parsed reports
 * @param failures      the first failed or erroneous test cases, bounded, redacted
 * @param testTime      the sum of the test cases' {@code time} attributes
 * @param problems      one line per report that could not be read, naming it and why
 */
public record ParsedReports(int reportsParsed, TestCounts counts, List<TestFailure> failures,
                            Duration testTime, List<String> problems) {

    public ParsedReports {
        Objects.requireNonNull(counts, "counts");
        Objects.requireNonNull(testTime, "testTime");
        failures = List.copyOf(failures);
        problems = List.copyOf(problems);
    }
}
