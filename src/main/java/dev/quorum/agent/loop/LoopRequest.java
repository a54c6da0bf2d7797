package dev.quorum.agent.loop;

import dev.quorum.agent.Budget;
import dev.quorum.agent.RunContext;
import java.util.List;
import java.util.Objects;

/**
 * One run of the agent loop.
 *
 * @param requestId         Quorum's request id, e.g. {@code R42}, for the transcript and progress
 * @param systemPrompt      the agent's standing instructions
 * @param requesterMessages the requester's task and later messages, the only text sent as instructions; at least one
 * @param tools             what the model may call
 * @param budget            the limits
 * @param context           cancel token, progress and transcript ports
 */
public record LoopRequest(
        String requestId,
        String systemPrompt,
        List<String> requesterMessages,
        Toolbox tools,
        Budget budget,
        RunContext context) {

    public LoopRequest {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(systemPrompt, "systemPrompt");
        requesterMessages = List.copyOf(requesterMessages);
        if (requesterMessages.isEmpty()) {
            throw new IllegalArgumentException("a run needs the requester's task");
        }
        Objects.requireNonNull(tools, "tools");
        Objects.requireNonNull(budget, "budget");
        Objects.requireNonNull(context, "context");
    }
}
