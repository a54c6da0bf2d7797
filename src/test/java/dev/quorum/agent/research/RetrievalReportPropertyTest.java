package dev.quorum.agent.research;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quorum.agent.search.Passage;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Whatever the documents hold (footnotes, bracketed numbers in code, stray backticks and fences, fake Sources
 * lines), the retrieval-only report cites no number the search did not return, and lists every source it cites.
 */
class RetrievalReportPropertyTest {

    /** Words the questions use, and the documents' other stuff, including everything that looks like a citation. */
    private static final List<String> WORDS = List.of("deploy", "greets", "stranger", "retries", "approval", "staging",
            "Greeter", "the", "is", "with");
    private static final List<String> NOISE = List.of("[1]", "[2]", "[3, 4]", "[99]", "[0]", "xs[1]", "[2](http://x)",
            "`", "`[5]`", "``", ".", "!", "?", "(", ")", "- ", "# ", "| ", "> ", "Sources", "—");
    private static final List<String> LINE_STARTS = List.of("", "", "", "```", "```js", "~~~", "# ", "## ", "- ",
            "1. ", "| ", "    ", "[7] ");
    private static final List<String> PATHS = List.of("docs/guide.md", "docs/notes.txt", "app/src/App.java",
            "app/web/order.js", "app/tool.py", "docs/[2]/odd.md", "app/Makefile", "docs/README", "app/x.weird");
    /** A citation as a reader sees one: a bracketed number, not in code, not a link, not an index, not escaped. */
    private static final Pattern CITATION = Pattern.compile("(?<![\\w\\\\])\\[(\\d{1,4}(?:\\s*,\\s*\\d{1,4})*)](?!\\()");

    @Provide
    Arbitrary<String> line() {
        Arbitrary<String> token = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.of(WORDS)), Tuple.of(2, Arbitraries.of(NOISE)));
        return Combinators.combine(Arbitraries.of(LINE_STARTS), token.list().ofMaxSize(12))
                .as((start, tokens) -> start + String.join(" ", tokens));
    }

    @Provide
    Arbitrary<List<Passage>> passages() {
        Arbitrary<Passage> passage = Combinators.combine(Arbitraries.of(PATHS), Arbitraries.integers().between(1, 90),
                line().list().ofMinSize(1).ofMaxSize(14)).as((path, start, lines) -> new Passage(path, "T",
                start, start + lines.size() - 1, String.join("\n", lines), 1f));
        return passage.list().ofMaxSize(5);
    }

    @Provide
    Arbitrary<String> question() {
        return Arbitraries.of(WORDS).list().ofMinSize(1).ofMaxSize(4).map(w -> "how " + String.join(" ", w) + "?");
    }

    @Property(tries = 500)
    void everyCitationIsASourceTheSearchReturnedAndIsListed(@ForAll("question") String question,
                                                            @ForAll("passages") List<Passage> passages) {
        SourceLedger ledger = new SourceLedger();
        CheckedReport checked = Citations.check(RetrievalReport.write(question, passages, ledger), ledger);

        assertThat(checked.unverified()).isEmpty();
        assertThat(checked.cited()).isEqualTo(ledger.all());
        String text = checked.text();
        assertThat(Fences.closed(text)).as("every code block is closed").isEqualTo(text);
        int sources = text.lastIndexOf("\n\nSources\n");
        assertThat(sources >= 0).isEqualTo(!ledger.all().isEmpty());
        if (sources >= 0) {
            assertThat(text.substring(sources + "\n\nSources\n".length()))
                    .isEqualTo(String.join("\n", ledger.all().stream().map(Source::line).toList()));
        }
        // as a reader sees it: every bracketed number outside code is a listed source
        String body = sources >= 0 ? text.substring(0, sources) : text;
        for (String outsideCode : outsideCode(body)) {
            Matcher m = CITATION.matcher(outsideCode);
            while (m.find()) {
                for (String number : m.group(1).split(",")) {
                    assertThat(ledger.find(Integer.parseInt(number.strip()))).as(m.group() + " in " + outsideCode)
                            .isPresent();
                }
            }
        }
    }

    /**
     * The parts of a report a reader takes for prose, found without {@link Citations}: lines outside fences the report
     * itself opened (a fence line right after an excerpt header, closed by the next bare fence line), with
     * {@code `spans`} removed.
     */
    private static List<String> outsideCode(String body) {
        List<String> parts = new ArrayList<>();
        boolean inFence = false;
        for (String line : body.split("\n", -1)) {
            if (inFence) {
                inFence = !line.equals("```");
            } else if (line.startsWith("```")) {
                inFence = true;
            } else {
                parts.add(line.replaceAll("`[^`\n]+`", "(code)"));
            }
        }
        return parts;
    }
}
