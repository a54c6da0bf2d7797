package dev.quorum.web;

import dev.quorum.command.CommandCatalog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The README's "A tour of the console", read as the test walks it: numbered steps, and in each,
 * in the order they are written, what a member does and what Quorum answers.
 *
 * <ul>
 *   <li>a {@code `command`} (a backticked span whose first word is a Quorum command, optionally
 *       followed by the request id it gets, {@code `test` (R1)}) is typed into the message box;</li>
 *   <li>a <b>**name**</b> is a demo user to switch to or a card button to click;</li>
 *   <li>a “quote” is text Quorum's answer contains, as the page shows it.</li>
 * </ul>
 * Other backticked spans ({@code `main`}, file names) are prose.
 */
record ReadmeTour(List<Step> steps) {
    private static final String HEADING = "## A tour of the console";
    private static final Pattern STEP = Pattern.compile("^(\\d+)\\. (.*)$");
    private static final Pattern TOKEN = Pattern.compile("“([^”]+)”|\\*\\*([^*]+)\\*\\*|`([^`]+)`(?:\\s+\\((R\\d+)\\))?");

    enum Kind { COMMAND, NAME, QUOTE }

    /** One thing a step says; {@code requestId} only for a command that opens a request. */
    record Token(Kind kind, String text, String requestId) {
        @Override
        public String toString() {
            return kind + " " + text + (requestId == null ? "" : " (" + requestId + ")");
        }
    }

    record Step(int number, String text, List<Token> tokens) {}

    static ReadmeTour read(Path readme) throws IOException {
        List<String> lines = Files.readAllLines(readme);
        int start = lines.indexOf(HEADING);
        if (start < 0) throw new IllegalStateException(readme + " has no section '" + HEADING + "'");
        List<Step> steps = new ArrayList<>();
        StringBuilder current = null;
        int number = 0;
        for (String line : lines.subList(start + 1, lines.size())) {
            if (line.startsWith("## ")) break;
            Matcher m = STEP.matcher(line);
            if (m.matches()) {
                if (current != null) steps.add(step(number, current.toString()));
                number = Integer.parseInt(m.group(1));
                current = new StringBuilder(m.group(2));
            } else if (current != null && line.startsWith("   ") && !line.isBlank()) {
                current.append(' ').append(line.strip()); // a step's continuation line
            } else if (current != null) {
                steps.add(step(number, current.toString()));
                current = null;
            }
        }
        if (current != null) steps.add(step(number, current.toString()));
        return new ReadmeTour(List.copyOf(steps));
    }

    Step step(int number) {
        return steps.stream().filter(s -> s.number() == number).findFirst()
                .orElseThrow(() -> new IllegalStateException("the README's tour has no step " + number));
    }

    private static Step step(int number, String text) {
        List<Token> tokens = new ArrayList<>();
        Matcher m = TOKEN.matcher(text);
        while (m.find()) {
            if (m.group(1) != null) tokens.add(new Token(Kind.QUOTE, m.group(1), null));
            else if (m.group(2) != null) tokens.add(new Token(Kind.NAME, m.group(2), null));
            else if (isCommand(m.group(3))) tokens.add(new Token(Kind.COMMAND, m.group(3), m.group(4)));
        }
        return new Step(number, text, List.copyOf(tokens));
    }

    private static boolean isCommand(String span) {
        return CommandCatalog.find(span.split(" ", 2)[0]).isPresent();
    }
}
