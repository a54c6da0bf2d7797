package dev.quorum.agent.transcript;

import java.time.Instant;
import java.util.Objects;

/**
 * A tool call the model asked for, and what came of it.
 *
 * @param seq        position in the transcript
 * @param at         when the tool started
 * @param tool       tool name as the model sent it (may be a name no tool has)
 * @param arguments  the model's JSON arguments, whole
 * @param status     ok, refused (a rule said no, e.g. a path outside the workspace) or failed
 * @param result     what the model was shown (the loop bounds it)
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

    /**
     * Arguments and results are cut to this many characters in the stored transcript (the model may have seen more),
     * after their secrets are masked: the entry itself keeps them whole, so that a secret across the cut is found.
     */
    public static final int MAX_RECORDED_CHARS = 2_000;

    public enum Status { OK, REFUSED, FAILED }

    public ToolCall {
        Objects.requireNonNull(status, "status");
    }

    public boolean refused() {
        return status == Status.REFUSED;
    }

    @Override
    public String kind() {
        return "tool_call";
    }
}
