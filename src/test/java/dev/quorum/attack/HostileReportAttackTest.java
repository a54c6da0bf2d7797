package dev.quorum.attack;

import dev.quorum.evidence.JUnitReportParser;
import dev.quorum.evidence.ParsedReports;
import dev.quorum.evidence.Redactor;
import dev.quorum.evidence.TestCounts;
import dev.quorum.evidence.TestFailure;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reports are written by the code under test, so they are hostile input: Quorum must read them
 * without fetching anything, throwing, overflowing or running out of memory, and must never let
 * a failure the report shows read as a pass. (No parser rule makes a forged report honest: the
 * sandbox and the command's exit code are the defence against a test that writes its own.)
 */
class HostileReportAttackTest {

    private static final JUnitReportParser PARSER = new JUnitReportParser(50, Redactor.SHAPES_ONLY);

    @TempDir
    Path dir;

    private HttpServer server;
    private final AtomicInteger fetches = new AtomicInteger();

    @BeforeEach
    void startAServerAReportMightPointAt() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            fetches.incrementAndGet(); // before answering, so a fetch is counted before the parser could go on
            byte[] dtd = "<!ENTITY leak \"fetched\">".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, dtd.length);
            exchange.getResponseBody().write(dtd);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopTheServer() {
        server.stop(0);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private ParsedReports parse(String name, String xml) throws IOException {
        return PARSER.parse(dir, List.of(Files.writeString(dir.resolve(name), xml)));
    }

    @Test
    void noDtdOrParameterEntityIsEverFetched() throws IOException {
        ParsedReports external = parse("external.xml", "<!DOCTYPE testsuite SYSTEM \"" + url("/x.dtd") + "\">"
                + "<testsuite><testcase name=\"t\"><failure message=\"&leak;\"/></testcase></testsuite>");
        ParsedReports parameter = parse("parameter.xml", "<!DOCTYPE testsuite [<!ENTITY % p SYSTEM \"" + url("/p.dtd")
                + "\"> %p;]><testsuite><testcase name=\"t\"><failure message=\"&leak;\"/></testcase></testsuite>");

        assertThat(fetches).hasValue(0);
        // the external subset is never read, so an entity it might declare stands for nothing
        assertThat(external.counts()).isEqualTo(new TestCounts(1, 0, 1, 0, 0, 0));
        assertThat(external.failures()).containsExactly(new TestFailure("t", ""));
        assertThat(parameter.reportsParsed()).isZero();
        assertThat(String.join("\n", parameter.problems()) + parameter.failures()).doesNotContain("fetched");
    }

    @Test
    void declaredCountsOfAnySizeNeitherOverflowNorThrow() throws IOException {
        String suite = "<testsuite failures=\"2147483647\" errors=\"2147483647\" disabled=\"2147483647\">"
                + "<testcase name=\"t\"/></testsuite>";
        Path first = Files.writeString(dir.resolve("a.xml"), "<testsuites failures=\"99999999999\">" + suite.repeat(3) + "</testsuites>");
        Path second = Files.writeString(dir.resolve("b.xml"), "<testsuites>" + suite.repeat(3) + "</testsuites>");

        ParsedReports parsed = PARSER.parse(dir, List.of(first, second));

        TestCounts counts = parsed.counts();
        assertThat(parsed.problems()).isEmpty();
        assertThat(counts).isEqualTo(new TestCounts(1_000_000_006, 0, 0, 6, 1_000_000_000, 0));
        assertThat(parsed.failures()).first()
                .isEqualTo(new TestFailure("a.xml", "suite reports 4294967294 errors not attributed to any test case"));
    }

    @Test
    void aFailureCannotBeDressedAsAFlakyPassOrASkip() throws IOException {
        ParsedReports parsed = parse("dressed.xml", "<testsuite>"
                + "<testcase name=\"flaky then failed\"><flakyFailure message=\"once\"/><failure message=\"failed\"/></testcase>"
                + "<testcase name=\"says passed\" status=\"passed\"><failure message=\"failed\"/></testcase>"
                + "<testcase name=\"says skipped\" skipped=\"true\"><error message=\"broke\"/></testcase>"
                + "<testcase name=\"skipped and failed\"><skipped/><failure message=\"failed\"/></testcase>"
                + "<testcase name=\"disabled and erred\" status=\"disabled\"><rerunError message=\"broke\"/></testcase>"
                + "</testsuite>");

        assertThat(parsed.counts()).isEqualTo(new TestCounts(5, 0, 3, 0, 2, 0));
    }

    @Test
    void aDeclaredFailureCannotHideBehindPassesAtAnyLevel() throws IOException {
        ParsedReports rootOnly = parse("root.xml", "<testsuites errors=\"1\"><testsuite><testcase name=\"a\"/></testsuite></testsuites>");
        ParsedReports disabledOverFailure = parse("disabled.xml", "<testsuite failures=\"1\" disabled=\"1\"><testcase name=\"a\"/></testsuite>");

        assertThat(rootOnly.counts()).isEqualTo(new TestCounts(2, 1, 0, 0, 1, 0));
        assertThat(disabledOverFailure.counts()).isEqualTo(new TestCounts(2, 0, 0, 1, 1, 0));
    }

    @Test
    void aReportNestedDeeperThanAnyProducerNestsIsCorruptNotAStackOverflow() throws IOException {
        int levels = 50_000;
        ParsedReports parsed = parse("deep.xml", "<testsuites>" + "<testsuite>".repeat(levels) + "<testcase name=\"t\"/>"
                + "</testsuite>".repeat(levels) + "</testsuites>");

        assertThat(parsed.reportsParsed()).isZero();
        assertThat(parsed.counts()).isEqualTo(TestCounts.NONE);
        assertThat(parsed.problems()).singleElement().asString().startsWith("corrupt report deep.xml: line 1: ")
                .contains("exceeds the limit \"100\"");
    }

    @Test
    void aGoSuiteWithMoreFailuresThanAreHeldStillCountsEveryOne() throws IOException {
        int failing = 10_000 + 25; // more than the 10,000 failures the parser holds per Go suite
        StringBuilder xml = new StringBuilder("<testsuite name=\"pkg\"><properties><property name=\"go.version\" value=\"go1.22\"/>"
                + "</properties>");
        for (int i = 0; i < failing; i++) {
            xml.append("<testcase classname=\"pkg\" name=\"Test").append(i).append("\"><failure message=\"Failed\"/></testcase>");
        }
        xml.append("<testcase classname=\"pkg\" name=\"Test0\"/></testsuite>"); // a passing rerun of a held failure

        ParsedReports parsed = parse("go.xml", xml.toString());

        assertThat(parsed.counts()).isEqualTo(new TestCounts(failing, 1, failing - 1, 0, 0, 1));
        assertThat(parsed.failures()).hasSize(50);
    }

    @Test
    void aHugeMessageIsCutAndAnInvalidCharacterMakesTheReportCorrupt() throws IOException {
        ParsedReports huge = parse("huge.xml", "<testsuite><testcase name=\"t\"><failure message=\"" + "x".repeat(5_000_000)
                + "\"/></testcase></testsuite>");
        // Dart's junitreport writes a test's bell character as &#8;, which XML 1.0 does not allow
        ParsedReports control = parse("control.xml", "<testsuite><testcase name=\"t\"><system-out>bell &#8;!</system-out>"
                + "</testcase></testsuite>");

        assertThat(huge.failures()).singleElement().extracting(TestFailure::message).asString()
                .hasSize(300 + 1).endsWith("…"); // the 300 characters kept, and the ellipsis
        assertThat(control.reportsParsed()).isZero();
        assertThat(control.problems()).singleElement().asString().startsWith("corrupt report control.xml: line 1: ");
    }
}
