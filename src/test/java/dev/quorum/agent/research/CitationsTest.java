package dev.quorum.agent.research;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CitationsTest {

    private static SourceLedger twoSources() {
        SourceLedger ledger = new SourceLedger();
        ledger.register(Source.Kind.FILE, "docs/a.md", "A");
        ledger.register(Source.Kind.WEB_PAGE, "https://example.com/b", "B");
        ledger.register(Source.Kind.FILE, "docs/a.md", "A again"); // same locator keeps its number
        return ledger;
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("a real citation", "Fact [1].", "Fact [1].", List.of()),
                Arguments.of("a group with one invented number", "Facts [1, 2, 9].", "Facts [1, 2, 9 (unverified)].",
                        List.of(9)),
                Arguments.of("zero is never a source", "Fact [0].", "Fact [0 (unverified)].", List.of(0)),
                Arguments.of("code indexing is not a citation", "Use items[3] here.", "Use items[3] here.", List.of()),
                Arguments.of("a markdown link is not a citation", "See [3](http://x).", "See [3](http://x).", List.of()),
                Arguments.of("adjacent citations", "Fact [2][5].", "Fact [2][5 (unverified)].", List.of(5)),
                Arguments.of("separate citations", "Fact [2] and [5].", "Fact [2] and [5 (unverified)].", List.of(5)),
                Arguments.of("an escaped bracket is text", "See \\[9].", "See \\[9].", List.of()),
                Arguments.of("a code span is code", "Use `xs = [1, 9]` [2].", "Use `xs = [1, 9]` [2].", List.of()),
                Arguments.of("a closed fence is code", "Run [1]:\n```py\nxs = [7]\n```\nDone [9].",
                        "Run [1]:\n```py\nxs = [7]\n```\nDone [9 (unverified)].", List.of(9)),
                Arguments.of("a fence never closed hides nothing", "Run:\n```py\nclaim [7]",
                        "Run:\n```py\nclaim [7 (unverified)]", List.of(7)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void citationsAreCheckedAgainstTheLedger(String name, String report, String marked, List<Integer> unverified) {
        CheckedReport checked = Citations.check(report, twoSources());

        assertThat(checked.text()).startsWith(marked);
        assertThat(checked.unverified()).isEqualTo(unverified);
    }

    static Stream<Arguments> quotes() {
        return Stream.of(
                Arguments.of("a footnote", "Rollback is safe [2].", "Rollback is safe \\[2]."),
                Arguments.of("a group", "See [1, 3] and [4]", "See \\[1, 3] and \\[4]"),
                Arguments.of("inside a code span", "Use `xs[0] = [1]` here", "Use `xs[0] = [1]` here"),
                Arguments.of("after stray backticks", "deploy `` [7]", "deploy `` \\[7]"),
                Arguments.of("a link and an index", "[3](http://x) items[2]", "[3](http://x) items[2]"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("quotes")
    void aQuotedDocumentsBracketsAreNeverTakenForCitations(String name, String quoted, String literal) {
        assertThat(Citations.literal(quoted)).isEqualTo(literal);
        assertThat(Citations.check("- " + Citations.literal(quoted) + " [1]", twoSources()).cited())
                .extracting(Source::number).containsExactly(1);
        assertThat(Citations.check(Citations.literal(quoted), new SourceLedger()).unverified()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theSourcesSectionListsOnlyRealCitedSources(String name, String report, String marked, List<Integer> unverified) {
        CheckedReport checked = Citations.check(report, twoSources());

        assertThat(checked.cited()).allSatisfy(s -> assertThat(twoSources().find(s.number())).contains(s));
        checked.cited().forEach(s -> assertThat(checked.text()).contains("\n" + s.line()));
    }
}
