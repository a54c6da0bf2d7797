package dev.quorum.evidence;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The parser against a model of its counting rules, on random report trees: nested suites with
 * declared counts, test cases with any mix of children and status attributes, errors directly
 * under suites. The model is written from the rules in {@link JUnitReportParser}'s class comment,
 * separately from the streaming code.
 */
class JUnitReportParserPropertyTest {

    private static final JUnitReportParser PARSER = new JUnitReportParser(50, Redactor.SHAPES_ONLY);

    /** A child element of a test case. */
    enum Child {
        FAILURE("<failure message=\"f\"/>"), ERROR("<error message=\"e\">trace</error>"), SKIPPED("<skipped/>"),
        IGNORED("<ignored/>"), FLAKY_FAILURE("<flakyFailure message=\"ff\"/>"), FLAKY_ERROR("<flakyError/>"),
        RERUN_FAILURE("<rerunFailure message=\"rf\"/>"), RERUN_ERROR("<rerunError/>"),
        SYSTEM_OUT("<system-out>failure error skipped</system-out>");

        final String xml;

        Child(String xml) {
            this.xml = xml;
        }
    }

    sealed interface Node permits Suite, Case, SuiteError {
    }

    record Suite(int declaredFailures, int declaredErrors, int declaredDisabled, List<Node> children) implements Node {
    }

    /** {@code status} is "" for none. */
    record Case(String status, List<Child> children) implements Node {
    }

    record SuiteError(boolean failure) implements Node {
    }

    /** What a subtree adds up to under the rules; {@code seen} are failures and errors matched against declarations. */
    record Totals(int plainPassed, int flaky, int failed, int skipped, int errors, long seen, int listed) {
        static final Totals ZERO = new Totals(0, 0, 0, 0, 0, 0, 0);

        Totals plus(Totals o) {
            return new Totals(plainPassed + o.plainPassed, flaky + o.flaky, failed + o.failed, skipped + o.skipped,
                    errors + o.errors, seen + o.seen, listed + o.listed);
        }

        TestCounts counts() {
            return new TestCounts(plainPassed + flaky + failed + skipped + errors, plainPassed + flaky, failed, skipped, errors, flaky);
        }
    }

    static Totals model(Node node) {
        return switch (node) {
            case SuiteError e -> e.failure() ? new Totals(0, 0, 1, 0, 0, 1, 1) : new Totals(0, 0, 0, 0, 1, 1, 1);
            case Case c -> model(c);
            case Suite s -> {
                Totals sum = Totals.ZERO;
                for (Node child : s.children()) {
                    sum = sum.plus(model(child));
                }
                long surplus = s.declaredFailures() + s.declaredErrors() - sum.seen();
                if (surplus > 0) {
                    sum = sum.plus(new Totals(0, 0, 0, 0, (int) surplus, surplus, 1));
                }
                int unmarked = Math.min(s.declaredDisabled() - sum.skipped(), sum.plainPassed());
                if (unmarked > 0) {
                    sum = new Totals(sum.plainPassed() - unmarked, sum.flaky(), sum.failed(), sum.skipped() + unmarked,
                            sum.errors(), sum.seen(), sum.listed());
                }
                yield sum;
            }
        };
    }

    private static Totals model(Case c) {
        int rank = switch (c.status()) { // 0 passed, 1 skipped, 2 error, 3 failed
            case "failed" -> 3;
            case "error" -> 2;
            case "skipped", "disabled", "notrun", "Inconclusive" -> 1;
            default -> 0;
        };
        boolean undecided = c.status().equals("Inconclusive");
        int failingElements = 0;
        boolean flakyAttempt = false;
        for (Child child : c.children()) {
            switch (child) {
                case FAILURE, RERUN_FAILURE -> rank = Math.max(rank, 3);
                case ERROR, RERUN_ERROR -> rank = Math.max(rank, 2);
                case SKIPPED, IGNORED -> rank = Math.max(rank, 1);
                case FLAKY_FAILURE, FLAKY_ERROR -> flakyAttempt = true;
                case SYSTEM_OUT -> {
                }
            }
            if (child == Child.FAILURE || child == Child.ERROR) {
                failingElements++;
            }
        }
        return switch (rank) {
            case 3 -> new Totals(0, 0, 1, 0, 0, Math.max(1, failingElements), 1);
            case 2 -> new Totals(0, 0, 0, 0, 1, Math.max(1, failingElements), 1);
            case 1 -> new Totals(0, 0, 0, 1, 0, undecided ? 1 : 0, 0);
            default -> flakyAttempt ? new Totals(0, 1, 0, 0, 0, 0, 0) : new Totals(1, 0, 0, 0, 0, 0, 0);
        };
    }

    static String xml(Node node, boolean root, boolean rootIsTestsuites) {
        return switch (node) {
            case SuiteError e -> e.failure() ? "<failure message=\"suite failed\"/>" : "<error>suite broke</error>";
            case Case c -> "<testcase classname=\"C\" name=\"t\"" + (c.status().isEmpty() ? "" : " status=\"" + c.status() + "\"")
                    + ">" + String.join("", c.children().stream().map(ch -> ch.xml).toList()) + "</testcase>";
            case Suite s -> {
                String element = root && rootIsTestsuites ? "testsuites" : "testsuite";
                StringBuilder out = new StringBuilder("<" + element + " name=\"s\" tests=\"999\" skipped=\"999\" failures=\""
                        + s.declaredFailures() + "\" errors=\"" + s.declaredErrors() + "\" disabled=\"" + s.declaredDisabled() + "\">");
                for (Node child : s.children()) {
                    out.append(xml(child, false, false));
                }
                yield out.append("</").append(element).append(">").toString();
            }
        };
    }

    @Property(tries = 300)
    void countsWhatTheRulesSay(@ForAll("reports") Suite report, @ForAll boolean rootIsTestsuites) throws IOException {
        Path dir = Files.createTempDirectory("quorum-parser-property");
        try {
            Path file = Files.writeString(dir.resolve("r.xml"), "<?xml version=\"1.0\"?>" + xml(report, true, rootIsTestsuites));

            ParsedReports parsed = PARSER.parse(dir, List.of(file));

            Totals expected = model(report);
            assertThat(parsed.problems()).isEmpty();
            assertThat(parsed.counts()).isEqualTo(expected.counts());
            assertThat(parsed.counts().total())
                    .isEqualTo(parsed.counts().passed() + parsed.counts().failed() + parsed.counts().skipped() + parsed.counts().errors());
            assertThat(parsed.counts().flaky()).isLessThanOrEqualTo(parsed.counts().passed());
            assertThat(parsed.failures()).hasSize(Math.min(50, expected.listed()));
        } finally {
            delete(dir);
        }
    }

    private static void delete(Path dir) {
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Provide
    Arbitrary<Suite> reports() {
        return suite(3);
    }

    private Arbitrary<Suite> suite(int depth) {
        Arbitrary<Case> testCase = Combinators.combine(
                        Arbitraries.of("", "", "", "run", "passed", "1", "failed", "error", "skipped", "disabled", "notrun", "Inconclusive"),
                        Arbitraries.of(Child.class).list().ofMaxSize(4))
                .as(Case::new);
        Arbitrary<Node> node = depth == 0
                ? Arbitraries.frequencyOf(Tuple.of(8, testCase.map(c -> (Node) c)), Tuple.of(1, Arbitraries.of(true, false).map(f -> (Node) new SuiteError(f))))
                : Arbitraries.frequencyOf(Tuple.of(8, testCase.map(c -> (Node) c)), Tuple.of(1, Arbitraries.of(true, false).map(f -> (Node) new SuiteError(f))),
                        Tuple.of(2, Arbitraries.lazy(() -> suite(depth - 1)).map(s -> (Node) s)));
        Arbitrary<Integer> declared = Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.just(0)), Tuple.of(2, Arbitraries.integers().between(1, 4)));
        return Combinators.combine(declared, declared, declared, node.list().ofMaxSize(6)).as(Suite::new);
    }
}
