package dev.quorum.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fault-injection table as Markdown, printed to stdout and kept in {@code target/fault-injection.md}. Each suite
 * owns one section of the file, so that suites running in any order (or in separate JVMs of one build) add their rows
 * without overwriting another's.
 */
public final class ScenarioTable {
    /** Where {@code mvn verify} leaves the table. */
    public static final Path FILE = Path.of("target", "fault-injection.md");

    private ScenarioTable() {}

    /** The rows as a Markdown table under a heading naming the suite. */
    public static String markdown(String suite, List<Scenario> rows) {
        StringBuilder b = new StringBuilder("## ").append(suite).append("\n\n")
                .append("| scenario | killed at | outcome | final states | executed | audit ok | time |\n")
                .append("|---|---|---|---|---|---|---:|\n");
        for (Scenario s : rows) {
            b.append("| ").append(cell(s.name())).append(" | ").append(cell(s.killedAt())).append(" | ").append(cell(s.outcome()))
                    .append(" | ").append(cell(s.finalStates())).append(" | ").append(cell(s.executed())).append(" | ")
                    .append(s.auditOk() ? "yes" : "NO").append(" | ")
                    .append(String.format("%.1f s", s.time().toMillis() / 1000.0)).append(" |\n");
        }
        return b.toString();
    }

    /** Prints the suite's table and puts it in {@link #FILE} in place of the suite's earlier section, if any. */
    public static synchronized void publish(String suite, List<Scenario> rows) {
        String section = markdown(suite, rows);
        System.out.println("\n" + section);
        try {
            String old = Files.exists(FILE) ? Files.readString(FILE) : "# Fault injection\n\n";
            Matcher earlier = Pattern.compile("(?ms)^## " + Pattern.quote(suite) + "\n.*?(?=^## |\\z)").matcher(old);
            String updated = earlier.find() ? old.substring(0, earlier.start()) + section + "\n" + old.substring(earlier.end())
                    : old + section + "\n";
            Files.createDirectories(FILE.getParent());
            Files.writeString(FILE, updated);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A table cell: a pipe or a line break in a reason must not break the table. */
    private static String cell(String s) {
        return s == null ? "" : s.replace("|", "\\|").replaceAll("\\s*\\R\\s*", " ");
    }
}
