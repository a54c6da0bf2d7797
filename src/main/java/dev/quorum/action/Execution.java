package dev.quorum.action;

/** How an execution ended. */
public sealed interface Execution {
    /**
     * It did what was approved.
     *
     * @param output what it printed or answered (redacted); may be empty
     * @param loud   it landed, but not exactly as tested (a merge API's result with another tree): said as a warning
     * @param note   for the audit entry only, empty if none: how it was found done (an interrupted attempt had landed)
     */
    record Done(String summary, String output, boolean loud, String note) implements Execution {
        public Done(String summary, String output) {
            this(summary, output, false);
        }

        public Done(String summary, String output, boolean loud) {
            this(summary, output, loud, "");
        }

        /** The same outcome, with {@code note} for the audit. */
        public Done withNote(String note) {
            return new Done(summary, output, loud, note);
        }
    }

    /** It tried and failed. */
    record Failed(String summary, String output) implements Execution {}

    /** The target moved under it: nothing was changed, and the request goes stale. */
    record Stale(String why) implements Execution {}
}
