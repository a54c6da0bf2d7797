package dev.quorum.agent.transcript;

import java.time.Instant;

/** One line of a run's transcript. {@link #seq()} orders entries within the run, from 1. */
public sealed interface TranscriptEntry permits ModelCall, ModelCallFailure, ToolCall {

    int seq();

    Instant at();

    /** "model_call", "model_call_failure" or "tool_call": a stable tag for storage and the console. */
    String kind();
}
