package dev.quorum.agent;

import java.util.List;
import java.util.Objects;

/**
 * A {@code code [in <repo>] <task>} request.
 *
 * @param requestId Quorum's id, e.g. {@code R42}
 * @param requester the requester's identity
 * @param task      what to do, as the requester wrote it
 * @param followUps later messages from the same requester only, oldest first
 */
public record CodingTask(String requestId, String requester, String task, List<String> followUps) {

    public CodingTask {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(requester, "requester");
        if (task == null || task.isBlank()) {
            throw new IllegalArgumentException("a coding request needs a task");
        }
        followUps = List.copyOf(followUps);
    }

    public static CodingTask of(String requestId, String requester, String task) {
        return new CodingTask(requestId, requester, task, List.of());
    }
}
