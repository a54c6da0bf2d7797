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
 * word ({@code items[0]}) or followed by {@code (} (a Markdown link) is code or a link, not a citation. Stateless.
 */
public final class Citations {

    private static final Pattern CITATION = Pattern.compile("(?<!\\w)\\[(\\d{1,4}(?:\\s*,\\s*\\d{1,4})*)](?!\\()");

    private Citations() {
    }

    public static CheckedReport check(String report, SourceLedger ledger) {
        Set<Integer> cited = new LinkedHashSet<>();
        Set<Integer> unverified = new TreeSet<>();
        Matcher m = CITATION.matcher(report);
        StringBuilder text = new StringBuilder();
        while (m.find()) {
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
}
