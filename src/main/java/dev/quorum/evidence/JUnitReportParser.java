package dev.quorum.evidence;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Reads JUnit XML reports in one streaming pass each, with DTDs and external entities off. Tried
 * on reports of Surefire and Failsafe (reruns included), Gradle, TestNG, pytest, unittest
 * (xmlrunner), jest-junit, mocha-junit-reporter, gotestsum and go-junit-report, PHPUnit, .NET
 * results converted by trx2junit or NUnit's junit XSLT, Catch2, googletest, Bazel and Dart's
 * junitreport (see {@code src/test/resources/evidence/reports/README.md}).
 *
 * <p>How it counts, since producers disagree on almost everything but the {@code <testcase>}:
 * <ul>
 *   <li>Every {@code <testcase>} anywhere under a {@code <testsuite>} or {@code <testsuites>}
 *       root counts once, however many {@code <failure>} or {@code <error>} children it has
 *       (Catch2, googletest, Gradle's ErrorCollector and jest write one per failed check).</li>
 *   <li>A case's outcome is the worst of what its children and attributes say, failure over
 *       error over skip over pass: children {@code <failure>} and Surefire's
 *       {@code <rerunFailure>} fail it, {@code <error>} and {@code <rerunError>} make it an
 *       error, {@code <skipped>} and TestNG's {@code <ignored>} skip it; a {@code status} or
 *       {@code result} attribute saying failed, error, skipped, disabled, not run, ignored,
 *       pending, suppressed and the like (in the spellings of googletest, NUnit, Bazel and
 *       others) counts the same, as does {@code skipped="true"}. {@code run}, {@code passed},
 *       Jenkins' {@code 1} and unknown values leave the decision to the children. NUnit's
 *       inconclusive and warning results count as skipped (and, as NUnit's XSLT counts them
 *       among the suite's errors, as seen errors).</li>
 *   <li>A case that passed but carries Surefire's {@code <flakyFailure>} or
 *       {@code <flakyError>} passed on a rerun: passed and flaky. One that failed every rerun
 *       carries a {@code <failure>} and {@code <rerunFailure>}s: failed, not flaky.</li>
 *   <li>Go names its tests uniquely per package, so in a suite that declares the
 *       {@code go.version} property before its first case (gotestsum, go-junit-report) a
 *       repeated name is a rerun ({@code gotestsum --rerun-fails} writes each attempt, failed
 *       ones first): failed attempts of one test count once, and a pass after them makes it
 *       a flaky pass. Elsewhere repeated names are distinct tests (TestNG data providers,
 *       pytest's failure and teardown error of one test), each counted.</li>
 *   <li>A {@code <failure>} or {@code <error>} directly under a suite (a collection error, a
 *       package that did not build) counts as one failed or erroneous test named after the
 *       suite.</li>
 *   <li>Suite attributes (of {@code <testsuite>} and the root {@code <testsuites>} alike) are
 *       trusted only where an unseen problem would otherwise read as a pass. When a suite
 *       declares more failures plus errors than its cases show (a class that failed to load,
 *       a jest suite that failed to run, a Go build error only the root counts), the surplus
 *       counts as errors. Cases are matched generously, by their failure and error elements,
 *       because some producers count those rather than cases. When a suite declares more
 *       {@code disabled} (or TestNG's {@code ignored}) tests than its cases mark skipped, that
 *       many of its plain passes count as skipped. Declared {@code tests} and {@code skipped}
 *       are not used: Surefire writes stale ones after reruns and mocha counts cases it does
 *       not list.</li>
 * </ul>
 *
 * <p>A failure is named {@code classname.name} (just {@code name} when that already holds the
 * class, as jest-junit, mocha-junit-reporter and trx2junit write it); its message is the first
 * telling line of the deciding element's {@code message} attribute, else of its text when the
 * attribute is missing or only names the outcome (Go's {@code Failed}), at most
 * {@value #MAX_MESSAGE_CHARS} characters. Lines that say nothing the name does not are passed
 * over (PHPUnit's {@code Class::method}, googletest's source location, {@code go test}'s
 * {@code === RUN}); a heading ending in a colon is joined to the lines after it. Messages are
 * worked out only for the failures listed.
 *
 * <p>The encoding is what the file's byte order mark or XML declaration says (UTF-8 without
 * either). A report that is not well-formed, has another root, references entities or nests
 * deeper than {@value #MAX_ELEMENT_DEPTH} elements is corrupt: it counts nothing and is named
 * in {@link ParsedReports#problems()}. Memory does not grow with a report's size (only the
 * listed failures and, per Go suite, at most {@value #MAX_HELD_GO_FAILURES} failing names are
 * kept), and declared counts cannot overflow the counts ({@link TestTally}).
 *
 * <p>Immutable and thread-safe: each {@link #parse} call uses its own XML reader factory.
 */
public final class JUnitReportParser {

    /** Longest failure message kept; the full text stays in the report and the log. */
    static final int MAX_MESSAGE_CHARS = 300;

    /** Deepest element nesting read; a deeper report is corrupt. */
    static final int MAX_ELEMENT_DEPTH = 100;

    /**
     * Failing Go tests held per suite to be matched with a passing rerun; beyond that failures
     * count at once, so that memory stays bounded whatever a report holds.
     */
    static final int MAX_HELD_GO_FAILURES = 10_000;

    private final int maxFailuresListed;
    private final Redactor redactor;

    /**
     * @param maxFailuresListed how many failures to list at most; counts stay exact
     * @param redactor          applied to failure names and messages
     */
    public JUnitReportParser(int maxFailuresListed, Redactor redactor) {
        if (maxFailuresListed < 0) {
            throw new IllegalArgumentException("maxFailuresListed must not be negative");
        }
        this.maxFailuresListed = maxFailuresListed;
        this.redactor = Objects.requireNonNull(redactor, "redactor");
    }

    /**
     * Reads {@code reports} in order; corrupt ones are skipped and named relative to
     * {@code workspace}. Never throws for a bad report.
     */
    public ParsedReports parse(Path workspace, List<Path> reports) {
        XMLInputFactory factory = secureFactory();
        TestTally total = new TestTally(maxFailuresListed);
        List<String> problems = new ArrayList<>();
        int parsed = 0;
        for (Path report : reports) {
            TestTally one = new TestTally(total.remainingFailureCapacity());
            String name = workspace.relativize(report).toString();
            try (InputStream in = Files.newInputStream(report)) {
                XMLStreamReader xml = factory.createXMLStreamReader(in);
                try {
                    new ReportReader(xml, one, name).read();
                } finally {
                    xml.close();
                }
                total.addAll(one);
                parsed++;
            } catch (XMLStreamException | IOException | CorruptReportException e) {
                problems.add("corrupt report " + name + ": " + describe(e));
            }
        }
        return new ParsedReports(parsed, total.counts(), total.failures(), total.testTime(), problems);
    }

    private static XMLInputFactory secureFactory() {
        // The JDK's own parser, so that a StAX provider elsewhere on the classpath cannot
        // change how hostile reports are handled.
        XMLInputFactory factory = XMLInputFactory.newDefaultFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_COALESCING, false);
        // JDK 25's default, set so that it holds on every JDK: real reports nest a few suites deep
        factory.setProperty("jdk.xml.maxElementDepth", MAX_ELEMENT_DEPTH);
        return factory;
    }

    /** {@code line 5: XML document structures must start and end within the same entity.} */
    private static String describe(Exception e) {
        String text = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip();
        if (e instanceof XMLStreamException xml && xml.getLocation() != null) {
            // the JDK's text is "ParseError at [row,col]:[5,1]\nMessage: <what>"
            int at = text.indexOf("Message: ");
            text = "line " + xml.getLocation().getLineNumber() + ": "
                    + (at >= 0 ? text.substring(at + "Message: ".length()) : text);
        }
        String line = text.lines().findFirst().orElse("unreadable");
        return bounded(line);
    }

    /** A report that is well-formed XML but not a JUnit report. */
    private static final class CorruptReportException extends Exception {
        CorruptReportException(String message) {
            super(message);
        }
    }

    /** What a test case's {@code status} or {@code result} attribute says about its outcome. */
    private enum Status {
        /** Says nothing the children would not: run, passed, success, completed, Jenkins' 1 and 0, unknown words. */
        NOTHING,
        SKIPPED,
        /** NUnit's inconclusive and warning: not a pass, and counted among its suite's errors by NUnit's XSLT. */
        UNDECIDED,
        ERROR,
        FAILED;

        static Status of(String value) {
            return switch (value.strip().toLowerCase(Locale.ROOT)) {
                case "failed", "fail", "failure" -> FAILED;
                case "error", "errored", "broken", "timeout", "timedout", "aborted" -> ERROR;
                case "skipped", "skip", "disabled", "notrun", "not run", "not_run", "notexecuted", "not executed",
                     "ignored", "pending", "excluded", "suppressed" -> SKIPPED;
                case "inconclusive", "warning" -> UNDECIDED;
                default -> NOTHING;
            };
        }
    }

    /**
     * An open {@code <testsuite>} or {@code <testsuites>}: what it declares against what its cases
     * showed. Declared and seen counts are longs: a report may declare any number.
     */
    private static final class OpenSuite {
        final int depth;
        final String name;
        final long declaredFailuresAndErrors;
        final long declaredDisabled;
        long seenFailuresAndErrors;
        int skipped;
        int plainPassed; // passed and not flaky: what a declared disabled count may move to skipped
        boolean sawCase;
        Map<String, HeldFailure> goFailures; // set for a Go package, where a repeated name is a rerun

        OpenSuite(int depth, String name, long declaredFailuresAndErrors, long declaredDisabled) {
            this.depth = depth;
            this.name = name;
            this.declaredFailuresAndErrors = declaredFailuresAndErrors;
            this.declaredDisabled = declaredDisabled;
        }

        void counted(TestTally.Outcome outcome, boolean flaky) {
            if (outcome == TestTally.Outcome.SKIPPED) {
                skipped++;
            } else if (outcome == TestTally.Outcome.PASSED && !flaky) {
                plainPassed++;
            }
        }
    }

    /**
     * A failed attempt of a Go test, held until its suite ends: a later attempt of the same name
     * that passes makes it a flaky pass; else it counts once, as its worst attempt.
     */
    private static final class HeldFailure {
        final String className;
        final String name;
        TestTally.Outcome worst;
        String message;

        HeldFailure(String className, String name, TestTally.Outcome outcome, String message) {
            this.className = className;
            this.name = name;
            this.worst = outcome;
            this.message = message;
        }

        void attempt(TestTally.Outcome outcome, String text) {
            if (outcome.compareTo(worst) > 0) {
                worst = outcome;
                message = text;
            }
        }
    }

    /** One pass over one report. Not thread-safe. */
    private final class ReportReader {
        private final XMLStreamReader xml;
        private final TestTally tally;
        private final String reportName;
        private final Deque<OpenSuite> suites = new ArrayDeque<>();
        private int suitesDeclaringDisabled; // open suites whose declared disabled count needs their cases counted
        private int depth;
        private boolean sawRoot;
        private int caseDepth = -1; // depth of the open test case, -1 while none is open
        private boolean suiteLevelCase; // the open "case" is a <failure> or <error> directly under a suite
        private String caseName;
        private String caseClassName;
        private String caseClass; // PHPUnit's class attribute, as its failure texts spell it
        private TestTally.Outcome outcome;
        private boolean undecided;
        private boolean flakyAttempt;
        private int failingElements;
        private String message; // from the deciding element's text
        private String messageAttribute; // the deciding element's message attribute, summarised only when listed
        private boolean messageFromElement;
        private StringBuilder messageText; // non-null while reading the text of the deciding element
        private int messageTextDepth;

        ReportReader(XMLStreamReader xml, TestTally tally, String reportName) {
            this.xml = xml;
            this.tally = tally;
            this.reportName = reportName;
        }

        void read() throws XMLStreamException, CorruptReportException {
            while (xml.hasNext()) {
                switch (xml.next()) {
                    case XMLStreamConstants.START_ELEMENT -> startElement();
                    case XMLStreamConstants.END_ELEMENT -> endElement();
                    case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA -> text();
                    case XMLStreamConstants.ENTITY_REFERENCE ->
                            throw new CorruptReportException("entity reference &" + xml.getLocalName() + "; is not allowed");
                    default -> {
                        // comments, processing instructions, whitespace, DTD (not processed): nothing to count
                    }
                }
            }
            if (!sawRoot) {
                throw new CorruptReportException("no root element");
            }
        }

        private void startElement() throws CorruptReportException {
            depth++;
            String element = xml.getLocalName();
            if (depth == 1) {
                if (!element.equals("testsuite") && !element.equals("testsuites")) {
                    throw new CorruptReportException("root element is <" + element + ">, not <testsuite> or <testsuites>");
                }
                sawRoot = true;
            }
            if (caseDepth == -1) {
                switch (element) {
                    case "testsuite", "testsuites" -> startSuite();
                    case "testcase" -> startTestCase();
                    case "failure", "error" -> {
                        if (suites.peek().depth == depth - 1) {
                            startSuiteLevelCase(element.equals("failure") ? TestTally.Outcome.FAILED : TestTally.Outcome.ERROR);
                        }
                    }
                    case "property" -> {
                        OpenSuite suite = suites.peek();
                        if (!suite.sawCase && suite.goFailures == null && suite.depth == depth - 2
                                && "go.version".equals(attribute("name"))) {
                            suite.goFailures = new LinkedHashMap<>();
                        }
                    }
                    default -> {
                        // properties, system-out and the like
                    }
                }
            } else if (depth == caseDepth + 1 && !suiteLevelCase) {
                switch (element) {
                    case "failure" -> {
                        failingElements++;
                        decide(TestTally.Outcome.FAILED, true);
                    }
                    case "error" -> {
                        failingElements++;
                        decide(TestTally.Outcome.ERROR, true);
                    }
                    case "rerunFailure" -> decide(TestTally.Outcome.FAILED, true);
                    case "rerunError" -> decide(TestTally.Outcome.ERROR, true);
                    case "skipped", "ignored" -> decide(TestTally.Outcome.SKIPPED, true);
                    case "flakyFailure", "flakyError" -> flakyAttempt = true;
                    default -> {
                        // system-out, system-err, properties, PHPUnit's warning: they change no verdict
                    }
                }
            }
        }

        private void startSuite() {
            String name = null;
            long failuresAndErrors = 0;
            long disabled = 0;
            for (int i = 0, n = xml.getAttributeCount(); i < n; i++) {
                switch (xml.getAttributeLocalName(i)) {
                    case "name" -> name = xml.getAttributeValue(i);
                    case "failures", "errors" -> failuresAndErrors += declaredCount(xml.getAttributeValue(i));
                    case "disabled", "ignored" -> disabled += declaredCount(xml.getAttributeValue(i));
                    default -> {
                        // tests and skipped are not trusted; the rest is metadata
                    }
                }
            }
            suites.push(new OpenSuite(depth, orDefault(name, reportName), failuresAndErrors, disabled));
            if (disabled > 0) {
                suitesDeclaringDisabled++;
            }
        }

        private void startTestCase() {
            openCase(false);
            double seconds = 0;
            for (int i = 0, n = xml.getAttributeCount(); i < n; i++) {
                switch (xml.getAttributeLocalName(i)) {
                    case "name" -> caseName = xml.getAttributeValue(i);
                    case "classname" -> caseClassName = xml.getAttributeValue(i);
                    case "class" -> caseClass = xml.getAttributeValue(i);
                    case "time" -> seconds = seconds(xml.getAttributeValue(i));
                    case "status", "result" -> declare(Status.of(xml.getAttributeValue(i)));
                    case "skipped", "disabled", "ignored" -> {
                        if (xml.getAttributeValue(i).strip().equalsIgnoreCase("true")) {
                            declare(Status.SKIPPED);
                        }
                    }
                    default -> {
                        // file, line, timestamp, assertions and the like
                    }
                }
            }
            tally.addTestSeconds(seconds);
        }

        private void startSuiteLevelCase(TestTally.Outcome kind) {
            openCase(true);
            failingElements = 1;
            decide(kind, true);
        }

        private void openCase(boolean suiteLevel) {
            caseDepth = depth;
            suiteLevelCase = suiteLevel;
            caseName = null;
            caseClassName = null;
            caseClass = null;
            outcome = TestTally.Outcome.PASSED;
            undecided = false;
            flakyAttempt = false;
            failingElements = 0;
            message = "";
            messageAttribute = null;
            messageFromElement = false;
            messageText = null;
            suites.peek().sawCase = true;
        }

        private void declare(Status status) {
            switch (status) {
                case NOTHING -> {
                    // the children decide
                }
                case SKIPPED -> decide(TestTally.Outcome.SKIPPED, false);
                case UNDECIDED -> {
                    undecided = true;
                    decide(TestTally.Outcome.SKIPPED, false);
                }
                case ERROR -> decide(TestTally.Outcome.ERROR, false);
                case FAILED -> decide(TestTally.Outcome.FAILED, false);
            }
        }

        /**
         * Makes {@code candidate} the case's outcome if it is worse than what was seen so far; an
         * element also supplies the message of an outcome that so far only an attribute gave.
         */
        private void decide(TestTally.Outcome candidate, boolean element) {
            int order = candidate.compareTo(outcome);
            if (order < 0 || order == 0 && (messageFromElement || !element)) {
                return;
            }
            outcome = candidate;
            message = "";
            messageAttribute = null;
            messageText = null;
            messageFromElement = element;
            if (!element || candidate == TestTally.Outcome.SKIPPED) {
                return; // skips are not listed: their text is not needed
            }
            String attributeMessage = attribute("message");
            if (attributeMessage != null && !attributeMessage.isBlank()) {
                messageAttribute = attributeMessage;
            }
            if (messageAttribute == null || saysOnlyTheOutcome(messageAttribute)) {
                messageText = new StringBuilder(); // the text says more, if it says anything
                messageTextDepth = depth;
            }
        }

        private void text() {
            if (messageText == null) {
                return;
            }
            String chunk = xml.getText();
            for (int i = 0; i < chunk.length(); i++) {
                char c = chunk.charAt(i);
                if (c == '\n' || c == '\r') {
                    if (!messageText.isEmpty()) {
                        if (passesOver(messageText, owner(), caseName)) {
                            messageText.setLength(0);
                            continue;
                        }
                        finishMessageText(); // the first line is all we keep
                        return;
                    }
                } else if (!messageText.isEmpty() || !Character.isWhitespace(c)) {
                    messageText.append(c);
                    if (messageText.length() > MAX_MESSAGE_CHARS) {
                        finishMessageText();
                        return;
                    }
                }
            }
        }

        /** The class a failure text names the test by: PHPUnit's {@code class}, else {@code classname}. */
        private String owner() {
            return caseClass != null ? caseClass : caseClassName;
        }

        private void finishMessageText() {
            message = bounded(messageText.toString().strip());
            messageText = null;
        }

        private void endElement() {
            if (messageText != null && depth == messageTextDepth) {
                finishMessageText();
            }
            if (depth == caseDepth) {
                endTestCase();
            } else if (caseDepth == -1 && !suites.isEmpty() && suites.peek().depth == depth) {
                OpenSuite suite = suites.peek();
                countHeldFailures(suite);
                suites.pop();
                if (suite.declaredDisabled > 0) {
                    suitesDeclaringDisabled--;
                }
                endSuite(suite);
            }
            depth--;
        }

        private void endTestCase() {
            OpenSuite suite = suites.peek();
            boolean failing = outcome == TestTally.Outcome.FAILED || outcome == TestTally.Outcome.ERROR;
            int seen = failing ? Math.max(1, failingElements) : undecided ? 1 : 0;
            if (seen > 0) {
                for (OpenSuite open : suites) {
                    open.seenFailuresAndErrors += seen;
                }
            }
            String name = suiteLevelCase ? suite.name : caseName;
            String className = suiteLevelCase ? null : caseClassName;
            boolean flaky = outcome == TestTally.Outcome.PASSED && flakyAttempt;
            if (suite.goFailures == null || suiteLevelCase || !heldAsRerun(suite.goFailures, className, name)) {
                count(className, name, outcome, flaky, messageAttribute, message, suiteLevelCase ? null : owner());
            }
            caseDepth = -1;
            suiteLevelCase = false;
        }

        /**
         * Matches an attempt of a Go test with its earlier failed attempts: holds a failure, makes
         * a pass after a held failure a flaky pass. False when the attempt is to be counted as is.
         * gotestsum lists failed attempts before passed ones, go test prints a rerun after the
         * run it repeats; a pass seen before a failure of the same name counts on its own.
         */
        private boolean heldAsRerun(Map<String, HeldFailure> held, String className, String name) {
            String key = className + '\u0000' + name;
            HeldFailure earlier = held.get(key);
            switch (outcome) {
                case PASSED -> {
                    if (earlier == null) {
                        return false;
                    }
                    held.remove(key);
                    count(className, name, TestTally.Outcome.PASSED, true, null, "", null);
                }
                case SKIPPED -> {
                    if (earlier == null) {
                        return false;
                    }
                    earlier.attempt(outcome, "");
                }
                case FAILED, ERROR -> {
                    String text = failureText(messageAttribute, message, owner(), name);
                    if (earlier != null) {
                        earlier.attempt(outcome, text);
                    } else if (held.size() < MAX_HELD_GO_FAILURES) {
                        held.put(key, new HeldFailure(className, name, outcome, text));
                    } else {
                        return false;
                    }
                }
            }
            return true;
        }

        /** Counts each failing test of a Go suite once, now that no passing rerun can follow. */
        private void countHeldFailures(OpenSuite suite) {
            if (suite.goFailures == null) {
                return;
            }
            for (HeldFailure failure : suite.goFailures.values()) {
                count(failure.className, failure.name, failure.worst, false, null, failure.message, null);
            }
            suite.goFailures = null;
        }

        /**
         * Counts one test; its failure text is worked out only when it is listed (see
         * {@link #failureText}).
         */
        private void count(String className, String name, TestTally.Outcome outcome, boolean flaky,
                           String attribute, String text, String owner) {
            boolean listed = outcome == TestTally.Outcome.FAILED || outcome == TestTally.Outcome.ERROR;
            tally.add(outcome, flaky, listed ? () -> new TestFailure(redactor.redact(displayName(className, name)),
                    redactor.redact(failureText(attribute, text, owner, name))) : null);
            if (suitesDeclaringDisabled > 0) { // most reports declare none: spare the loop over the suites
                for (OpenSuite open : suites) {
                    open.counted(outcome, flaky);
                }
            }
        }

        private void endSuite(OpenSuite suite) {
            long surplus = suite.declaredFailuresAndErrors - suite.seenFailuresAndErrors;
            if (surplus > 0) {
                tally.addUnattributedErrors(redactor.redact(suite.name), surplus);
                for (OpenSuite outer : suites) {
                    outer.seenFailuresAndErrors += surplus;
                }
            }
            int unmarked = (int) Math.min(suite.declaredDisabled - suite.skipped, suite.plainPassed);
            if (unmarked > 0) {
                tally.passedWereSkipped(unmarked);
                for (OpenSuite outer : suites) {
                    outer.plainPassed -= unmarked;
                    outer.skipped += unmarked;
                }
            }
        }

        private String attribute(String name) {
            return xml.getAttributeValue(null, name);
        }
    }

    /**
     * A declared count, at most {@link Integer#MAX_VALUE}; a garbled one must not invent
     * failures: test cases are counted anyway.
     */
    private static long declaredCount(String value) {
        try {
            return Math.max(0, Integer.parseInt(value.strip()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * What a failure says: the first line of the deciding element's {@code text} where it was
     * read (no {@code attribute}, or one that only names the outcome), else {@code attribute}
     * summarised; {@code owner} is the class a text may name the test by.
     */
    private static String failureText(String attribute, String text, String owner, String name) {
        return !text.isEmpty() || attribute == null ? text : summary(attribute, owner, name);
    }

    /**
     * A message attribute that only names the outcome, as go-junit-report and gotestsum write
     * {@code Failed}, {@code Build error} and {@code Runtime error}: the text says more.
     */
    private static boolean saysOnlyTheOutcome(String attribute) {
        return switch (attribute.strip().toLowerCase(Locale.ROOT)) {
            case "failed", "failure", "error", "build error", "runtime error" -> true;
            default -> false;
        };
    }

    /**
     * The line of a multi-line {@code message} attribute that says what went wrong: the first
     * one not {@linkplain #passesOver passed over}; when it is a heading ending in a colon
     * (JUnit 4's {@code java.lang.AssertionError:}, googletest's {@code Expected equality of
     * these values:}) the lines after it are joined to it.
     */
    private static String summary(String text, String owner, String name) {
        StringBuilder summary = new StringBuilder();
        boolean heading = false;
        for (String raw : (Iterable<String>) text.lines()::iterator) {
            String line = raw.strip();
            if (line.isEmpty() || summary.isEmpty() && passesOver(line, owner, name)) {
                continue;
            }
            if (heading) {
                summary.append(' ');
            }
            summary.append(line);
            heading = heading || line.endsWith(":");
            if (!heading || summary.length() > MAX_MESSAGE_CHARS) {
                break;
            }
        }
        return bounded(summary.isEmpty() ? text.strip().lines().findFirst().orElse("") : summary.toString());
    }

    /**
     * A first line that says nothing the failure's name and the stack trace do not: PHPUnit's
     * {@code Class::method}, googletest's {@code path/to/test.cpp:12} or {@code unknown file},
     * {@code go test -v}'s {@code === RUN   TestX} (which gotestsum copies into the text).
     */
    private static boolean passesOver(CharSequence line, String owner, String name) {
        return isSourceLocation(line) || repeatsTheTestName(line, owner, name) || isGoTestFraming(line);
    }

    private static boolean isGoTestFraming(CharSequence line) {
        String start = line.subSequence(0, Math.min(line.length(), 9)).toString();
        return start.startsWith("=== RUN") || start.startsWith("=== PAUSE") || start.startsWith("=== CONT");
    }

    private static boolean repeatsTheTestName(CharSequence line, String owner, String name) {
        if (owner == null || name == null) {
            return false;
        }
        String echo = owner + "::" + name;
        return line.length() >= echo.length() && line.subSequence(0, echo.length()).toString().equals(echo);
    }

    /** {@code path/to/file.cpp:12} or {@code unknown file}, alone on a line. */
    private static boolean isSourceLocation(CharSequence line) {
        if (line.length() <= 16 && line.toString().strip().equals("unknown file")) {
            return true;
        }
        int colon = -1;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (Character.isWhitespace(c)) {
                return false;
            }
            if (c == ':') {
                colon = i;
            }
        }
        if (colon <= 0 || colon == line.length() - 1) {
            return false;
        }
        for (int i = colon + 1; i < line.length(); i++) {
            if (!Character.isDigit(line.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code classname.name}, built only for failures: most test cases pass, and their names are
     * not needed. The name alone when it already holds the class: jest-junit's default templates
     * put the same title in both, trx2junit writes the fully qualified name, mocha-junit-reporter
     * the suite's title and then the test's (its class name).
     */
    private static String displayName(String rawClassName, String rawName) {
        String name = orDefault(rawName, "(unnamed test)").strip();
        String className = rawClassName == null ? null : rawClassName.strip();
        if (className == null || className.isEmpty() || className.equals(name)
                || name.startsWith(className + ".") || name.endsWith(" " + className)) {
            return name;
        }
        return className + "." + name;
    }

    private static String orDefault(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }

    private static String bounded(String text) {
        return text.length() <= MAX_MESSAGE_CHARS ? text : text.substring(0, MAX_MESSAGE_CHARS) + "…";
    }

    /** Seconds from a {@code time} attribute; old Surefire wrote {@code 1,234.5}, some tools {@code 0,5}. */
    static double seconds(String time) {
        if (time == null || time.isBlank()) {
            return 0;
        }
        String value = time.strip();
        value = value.contains(".") ? value.replace(",", "") : value.replace(',', '.');
        try {
            double seconds = Double.parseDouble(value);
            return Double.isFinite(seconds) && seconds > 0 ? seconds : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
