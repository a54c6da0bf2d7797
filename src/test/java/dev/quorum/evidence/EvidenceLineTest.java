package dev.quorum.evidence;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

class EvidenceLineTest {

    private static final String COMMIT = "abc1234def5678901234567890abcdef12345678";

    private static EvidenceRecord record(EvidenceStatus status, Integer exitCode, long millis, TestCounts counts,
                                         List<String> problems) {
        return EvidenceRecord.sealed("demo", COMMIT, "mvn test", status, exitCode, Instant.parse("2025-03-14T10:00:00Z"),
                millis, counts, List.of(), "", problems, true);
    }

    static Stream<Arguments> lines() {
        return Stream.of(
                argumentSet("passed", record(EvidenceStatus.PASSED, 0, 12_340, new TestCounts(43, 42, 0, 1, 0), List.of()),
                        "passed: 42 passed, 0 failed, 1 skipped · abc1234 · 12.3 s · evidence "),
                argumentSet("passed with flaky tests", record(EvidenceStatus.PASSED, 0, 12_340, new TestCounts(42, 41, 0, 1, 0, 2), List.of()),
                        "passed: 41 passed (2 flaky), 0 failed, 1 skipped · abc1234 · 12.3 s · evidence "),
                argumentSet("failed with a flaky test", record(EvidenceStatus.FAILED, 1, 8_000, new TestCounts(4, 2, 1, 0, 1, 1), List.of()),
                        "failed: 2 passed (1 flaky), 1 failed, 0 skipped, 1 error · abc1234 · 8.0 s · evidence "),
                argumentSet("failed tests", record(EvidenceStatus.FAILED, 1, 8_000, new TestCounts(44, 40, 2, 1, 1), List.of()),
                        "failed: 40 passed, 2 failed, 1 skipped, 1 error · abc1234 · 8.0 s · evidence "),
                argumentSet("no report", record(EvidenceStatus.FAILED, 0, 940, TestCounts.NONE,
                                List.of("no JUnit XML report matched target/surefire-reports/*.xml")),
                        "failed: no JUnit XML report matched target/surefire-reports/*.xml · abc1234 · 0.9 s · evidence "),
                argumentSet("non-zero exit though tests passed", record(EvidenceStatus.FAILED, 3, 2_000,
                                new TestCounts(5, 5, 0, 0, 0), List.of("the command exited with code 3 though no test failed")),
                        "failed: the command exited with code 3 though no test failed (5 passed, 0 failed, 0 skipped) · abc1234 · 2.0 s · evidence "),
                argumentSet("timed out", record(EvidenceStatus.TIMED_OUT, 143, 600_400, TestCounts.NONE,
                                List.of("killed after the 10 m time limit")),
                        "timed_out: killed after the 10 m time limit · abc1234 · 10 m 00 s · evidence "),
                argumentSet("cancelled while queued", record(EvidenceStatus.CANCELLED, null, 0, TestCounts.NONE,
                                List.of("cancelled while queued (by console:alice)")),
                        "cancelled: cancelled while queued (by console:alice) · abc1234 · 0.0 s · evidence "),
                argumentSet("a very long problem", record(EvidenceStatus.ERROR, null, 0, TestCounts.NONE,
                                List.of("could not check out abc1234: " + "x".repeat(300))),
                        "error: could not check out abc1234: " + "x".repeat(EvidenceLine.MAX_SUMMARY_CHARS - 30) + "… · abc1234 · 0.0 s · evidence "));
    }

    @ParameterizedTest
    @MethodSource("lines")
    void rendersOneLineNamingTheVerdictTheCommitTheTimeAndTheEvidence(EvidenceRecord record, String start) {
        assertThat(EvidenceLine.of(record)).isEqualTo(start + record.digest().substring(0, 8));
    }

    @ParameterizedTest(name = "{0} ms reads {1}")
    @CsvSource({"0, 0.0 s", "949, 0.9 s", "950, 1.0 s", "12345, 12.3 s", "59949, 59.9 s", "59950, 1 m 00 s", "754200, 12 m 34 s"})
    void writesDurationsAsPeopleReadThem(long millis, String text) {
        assertThat(EvidenceLine.duration(millis)).isEqualTo(text);
    }
}
