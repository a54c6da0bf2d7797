package dev.quorum.action;

/** How an execution ended. */
public sealed interface Execution {
    /** It did what was approved. @param output what it printed or answered (redacted); may be empty */
    record Done(String summary, String output) implements Execution {}

    /** It tried and failed. */
    record Failed(String summary, String output) implements Execution {}

    /** The target moved under it: nothing was changed, and the request goes stale. */
    record Stale(String why) implements Execution {}
}
