package dev.quorum.agent.transcript;

import java.time.Instant;
import java.util.Objects;

/**
 * A tool call the model asked for, and what came of it.
 *
 * @param seq        position in the transcript
 * @param at         when the tool started
 * @param tool       tool name as the model sent it (may be a name no tool has)
 * @param arguments  the model's JSON arguments, cut to {@link #MAX_RECORDED_CHARS}
 * @param status     ok, refused (a rule said no, e.g. a path outside the workspace) or failed
 * @param result     what the model was shown, cut to {@link #MAX_RECORDED_CHARS}
 * @param durationMs wall time of the tool
 */
public record ToolCall(
        int seq,
        Instant at,
        String tool,
        String arguments,
        Status status,
        String result,
        long durationMs) implements TranscriptEntry {

    /** Arguments and results are cut to this many characters in the transcript (the model may have seen more). */
    public static final int MAX_RECORDED_CHARS = 2_000;

    public enum Status { OK, REFUSED, FAILED }

    public ToolCall {
        Objects.requireNonNull(status, "status");
        arguments = cut(arguments);
        result = cut(result);
    }

    public boolean refused() {
        return status == Status.REFUSED;
    }

    @Override
    public String kind() {
        return "tool_call";
    }

    private static String cut(String text) {
        if (text == null || text.length() <= MAX_RECORDED_CHARS) {
            return text;
        }
        return text.substring(0, MAX_RECORDED_CHARS) + "… [" + (text.length() - MAX_RECORDED_CHARS) + " more chars]";
    }
}
