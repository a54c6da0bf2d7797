package dev.quorum.agent.research;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Checks a report's {@code [n]} citations (also {@code [1, 2]}) against the sources tools returned, marks each one
 * no tool returned as {@code [n (unverified)]}, and renders the Sources section. A bracketed number right after a
 * word ({@code items[0]}), escaped ({@code \[3]}) or followed by {@code (} (a Markdown link) is code, text or a link,
 * not a citation; so is one in
 * code: a {@code `span`} or a closed {@code ```} fence ({@code xs = [1, 2]} in a Python example is a list). A fence
 * that is never closed does not count as code, so that an open fence cannot hide a citation from the check.
 * Stateless.
 */
public final class Citations {

    private static final Pattern CITATION = Pattern.compile("(?<![\\w\\\\])\\[(\\d{1,4}(?:\\s*,\\s*\\d{1,4})*)](?!\\()");
    /** A code span as the console shows one: backticks around text on one line. */
    private static final Pattern SPAN = Pattern.compile("`[^`\n]+`");

    private Citations() {
    }

    public static CheckedReport check(String report, SourceLedger ledger) {
        Set<Integer> cited = new LinkedHashSet<>();
        Set<Integer> unverified = new TreeSet<>();
        Code code = Code.in(report);
        Matcher m = CITATION.matcher(report);
        StringBuilder text = new StringBuilder();
        while (m.find()) {
            if (code.covers(m.start())) {
                m.appendReplacement(text, Matcher.quoteReplacement(m.group()));
                continue;
            }
            List<String> marked = new ArrayList<>();
            for (String part : m.group(1).split(",")) {
                int number = Integer.parseInt(part.strip());
                if (ledger.find(number).isPresent()) {
                    cited.add(number);
                    marked.add(String.valueOf(number));
                } else {
                    unverified.add(number);
                    marked.add(number + " (unverified)");
                }
            }
            m.appendReplacement(text, Matcher.quoteReplacement("[" + String.join(", ", marked) + "]"));
        }
        m.appendTail(text);
        List<Source> citedSources = cited.stream().sorted().map(n -> ledger.find(n).orElseThrow()).toList();
        List<String> sections = new ArrayList<>();
        sections.add(text.toString().strip());
        if (!citedSources.isEmpty()) {
            sections.add("Sources\n" + citedSources.stream().map(Source::line).collect(Collectors.joining("\n")));
        }
        if (!unverified.isEmpty()) {
            boolean one = unverified.size() == 1;
            sections.add("Unverified citations: "
                    + unverified.stream().map(n -> "[" + n + "]").collect(Collectors.joining(", "))
                    + " — no tool returned " + (one ? "a source with that number" : "sources with those numbers")
                    + " in this request.");
        }
        return new CheckedReport(String.join("\n\n", sections), citedSources, List.copyOf(unverified));
    }

    /**
     * {@code quoted} (one line of a document, quoted in a report) with each bracketed number that would read as a
     * citation escaped Markdown's way, {@code [12]} as {@code \[12]}: the document's own footnote is not taken for one
     * of the report's citations. Only backslashes are added, so the line's code spans stay what they were.
     */
    public static String literal(String quoted) {
        Code code = Code.in(quoted);
        Matcher m = CITATION.matcher(quoted);
        StringBuilder text = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(text, Matcher.quoteReplacement(code.covers(m.start()) ? m.group() : "\\" + m.group()));
        }
        return m.appendTail(text).toString();
    }

    /** The character ranges of a text that are code: closed fences, and spans outside them. */
    private record Code(List<int[]> ranges) {

        static Code in(String text) {
            List<int[]> ranges = new ArrayList<>();
            String[] lines = text.split("\n", -1);
            int[] starts = new int[lines.length + 1];
            for (int i = 0; i < lines.length; i++) {
                starts[i + 1] = starts[i] + lines[i].length() + 1;
            }
            for (int i = 0; i < lines.length; i++) {
                int ticks = Fences.opening(lines[i]);
                int close = ticks > 0 ? Fences.closing(lines, i, ticks) : -1;
                if (close > 0) {
                    ranges.add(new int[] {starts[i], starts[close + 1] - 1});
                    i = close;
                    continue;
                }
                Matcher span = SPAN.matcher(lines[i]);
                while (span.find()) {
                    ranges.add(new int[] {starts[i] + span.start(), starts[i] + span.end()});
                }
            }
            return new Code(ranges);
        }

        boolean covers(int index) {
            return ranges.stream().anyMatch(r -> index >= r[0] && index < r[1]);
        }
    }
}
