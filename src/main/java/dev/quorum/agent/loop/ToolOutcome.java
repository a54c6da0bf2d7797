package dev.quorum.agent.loop;

/** What a tool produced for the model. */
public sealed interface ToolOutcome {

    /** The text the model is shown. */
    String text();

    /** The tool did its job. */
    record Ok(String text) implements ToolOutcome {
    }

    /** A rule refused the call (path outside the workspace, host not allowed, ...); {@code text} says which and why. */
    record Refused(String text) implements ToolOutcome {
    }

    /** The tool tried and failed (file missing, HTTP error, bad arguments); {@code text} says what happened. */
    record Failed(String text) implements ToolOutcome {
    }
}
