package dev.quorum.command;

/** What the parser made of a message: a command, or a usage problem to answer with. */
public sealed interface ParseResult {
    record Parsed(Command command) implements ParseResult {}

    /** A known command with bad arguments. @param usage the command's right usage */
    record Invalid(String problem, String usage) implements ParseResult {}

    /**
     * Not a command at all (unknown word, quoted text); chatter that was not addressed to Quorum is ignored.
     *
     * @param usage the usage of the command the word is a near-miss of ({@code tset}: {@code test}), or {@code null}
     */
    record NotACommand(String problem, String usage) implements ParseResult {
        public NotACommand(String problem) {
            this(problem, null);
        }
    }
}
