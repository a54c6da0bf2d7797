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
import java.util.List;
import java.util.Objects;

/**
 * Reads JUnit XML reports (Maven Surefire and Failsafe, Gradle, pytest {@code --junitxml}, Go
 * via gotestsum, jest-junit) in one streaming pass each, with DTDs and external entities off.
 *
 * <p>How it counts, since producers disagree on suite attributes: every {@code <testcase>}
 * anywhere under a {@code <testsuite>} or {@code <testsuites>} root counts once, by its direct
 * children: {@code <failure>} makes it failed, else {@code <error>} an error, else
 * {@code <skipped>} skipped, else passed. Surefire's {@code flakyFailure}/{@code rerunFailure}
 * children change nothing (a flaky test that finally passed passed). Suite attributes are
 * trusted for one thing only: when a {@code <testsuite>} declares more failures plus errors than
 * its test cases show (a class that failed to load, a jest suite that failed to run), the surplus
 * counts as errors, because an unseen failure must never read as a pass.
 *
 * <p>A failure is named {@code classname.name} (just {@code name} when the class is missing or
 * the same, as jest-junit writes it); its message is the {@code message} attribute of the
 * deciding element, else the first non-blank line of its text, at most
 * {@value #MAX_MESSAGE_CHARS} characters.
 *
 * <p>A report that is not well-formed, has another root or references entities is corrupt: it
 * counts nothing and is named in {@link ParsedReports#problems()}.
 *
 * <p>Immutable and thread-safe: each {@link #parse} call uses its own XML reader factory.
 */
public final class JUnitReportParser {

    /** Longest failure message kept; the full text stays in the report and the log. */
    static final int MAX_MESSAGE_CHARS = 300;

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
            try (InputStream in = Files.newInputStream(report)) {
                XMLStreamReader xml = factory.createXMLStreamReader(in);
                try {
                    new ReportReader(xml, one).read();
                } finally {
                    xml.close();
                }
                total.addAll(one);
                parsed++;
            } catch (XMLStreamException | IOException | CorruptReportException e) {
                problems.add("corrupt report " + workspace.relativize(report) + ": " + describe(e));
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

    /** Declared failures and errors of an open {@code <testsuite>} against what its cases showed. */
    private static final class OpenSuite {
        final String name;
        final int declaredFailuresAndErrors;
        int seenFailuresAndErrors;

        OpenSuite(String name, int declaredFailuresAndErrors) {
            this.name = name;
            this.declaredFailuresAndErrors = declaredFailuresAndErrors;
        }
    }

    /** One pass over one report. Not thread-safe. */
    private final class ReportReader {
        private final XMLStreamReader xml;
        private final TestTally tally;
        private final Deque<OpenSuite> suites = new ArrayDeque<>();
        private int depth;
        private boolean sawRoot;
        private int testCaseDepth = -1;
        private String caseName;
        private String caseClassName;
        private TestTally.Outcome outcome;
        private String message;
        private StringBuilder messageText; // non-null while reading the text of the deciding element
        private int messageTextDepth;

        ReportReader(XMLStreamReader xml, TestTally tally) {
            this.xml = xml;
            this.tally = tally;
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
            if (testCaseDepth == -1) {
                switch (element) {
                    case "testsuite" -> suites.push(new OpenSuite(
                            orDefault(attribute("name"), "(unnamed suite)"),
                            intAttribute("failures") + intAttribute("errors")));
                    case "testcase" -> startTestCase();
                    default -> {
                        // properties, system-out and the like
                    }
                }
            } else if (depth == testCaseDepth + 1) {
                switch (element) {
                    case "failure" -> decide(TestTally.Outcome.FAILED);
                    case "error" -> decide(TestTally.Outcome.ERROR);
                    case "skipped" -> decide(TestTally.Outcome.SKIPPED);
                    default -> {
                        // system-out, flakyFailure, rerunFailure, properties: they change no verdict
                    }
                }
            }
        }

        private void startTestCase() {
            testCaseDepth = depth;
            caseName = attribute("name");
            caseClassName = attribute("classname");
            outcome = TestTally.Outcome.PASSED;
            message = "";
            messageText = null;
            tally.addTestSeconds(seconds(attribute("time")));
        }

        private void decide(TestTally.Outcome candidate) {
            if (candidate.compareTo(outcome) <= 0) {
                return;
            }
            outcome = candidate;
            String attributeMessage = attribute("message");
            if (attributeMessage != null && !attributeMessage.isBlank()) {
                message = bounded(attributeMessage.strip().lines().findFirst().orElse(""));
                messageText = null;
            } else {
                message = "";
                messageText = new StringBuilder();
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

        private void finishMessageText() {
            message = bounded(messageText.toString().strip());
            messageText = null;
        }

        private void endElement() {
            if (messageText != null && depth == messageTextDepth) {
                finishMessageText();
            }
            if (depth == testCaseDepth) {
                endTestCase();
            } else if (testCaseDepth == -1 && xml.getLocalName().equals("testsuite") && !suites.isEmpty()) {
                endSuite(suites.pop());
            }
            depth--;
        }

        private void endTestCase() {
            boolean failing = outcome == TestTally.Outcome.FAILED || outcome == TestTally.Outcome.ERROR;
            String name = caseName;
            String className = caseClassName;
            String text = message;
            tally.add(outcome, () -> new TestFailure(redactor.redact(displayName(className, name)), redactor.redact(text)));
            if (failing) {
                for (OpenSuite suite : suites) {
                    suite.seenFailuresAndErrors++;
                }
            }
            testCaseDepth = -1;
        }

        private void endSuite(OpenSuite suite) {
            int surplus = suite.declaredFailuresAndErrors - suite.seenFailuresAndErrors;
            if (surplus > 0) {
                tally.addUnattributedErrors(redactor.redact(suite.name), surplus);
                for (OpenSuite outer : suites) {
                    outer.seenFailuresAndErrors += surplus;
                }
            }
        }

        private String attribute(String name) {
            return xml.getAttributeValue(null, name);
        }

        private int intAttribute(String name) {
            String value = attribute(name);
            if (value == null) {
                return 0;
            }
            try {
                return Math.max(0, Integer.parseInt(value.strip()));
            } catch (NumberFormatException e) {
                return 0; // a garbled count must not invent failures; test cases are counted anyway
            }
        }
    }

    /** Built only for failures: most test cases pass, and their names are not needed. */
    private static String displayName(String className, String rawName) {
        String name = orDefault(rawName, "(unnamed test)");
        // jest-junit's default templates put the same title in both: show it once
        return className == null || className.isBlank() || className.equals(name) ? name : className + "." + name;
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
