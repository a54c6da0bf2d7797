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

/**
 * The parser against reports of real producers: each fixture under
 * {@code src/test/resources/evidence/reports/} is described in the README there (which tool and
 * version wrote it, with which command, or after which documentation it was written by hand).
 */
class JUnitReportParserTest {

    private static final JUnitReportParser PARSER = new JUnitReportParser(50, Redactor.SHAPES_ONLY);

    static Path samples() throws URISyntaxException {
        return Path.of(JUnitReportParserTest.class.getResource("/evidence/reports").toURI());
    }

    private static TestCounts counts(int total, int passed, int failed, int skipped, int errors, int flaky) {
        return new TestCounts(total, passed, failed, skipped, errors, flaky);
    }

    static Stream<Arguments> producers() {
        return Stream.of(
                argumentSet("Surefire 3.5.4, JUnit 5, two reruns: flaky failure and error pass, failures on every rerun stay failed",
                        "surefire/TEST-com.example.CalculatorTest.xml", counts(9, 3, 2, 2, 2, 2), List.of(
                                "com.example.CalculatorTest.alwaysCrashes", "com.example.CalculatorTest.parsesNull",
                                "com.example.CalculatorTest.alwaysBroken", "com.example.CalculatorTest.subtractsWrongly")),
                argumentSet("Surefire 3.5.4, JUnit 4: each failure of a test is its own case, as Surefire counts them",
                        "surefire/TEST-com.example.LedgerTest.xml", counts(6, 1, 3, 1, 1, 0), List.of(
                                "com.example.LedgerTest.postsTwoEntries", "com.example.LedgerTest.postsTwoEntries",
                                "com.example.LedgerTest.failsAndLeavesTheLedgerOpen",
                                "com.example.LedgerTest.failsAndLeavesTheLedgerOpen")),
                argumentSet("Failsafe 3.5.4 with reruns: @Disabled is skipped, a flaky IT passes",
                        "failsafe/TEST-com.example.CheckoutIT.xml", counts(4, 2, 1, 1, 0, 1), List.of(
                                "com.example.CheckoutIT.refundsOrder")),
                argumentSet("TestNG 7.12 through Surefire: a retried attempt is a skip, data provider rows are separate",
                        "testng/TEST-com.example.OrderTest.xml", counts(9, 3, 3, 3, 0, 0), List.of(
                                "com.example.OrderTest.totalsOrder", "com.example.OrderTest.loadsCustomer",
                                "com.example.OrderTest.roundsAmount[2, 3](2)")),
                argumentSet("TestNG 7.12 JUnitReportReporter: repeated names are distinct tests, disabled is skipped",
                        "testng/junitreports-TEST-com.example.OrderTest.xml", counts(10, 3, 2, 4, 1, 0), List.of(
                                "com.example.OrderTest.totalsOrder", "com.example.OrderTest.roundsAmount",
                                "com.example.OrderTest.loadsCustomer")),
                argumentSet("TestNG 7.12 JUnitXMLReporter: <ignored/> is skipped",
                        "testng/testng-junitxmlreporter-Surefire test.xml", counts(10, 3, 3, 4, 0, 0), List.of(
                                "com.example.OrderTest.totalsOrder", "com.example.OrderTest.loadsCustomer",
                                "com.example.OrderTest.roundsAmount")),
                argumentSet("Gradle 4.4.1, JUnit 4: @Ignore and assumptions skip, an ErrorCollector's two failures are one failed test",
                        "gradle/TEST-com.example.GreeterTest.xml", counts(6, 1, 3, 2, 0, 0), List.of(
                                "com.example.GreeterTest.greetsNobody", "com.example.GreeterTest.collectsSeveralErrors",
                                "com.example.GreeterTest.greetsInFrench")),
                argumentSet("pytest 9.0.3: collection error, setup error, xfail and skip, a failure and a teardown error",
                        "pytest/pytest-junit.xml", counts(11, 3, 3, 2, 3, 0), List.of(
                                "tests.test_broken_import", "tests.test_calc.test_divide", "tests.test_calc.test_query",
                                "tests.test_calc.test_fails_then_teardown_breaks",
                                "tests.test_calc.test_fails_then_teardown_breaks", "tests.test_calc.test_subtract[3-1-3]")),
                argumentSet("pytest 9.0.3 interrupted by a collection error",
                        "pytest/pytest-collection-error.xml", counts(1, 0, 0, 0, 1, 0), List.of("tests.test_broken_import")),
                argumentSet("unittest with xmlrunner 3.2: subtests, expected failure skipped, unexpected success an error",
                        "unittest/TEST-InventoryTest.xml", counts(8, 1, 3, 2, 2, 0), List.of(
                                "InventoryTest.test_reserves_item", "InventoryTest.test_subtests (i=1)",
                                "InventoryTest.test_subtests (i=2)", "InventoryTest.test_loads_catalogue",
                                "InventoryTest.test_unexpectedly_fixed")),
                argumentSet("unittest with xmlrunner 3.2: a setUpClass error",
                        "unittest/TEST-unittest.suite._ErrorHolder.xml", counts(1, 0, 0, 0, 1, 0), List.of(
                                "setUpClass (__main__.BrokenSetUpTest)")),
                argumentSet("jest 30.5 with jest-junit 17: two failures in one test are one failed test; a broken suite is left out",
                        "jest/jest-junit.xml", counts(9, 4, 4, 1, 0, 0), List.of(
                                "Test execution failure: could be caused by test hooks like 'afterAll'.",
                                "calc divides by zero", "calc with cleanup fails and its cleanup fails too",
                                "fails every attempt")),
                argumentSet("jest 30.5 with jest-junit 17 and reportTestSuiteErrors: the broken suite is an error and a failure",
                        "jest/jest-junit-suite-errors.xml", counts(11, 4, 5, 1, 1, 0), List.of(
                                "calc divides by zero", "calc with cleanup fails and its cleanup fails too",
                                "fails every attempt", "Test suite failed to run.broken.test.js",
                                "Test suite failed to run.broken.test.js",
                                "Test execution failure: could be caused by test hooks like 'afterAll'.")),
                argumentSet("mocha 11.8 with mocha-junit-reporter 2.2.1: pending tests are not listed, the root's skipped count is not used",
                        "mocha/mocha-junit.xml", counts(6, 2, 4, 0, 0, 0), List.of(
                                "cart applies a discount", "cart throws a TypeError", "cart checkout times out",
                                "inventory \"before all\" hook for \"counts stock\"")),
                argumentSet("mocha 11.8 with mocha-junit-reporter 2.2.1 and includePending",
                        "mocha/mocha-junit-include-pending.xml", counts(8, 2, 4, 2, 0, 0), List.of(
                                "cart applies a discount", "cart throws a TypeError", "cart checkout times out",
                                "inventory \"before all\" hook for \"counts stock\"")),
                argumentSet("gotestsum 1.8.2, Go 1.19: the build failure only the root counts is an error",
                        "go/gotestsum-junit.xml", counts(12, 4, 5, 2, 1, 0), List.of(
                                "example.com/shop/calc.TestDivide", "example.com/shop/calc.TestTable/odd",
                                "example.com/shop/calc.TestTable", "example.com/shop/calc.TestFlakyClock",
                                "example.com/shop/calc.TestPanics", "go/gotestsum-junit.xml")),
                argumentSet("gotestsum 1.8.2 --rerun-fails: every attempt is listed, each test counts once",
                        "go/gotestsum-rerun-fails.xml", counts(3, 2, 1, 0, 0, 1), List.of(
                                "example.com/shop/retry.TestAlwaysFails")),
                argumentSet("go-junit-report v2 (by hand): subtests, skips and a package that did not build",
                        "go/go-junit-report.xml", counts(10, 4, 3, 2, 1, 0), List.of(
                                "example.com/shop/calc.TestDivide", "example.com/shop/calc.TestTable",
                                "example.com/shop/calc.TestTable/odd", "example.com/shop/broken.[build failed]")),
                argumentSet("PHPUnit 9.6.7: nested suites, incomplete is skipped, a risky test is an error",
                        "phpunit/phpunit-junit.xml", counts(10, 3, 2, 2, 3, 0), List.of(
                                "BrokenSetupTest.testNeverRuns", "CartTest.testAppliesDiscount", "CartTest.testLoadsPrices",
                                "CartTest.testChecksNothing", "CartTest.testRounds with data set \"two\"")),
                argumentSet("NUnit 3 result through NUnit's nunit3-junit.xslt: Ignored and Inconclusive are skipped, no invented error",
                        "dotnet/nunit3-junit.xml", counts(6, 2, 2, 2, 0, 0), List.of(
                                "Shop.CartTests.AppliesDiscount", "Shop.CartTests.LoadsPrices")),
                argumentSet("xUnit through trx2junit (by hand): Jenkins status 1 and 0, a UTF-8 byte order mark",
                        "dotnet/trx2junit-xunit.xml", counts(5, 2, 2, 1, 0, 0), List.of(
                                "Shop.Tests.CartTests.AppliesDiscount", "Shop.Tests.CartTests.LoadsPrices")),
                argumentSet("MSTest through trx2junit (by hand): an inconclusive test arrives as a success",
                        "dotnet/trx2junit-mstest.xml", counts(4, 2, 1, 1, 0, 0), List.of(
                                "Shop.Tests.InventoryTests.ReservesItem")),
                argumentSet("Catch2 2.13.10 -r junit: three failed checks are one failed test; a [!mayfail] failure still fails",
                        "catch2/catch2-junit.xml", counts(7, 3, 3, 0, 1, 0), List.of(
                                "tests.global.checks several things", "tests.global.throws on zero",
                                "tests.global.vectors/resize smaller", "tests.global.skips itself")),
                argumentSet("googletest 1.12.1: notrun/suppressed and GTEST_SKIP are skipped, declared disabled matched",
                        "googletest/gtest-report.xml", counts(8, 2, 3, 3, 0, 0), List.of(
                                "CalcTest.ChecksSeveralThings", "CalcTest.ThrowsUnexpectedly", "Small/Amounts.IsEven/1")),
                argumentSet("Bazel 4.2.3 test.xml of a passing sh_test",
                        "bazel/adds_test-test.xml", counts(1, 1, 0, 0, 0, 0), List.of()),
                argumentSet("Bazel 4.2.3 test.xml of a failing sh_test",
                        "bazel/divides_test-test.xml", counts(1, 0, 0, 0, 1, 0), List.of("calc/divides_test")),
                argumentSet("Dart junitreport (by hand): a test with two failures is one failed test",
                        "dart/junitreport.xml", counts(7, 3, 2, 1, 1, 0), List.of(
                                "shop.cart.applies a discount", "shop.cart.loads prices", "shop.cart.checks stock twice")),
                argumentSet("status, result, skipped attributes in the spellings of several producers",
                        "edge/status-attributes.xml", counts(14, 4, 2, 7, 1, 0), List.of(
                                "statuses.failed without a child", "statuses.error without a child",
                                "statuses.passed but a failure child")),
                argumentSet("the root declares more failures and errors than its suites show",
                        "edge/root-declares-more.xml", counts(5, 1, 1, 0, 3, 0), List.of("shown.fails", "all")),
                argumentSet("a suite declaring an error no test case shows counts it as an error",
                        "edge/suite-error-without-testcase.xml", counts(2, 1, 0, 0, 1, 0), List.of("broken.test.js")),
                argumentSet("errors directly under a suite are tests named after it",
                        "edge/suite-level-errors.xml", counts(3, 1, 0, 0, 2, 0), List.of(
                                "tests/test_broken.py", "example.com/shop/broken")),
                argumentSet("declared disabled tests that no case marks are not passes",
                        "edge/disabled-declared.xml", counts(6, 2, 1, 3, 0, 0), List.of("declares more than it has.e")),
                argumentSet("nested suites: each level's surplus counts once",
                        "edge/nested-suites.xml", counts(6, 1, 1, 1, 3, 0), List.of("inner.fails", "inner", "outer")),
                argumentSet("rerun elements Surefire does not combine so",
                        "edge/surefire-rerun-variants.xml", counts(4, 1, 1, 1, 1, 1), List.of(
                                "com.example.RerunTest.rerunFailureAlone", "com.example.RerunTest.rerunErrorAlone")),
                argumentSet("UTF-16 little-endian with a byte order mark",
                        "edge/utf16-bom.xml", counts(3, 1, 1, 1, 0, 0), List.of("Größe.prüft Maße")),
                argumentSet("UTF-16 big-endian with a byte order mark and no declaration",
                        "edge/utf16be-bom-no-declaration.xml", counts(3, 1, 1, 1, 0, 0), List.of("Größe.prüft Maße")),
                argumentSet("ISO-8859-1 declared",
                        "edge/iso-8859-1.xml", counts(3, 1, 1, 1, 0, 0), List.of("Größe.prüft Maße")),
                argumentSet("UTF-8 with a byte order mark",
                        "edge/utf8-bom.xml", counts(3, 1, 1, 1, 0, 0), List.of("Größe.prüft Maße")));
    }

    @ParameterizedTest
    @MethodSource("producers")
    void countsEveryTestOnceAndNamesTheFailures(String file, TestCounts counts, List<String> failureNames)
            throws Exception {
        ParsedReports parsed = PARSER.parse(samples(), List.of(samples().resolve(file)));

        assertThat(parsed.problems()).isEmpty();
        assertThat(parsed.reportsParsed()).isEqualTo(1);
        assertThat(parsed.counts()).isEqualTo(counts);
        assertThat(parsed.failures()).extracting(TestFailure::name).containsExactlyElementsOf(failureNames);
    }

    @Test
    void everyFixtureIsInTheTable() throws Exception {
        List<String> inTable = producers().map(a -> (String) a.get()[0]).toList();
        List<String> corrupt = corruptReports().map(a -> (String) a.get()[0]).toList();
        // the committed fixtures, not target/test-classes, which keeps files a build no longer has
        Path root = Path.of("src/test/resources/evidence/reports");
        try (Stream<Path> files = Files.walk(root)) {
            List<String> fixtures = files.filter(p -> p.toString().endsWith(".xml"))
                    .map(p -> root.relativize(p).toString().replace('\\', '/')).toList();

            assertThat(fixtures).containsExactlyInAnyOrderElementsOf(Stream.concat(inTable.stream(), corrupt.stream()).toList());
        }
    }

    static Stream<Arguments> messages() {
        return Stream.of(
                argumentSet("Surefire: the message attribute", "surefire/TEST-com.example.CalculatorTest.xml",
                        new TestFailure("com.example.CalculatorTest.parsesNull",
                                "Cannot invoke \"String.trim()\" because \"s\" is null")),
                argumentSet("JUnit 4 in Gradle: a heading line is joined to what follows",
                        "gradle/TEST-com.example.GreeterTest.xml", new TestFailure("com.example.GreeterTest.collectsSeveralErrors",
                                "java.lang.AssertionError: Expected: \"Hi, A\" but: was \"Hello, A\"")),
                argumentSet("googletest: the source location is passed over", "googletest/gtest-report.xml",
                        new TestFailure("CalcTest.ThrowsUnexpectedly",
                                "C++ exception with description \"division by zero\" thrown in the test body.")),
                argumentSet("PHPUnit: the line repeating the test's name is passed over", "phpunit/phpunit-junit.xml",
                        new TestFailure("CartTest.testRounds with data set \"two\"", "Failed asserting that 2 is identical to 3.")),
                argumentSet("gotestsum: the text, not the bare \"Failed\", past go test's framing", "go/gotestsum-junit.xml",
                        new TestFailure("example.com/shop/calc.TestDivide", "calc_test.go:16: expected 3, got 2")),
                argumentSet("go-junit-report: the compiler's words, not \"Build error\"", "go/go-junit-report.xml",
                        new TestFailure("example.com/shop/broken.[build failed]",
                                "broken/broken_test.go:6:14: cannot use \"not an int\" (untyped string constant) as int value in variable declaration")),
                argumentSet("go-junit-report: a bare \"Failed\" with no text stays", "go/go-junit-report.xml",
                        new TestFailure("example.com/shop/calc.TestTable", "Failed")),
                argumentSet("jest: the first line of the text", "jest/jest-junit.xml",
                        new TestFailure("calc divides by zero", "Error: expect(received).toBe(expected) // Object.is equality")),
                argumentSet("NUnit: the message's first line, stripped", "dotnet/nunit3-junit.xml",
                        new TestFailure("Shop.CartTests.AppliesDiscount", "discounted price")),
                argumentSet("a suite-level error's text", "edge/suite-level-errors.xml",
                        new TestFailure("example.com/shop/broken",
                                "broken_test.go:6:14: cannot use \"x\" (untyped string constant) as int value")),
                argumentSet("a failure only a status attribute gives has no message", "edge/status-attributes.xml",
                        new TestFailure("statuses.failed without a child", "")),
                argumentSet("the root's surplus is named after the root", "edge/root-declares-more.xml",
                        new TestFailure("all", "suite reports 3 errors not attributed to any test case")),
                argumentSet("an unnamed root's surplus is named after the report", "go/gotestsum-junit.xml",
                        new TestFailure("go/gotestsum-junit.xml", "suite reports 1 error not attributed to any test case")),
                argumentSet("UTF-16 text decoded", "edge/utf16-bom.xml",
                        new TestFailure("Größe.prüft Maße", "erwartet 3 m², war 2 m²")),
                argumentSet("ISO-8859-1 text decoded", "edge/iso-8859-1.xml",
                        new TestFailure("Größe.prüft Maße", "erwartet 3 m², war 2 m²")));
    }

    @ParameterizedTest
    @MethodSource("messages")
    void namesEachFailureWithItsMostTellingLine(String file, TestFailure failure) throws Exception {
        ParsedReports parsed = PARSER.parse(samples(), List.of(samples().resolve(file)));

        assertThat(parsed.failures()).contains(failure);
    }

    static Stream<Arguments> corruptReports() {
        return Stream.of(
                argumentSet("a truncated report", "corrupt/corrupt-truncated.xml",
                        "corrupt report corrupt/corrupt-truncated.xml: line 5: XML document structures must start and end within the same entity."),
                argumentSet("a report with another root", "corrupt/corrupt-wrong-root.xml",
                        "corrupt report corrupt/corrupt-wrong-root.xml: root element is <project>, not <testsuite> or <testsuites>"),
                argumentSet("an external entity (XXE)", "corrupt/corrupt-external-entity.xml",
                        "corrupt report corrupt/corrupt-external-entity.xml: line 3: The entity \"leak\" was referenced, but not declared."),
                argumentSet("an entity expansion bomb", "corrupt/corrupt-billion-laughs.xml",
                        "corrupt report corrupt/corrupt-billion-laughs.xml: line 8: The entity \"lol4\" was referenced, but not declared."),
                argumentSet("an empty file", "corrupt/corrupt-empty.xml", "corrupt report corrupt/corrupt-empty.xml: line 1: Premature end of file."));
    }

    @ParameterizedTest
    @MethodSource("corruptReports")
    void aCorruptReportCountsNothingAndIsNamedAsAProblem(String file, String problem) throws Exception {
        Path surefire = samples().resolve("surefire/TEST-com.example.CalculatorTest.xml");

        ParsedReports parsed = PARSER.parse(samples(), List.of(samples().resolve(file), surefire));

        assertThat(parsed.reportsParsed()).isEqualTo(1);
        assertThat(parsed.counts()).isEqualTo(counts(9, 3, 2, 2, 2, 2));
        assertThat(parsed.problems()).containsExactly(problem);
        assertThat(String.join("\n", parsed.problems()) + parsed.failures()).doesNotContain("root:x:0:0");
    }

    @Test
    void aReportDeclaringUtf8ButHoldingOtherBytesIsCorrupt(@TempDir Path dir) throws IOException {
        Path report = dir.resolve("latin1.xml");
        Files.write(report, "<?xml version=\"1.0\" encoding=\"UTF-8\"?><testsuite><testcase name=\"Gr\u00f6\u00dfe\"/></testsuite>"
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));

        ParsedReports parsed = PARSER.parse(dir, List.of(report));

        assertThat(parsed.reportsParsed()).isZero();
        assertThat(parsed.problems()).singleElement().asString()
                .startsWith("corrupt report latin1.xml: ").contains("UTF-8");
    }

    @Test
    void reportsAddUpAcrossFilesFlakyIncluded() throws Exception {
        ParsedReports parsed = PARSER.parse(samples(), List.of(
                samples().resolve("surefire/TEST-com.example.CalculatorTest.xml"),
                samples().resolve("failsafe/TEST-com.example.CheckoutIT.xml"),
                samples().resolve("go/gotestsum-rerun-fails.xml")));

        assertThat(parsed.reportsParsed()).isEqualTo(3);
        assertThat(parsed.counts()).isEqualTo(counts(16, 7, 4, 3, 2, 4));
    }

    @Test
    void aRepeatedNameInAGoSuiteIsARerunButNotBeforeThePropertySaysGo(@TempDir Path dir) throws IOException {
        String failThenPass = "<testcase classname=\"pkg\" name=\"TestX\"><failure message=\"Failed\"/></testcase>"
                + "<testcase classname=\"pkg\" name=\"TestX\"/>";
        Path go = Files.writeString(dir.resolve("go.xml"), "<testsuite name=\"pkg\"><properties>"
                + "<property name=\"go.version\" value=\"go1.22\"/></properties>" + failThenPass + "</testsuite>");
        Path lateProperty = Files.writeString(dir.resolve("late.xml"), "<testsuite name=\"pkg\">"
                + "<testcase classname=\"pkg\" name=\"TestY\"/><properties><property name=\"go.version\" value=\"go1.22\"/>"
                + "</properties>" + failThenPass + "</testsuite>");
        Path notGo = Files.writeString(dir.resolve("other.xml"), "<testsuite name=\"pkg\">" + failThenPass + "</testsuite>");

        assertThat(PARSER.parse(dir, List.of(go)).counts()).isEqualTo(counts(1, 1, 0, 0, 0, 1));
        assertThat(PARSER.parse(dir, List.of(lateProperty)).counts()).isEqualTo(counts(3, 2, 1, 0, 0, 0));
        assertThat(PARSER.parse(dir, List.of(notGo)).counts()).isEqualTo(counts(2, 1, 1, 0, 0, 0));
    }

    @Test
    void aGoTestThatPassedBeforeItFailedCountsBothAndOneThatFailedTwiceOnce(@TempDir Path dir) throws IOException {
        Path report = Files.writeString(dir.resolve("go.xml"), "<testsuite name=\"pkg\" failures=\"3\"><properties>"
                + "<property name=\"go.version\" value=\"go1.22\"/></properties>"
                + "<testcase classname=\"pkg\" name=\"TestOrder\"/>"
                + "<testcase classname=\"pkg\" name=\"TestOrder\"><failure message=\"second run\"/></testcase>"
                + "<testcase classname=\"pkg\" name=\"TestTwice\"><failure message=\"first\"/></testcase>"
                + "<testcase classname=\"pkg\" name=\"TestTwice\"><failure message=\"again\"/></testcase>"
                + "</testsuite>");

        ParsedReports parsed = PARSER.parse(dir, List.of(report));

        assertThat(parsed.counts()).isEqualTo(counts(3, 1, 2, 0, 0, 0));
        assertThat(parsed.failures()).containsExactly(new TestFailure("pkg.TestOrder", "second run"),
                new TestFailure("pkg.TestTwice", "first"));
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
                + "</testcase><testcase name=\"c\"><failure message=\"heading:&#10;" + longLine + "\"/></testcase></testsuite>");

        ParsedReports parsed = PARSER.parse(dir, List.of(report));

        assertThat(parsed.failures()).extracting(TestFailure::message).containsExactly(
                "x".repeat(JUnitReportParser.MAX_MESSAGE_CHARS) + "…", "first",
                ("heading: " + longLine).substring(0, JUnitReportParser.MAX_MESSAGE_CHARS) + "…");
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
    void anElementGivesTheMessageOfAnOutcomeAStatusAttributeDecided(@TempDir Path dir) throws IOException {
        Path report = Files.writeString(dir.resolve("r.xml"), "<testsuite><testcase name=\"a\" status=\"error\">"
                + "<error message=\"from the element\"/><error message=\"second\"/></testcase></testsuite>");

        ParsedReports parsed = PARSER.parse(dir, List.of(report));

        assertThat(parsed.counts()).isEqualTo(new TestCounts(1, 0, 0, 0, 1));
        assertThat(parsed.failures()).containsExactly(new TestFailure("a", "from the element"));
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
                samples().resolve("surefire/TEST-com.example.CalculatorTest.xml"),
                samples().resolve("failsafe/TEST-com.example.CheckoutIT.xml")));

        // Surefire 0.003+0.003+0.002+0+0.003+0+0.002+0.001+0.001, Failsafe 0+0.011+0.002+0.003
        assertThat(parsed.testTime()).isEqualTo(Duration.ofMillis(15 + 16));
        assertThat(parsed.counts().total()).isEqualTo(13);
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
