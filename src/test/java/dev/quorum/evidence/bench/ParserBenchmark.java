package dev.quorum.evidence.bench;

import dev.quorum.evidence.JUnitReportParser;
import dev.quorum.evidence.ParsedReports;
import dev.quorum.evidence.Redactor;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Quorum's JUnit XML parser against the floor: a bare StAX pass over the same files that only
 * counts {@code <testcase>} elements. Run with {@code bench/evidence/run.sh}; see
 * {@code bench/evidence/README.md}.
 */
public final class ParserBenchmark {

    private static final int FILES = 400;
    private static final int CASES_PER_FILE = 50;
    private static final int FAIL_EVERY = 40; // 2.5 % of cases fail, with a stack trace
    private static final int SKIP_EVERY = 25;
    private static final int WARMUP_ROUNDS = 10;
    private static final int MEASURED_ROUNDS = 15;

    private ParserBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("quorum-parser-bench");
        try {
            List<Path> reports = generate(dir);
            long bytes = 0;
            for (Path report : reports) {
                bytes += Files.size(report);
            }
            JUnitReportParser parser = new JUnitReportParser(50, Redactor.of(List.of("not-in-any-report")));
            ParsedReports check = parser.parse(dir, reports);
            long floorCount = floor(reports);
            if (check.counts().total() != FILES * CASES_PER_FILE || floorCount != check.counts().total()) {
                throw new IllegalStateException("parser counted " + check.counts() + ", floor " + floorCount);
            }
            System.out.printf(Locale.ROOT, "%d reports, %d test cases (%d failed, %d skipped), %.1f MB%n",
                    reports.size(), check.counts().total(), check.counts().failed(), check.counts().skipped(), bytes / 1e6);

            Supplier<Object> quorum = () -> parser.parse(dir, reports);
            Supplier<Object> bare = () -> floor(reports);
            for (int i = 0; i < WARMUP_ROUNDS; i++) {
                quorum.get();
                bare.get();
            }
            long[] quorumNanos = new long[MEASURED_ROUNDS];
            long[] floorNanos = new long[MEASURED_ROUNDS];
            for (int i = 0; i < MEASURED_ROUNDS; i++) { // alternate so drift hits both alike
                quorumNanos[i] = time(quorum);
                floorNanos[i] = time(bare);
            }
            Measure q = new Measure(median(quorumNanos), allocated(quorum), peakHeap(quorum));
            Measure f = new Measure(median(floorNanos), allocated(bare), peakHeap(bare));
            System.out.printf(Locale.ROOT, "%-16s %10s %14s %14s%n", "", "median ms", "allocated MB", "peak heap MB");
            q.print("quorum parser");
            f.print("bare StAX floor");
            System.out.printf(Locale.ROOT, "ratio quorum/floor: %.2fx (median of %d runs after %d warm-up runs)%n",
                    (double) q.nanos / f.nanos, MEASURED_ROUNDS, WARMUP_ROUNDS);
            System.out.printf(Locale.ROOT, "max heap %d MB, %s%n", Runtime.getRuntime().maxMemory() >> 20,
                    System.getProperty("java.vm.name") + " " + Runtime.version());
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    private record Measure(long nanos, long allocatedBytes, long peakHeapBytes) {
        void print(String name) {
            System.out.printf(Locale.ROOT, "%-16s %10.1f %14.1f %14.1f%n", name, nanos / 1e6, allocatedBytes / 1e6,
                    peakHeapBytes / 1e6);
        }
    }

    /** The floor: what any StAX reader of these files must at least do. */
    private static long floor(List<Path> reports) {
        XMLInputFactory factory = XMLInputFactory.newDefaultFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        long testCases = 0;
        for (Path report : reports) {
            try (InputStream in = Files.newInputStream(report)) {
                XMLStreamReader xml = factory.createXMLStreamReader(in);
                while (xml.hasNext()) {
                    if (xml.next() == XMLStreamConstants.START_ELEMENT && xml.getLocalName().equals("testcase")) {
                        testCases++;
                    }
                }
                xml.close();
            } catch (IOException | XMLStreamException e) {
                throw new IllegalStateException(e);
            }
        }
        return testCases;
    }

    private static long time(Supplier<Object> work) {
        long start = System.nanoTime();
        work.get();
        return System.nanoTime() - start;
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /** Bytes this thread allocates for one run: what the garbage collector must clean up. */
    private static long allocated(Supplier<Object> work) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().threadId();
        long before = threads.getThreadAllocatedBytes(id);
        work.get();
        return threads.getThreadAllocatedBytes(id) - before;
    }

    /** Highest heap use during one run, starting from a collected heap. */
    private static long peakHeap(Supplier<Object> work) {
        List<MemoryPoolMXBean> heap = new ArrayList<>();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                heap.add(pool);
            }
        }
        System.gc();
        heap.forEach(MemoryPoolMXBean::resetPeakUsage);
        work.get();
        long peak = 0;
        for (MemoryPoolMXBean pool : heap) {
            peak += pool.getPeakUsage().getUsed();
        }
        return peak;
    }

    /** Surefire-style reports: properties, passing cases, failures with stack traces, skips, output. */
    private static List<Path> generate(Path dir) throws IOException {
        List<Path> reports = new ArrayList<>();
        int caseNumber = 0;
        for (int f = 0; f < FILES; f++) {
            String suite = "com.example.module" + (f % 20) + ".Feature" + f + "Test";
            Path report = dir.resolve("TEST-" + suite + ".xml");
            try (Writer out = Files.newBufferedWriter(report, StandardCharsets.UTF_8)) {
                out.write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuite xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
                        + "version=\"3.0\" name=\"" + suite + "\" time=\"1.234\" tests=\"" + CASES_PER_FILE + "\">\n  <properties>\n");
                for (int p = 0; p < 30; p++) {
                    out.write("    <property name=\"java.property." + p + "\" value=\"/usr/lib/jvm/some/long/value/" + p + "\"/>\n");
                }
                out.write("  </properties>\n");
                for (int c = 0; c < CASES_PER_FILE; c++, caseNumber++) {
                    out.write("  <testcase name=\"behaves" + c + "()\" classname=\"" + suite + "\" time=\"0.0" + (c % 10) + "\"");
                    if (caseNumber % FAIL_EVERY == 0) {
                        out.write(">\n    <failure message=\"expected: &lt;" + c + "&gt; but was: &lt;" + (c + 1)
                                + "&gt;\" type=\"org.opentest4j.AssertionFailedError\"><![CDATA[org.opentest4j.AssertionFailedError: expected\n");
                        for (int s = 0; s < 25; s++) {
                            out.write("\tat com.example.module.Frame" + s + ".call(Frame" + s + ".java:" + (s + 10) + ")\n");
                        }
                        out.write("]]></failure>\n    <system-out><![CDATA[some output of the failing test\n]]></system-out>\n  </testcase>\n");
                    } else if (caseNumber % SKIP_EVERY == 0) {
                        out.write(">\n    <skipped message=\"not ready\"/>\n  </testcase>\n");
                    } else {
                        out.write("/>\n");
                    }
                }
                out.write("  <system-out><![CDATA[" + "suite log line\n".repeat(20) + "]]></system-out>\n</testsuite>\n");
            }
            reports.add(report);
        }
        return reports;
    }
}
