package dev.quorum.evidence;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

class JUnitReportParserTest {

    private static final JUnitReportParser PARSER = new JUnitReportParser(50, Redactor.SHAPES_ONLY);

    static Path samples() throws URISyntaxException {
        return Path.of(JUnitReportParserTest.class.getResource("/evidence/reports").toURI());
    }

    static Stream<Arguments> producers() {
        return Stream.of(
                argumentSet("Maven Surefire: failure, error, skip and a flaky pass",
                        "surefire-TEST-com.example.CalculatorTest.xml", new TestCounts(6, 3, 1, 1, 1), List.of(
                                new TestFailure("com.example.CalculatorTest.dividesByZero", "expected: <Infinity> but was: <NaN>"),
                                new TestFailure("com.example.CalculatorTest.parsesInput",
                                        "Cannot invoke \"String.trim()\" because \"input\" is null"))),
                argumentSet("Maven Failsafe: message from the text when there is no attribute",
                        "failsafe-TEST-com.example.CheckoutIT.xml", new TestCounts(3, 2, 1, 0, 0), List.of(
                                new TestFailure("com.example.CheckoutIT.refundsOrder",
                                        "java.lang.AssertionError: refund status was PENDING"))),
                argumentSet("Gradle: empty skipped element and parameterised names",
                        "gradle-TEST-com.example.GreeterTest.xml", new TestCounts(4, 2, 1, 1, 0), List.of(
                                new TestFailure("com.example.GreeterTest.greetsInFrench()",
                                        "org.opentest4j.AssertionFailedError: expected: <Bonjour, Ada> but was: <Hello, Ada>"))),
                argumentSet("pytest: nested testsuites, skip, xfail and a setup error",
                        "pytest-junit.xml", new TestCounts(6, 2, 1, 2, 1), List.of(
                                new TestFailure("tests.test_calc.test_divide", "ZeroDivisionError: division by zero"),
                                new TestFailure("tests.test_db.test_query",
                                        "failed on setup with \"ConnectionRefusedError: [Errno 111] Connection refused\""))),
                argumentSet("gotestsum: one suite per package",
                        "gotestsum-junit.xml", new TestCounts(5, 3, 1, 1, 0), List.of(
                                new TestFailure("example.com/calc.TestDivide", "Failed"))),
                argumentSet("jest-junit: class name equal to the name, message from the text",
                        "jest-junit.xml", new TestCounts(4, 2, 1, 1, 0), List.of(
                                new TestFailure("calc divides by zero",
                                        "Error: expect(received).toBe(expected) // Object.is equality"))),
                argumentSet("a suite declaring an error no test case shows counts it as an error",
                        "suite-error-without-testcase.xml", new TestCounts(2, 1, 0, 0, 1), List.of(
                                new TestFailure("broken.test.js", "suite reports 1 error not attributed to any test case"))));
    }

    @ParameterizedTest
    @MethodSource("producers")
    void countsEveryTestCaseOnceAndNamesTheFailures(String file, TestCounts counts, List<TestFailure> failures)
            throws Exception {
        ParsedReports parsed = PARSER.parse(samples(), List.of(samples().resolve(file)));

        assertThat(parsed.problems()).isEmpty();
        assertThat(parsed.reportsParsed()).isEqualTo(1);
        assertThat(parsed.counts()).isEqualTo(counts);
        assertThat(parsed.failures()).containsExactlyElementsOf(failures);
    }

    static Stream<Arguments> corruptReports() {
        return Stream.of(
                argumentSet("a truncated report", "corrupt-truncated.xml",
                        "corrupt report corrupt-truncated.xml: line 5: XML document structures must start and end within the same entity."),
                argumentSet("a report with another root", "corrupt-wrong-root.xml",
                        "corrupt report corrupt-wrong-root.xml: root element is <project>, not <testsuite> or <testsuites>"),
                argumentSet("an external entity (XXE)", "corrupt-external-entity.xml",
                        "corrupt report corrupt-external-entity.xml: line 3: The entity \"leak\" was referenced, but not declared."),
                argumentSet("an entity expansion bomb", "corrupt-billion-laughs.xml",
                        "corrupt report corrupt-billion-laughs.xml: line 8: The entity \"lol4\" was referenced, but not declared."),
                argumentSet("an empty file", "corrupt-empty.xml", "corrupt report corrupt-empty.xml: line 1: Premature end of file."));
    }

    @ParameterizedTest
    @MethodSource("corruptReports")
    void aCorruptReportCountsNothingAndIsNamedAsAProblem(String file, String problem) throws Exception {
        Path surefire = samples().resolve("surefire-TEST-com.example.CalculatorTest.xml");

        ParsedReports parsed = PARSER.parse(samples(), List.of(samples().resolve(file), surefire));

        assertThat(parsed.reportsParsed()).isEqualTo(1);
        assertThat(parsed.counts()).isEqualTo(new TestCounts(6, 3, 1, 1, 1));
        assertThat(parsed.problems()).containsExactly(problem);
        assertThat(String.join("\n", parsed.problems()) + parsed.failures()).doesNotContain("root:x:0:0");
    }

    @Test
    void countsStayExactWhenTheFailureListIsCutShort(@TempDir Path dir) throws IOException {
        StringBuilder xml = new StringBuilder("<testsuite name=\"Big\">");
        for (int i = 0; i < 120; i++) {
            xml.append("<testcase classname=\"Big\" name=\"t").append(i).append("\"><failure message=\"boom ")
                    .append(i).append("\"/></testcase>");
        }
        xml.append("<testcase classname=\"Big\" name=\"ok\"/></testsuite>");
        Path report = Files.writeString(dir.resolve("TEST-Big.xml"), xml);
        Path second = Files.writeString(dir.resolve("TEST-Second.xml"),
                "<testsuite><testcase name=\"late\"><failure message=\"late\"/></testcase></testsuite>");

        ParsedReports parsed = new JUnitReportParser(50, Redactor.SHAPES_ONLY).parse(dir, List.of(report, second));

        assertThat(parsed.counts()).isEqualTo(new TestCounts(122, 1, 121, 0, 0));
        assertThat(parsed.failures()).hasSize(50);
        assertThat(parsed.failures().getFirst()).isEqualTo(new TestFailure("Big.t0", "boom 0"));
        assertThat(parsed.failures().getLast()).isEqualTo(new TestFailure("Big.t49", "boom 49"));
    }

    @Test
    void aLongMessageIsCutAndOnlyItsFirstLineKept(@TempDir Path dir) throws IOException {
        String longLine = "x".repeat(1000);
        Path report = Files.writeString(dir.resolve("r.xml"), "<testsuite><testcase name=\"a\"><failure>\n\n   "
                + longLine + "\nsecond line</failure></testcase><testcase name=\"b\"><error>first\nsecond</error>"
                + "</testcase></testsuite>");

        ParsedReports parsed = PARSER.parse(dir, List.of(report));

        assertThat(parsed.failures()).extracting(TestFailure::message)
                .containsExactly("x".repeat(JUnitReportParser.MAX_MESSAGE_CHARS) + "…", "first");
    }

    @Test
    void aFailureWinsOverAnErrorAndASkipInTheSameTestCase(@TempDir Path dir) throws IOException {
        Path report = Files.writeString(dir.resolve("r.xml"), "<testsuite><testcase name=\"a\">"
                + "<skipped message=\"skip\"/><error message=\"err\"/><failure message=\"fail\"/><error message=\"err2\"/>"
                + "</testcase></testsuite>");

        ParsedReports parsed = PARSER.parse(dir, List.of(report));

        assertThat(parsed.counts()).isEqualTo(new TestCounts(1, 0, 1, 0, 0));
        assertThat(parsed.failures()).containsExactly(new TestFailure("a", "fail"));
    }

    @Test
    void secretsInFailureMessagesAreMasked(@TempDir Path dir) throws IOException {
        String token = "ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8";
        Path report = Files.writeString(dir.resolve("r.xml"), "<testsuite><testcase classname=\"Api\" name=\"auth\">"
                + "<failure message=\"401 for token " + token + " and hunter2-password\"/></testcase></testsuite>");

        ParsedReports parsed = new JUnitReportParser(50, Redactor.of(List.of("hunter2-password"))).parse(dir, List.of(report));

        assertThat(parsed.failures()).containsExactly(new TestFailure("Api.auth", "401 for token [REDACTED] and [REDACTED]"));
    }

    @Test
    void sumsTheTimeOfEveryTestCase() throws Exception {
        ParsedReports parsed = PARSER.parse(samples(), List.of(
                samples().resolve("surefire-TEST-com.example.CalculatorTest.xml"),
                samples().resolve("failsafe-TEST-com.example.CheckoutIT.xml")));

        assertThat(parsed.testTime()).isEqualTo(Duration.ofMillis(41 + 2871));
        assertThat(parsed.counts().total()).isEqualTo(9);
    }

    @ParameterizedTest(name = "time \"{0}\" is {1} s")
    @MethodSource("times")
    void readsTimesAsTheyAreWrittenInTheWild(String time, double seconds) {
        assertThat(JUnitReportParser.seconds(time)).isEqualTo(seconds);
    }

    static Stream<Arguments> times() {
        return Stream.of(Arguments.of("0.004", 0.004), Arguments.of("1,234.5", 1234.5), Arguments.of("0,5", 0.5),
                Arguments.of("", 0.0), Arguments.of("NaN", 0.0), Arguments.of("-3", 0.0), Arguments.of("soon", 0.0));
    }
}
