package dev.quorum.agent;

import java.util.List;
import java.util.Objects;

/**
 * A {@code research <question>} request.
 *
 * @param requestId Quorum's id, e.g. {@code R42}
 * @param requester the requester's identity, e.g. {@code slack:U024BE7LH}
 * @param question  the question, as the requester wrote it
 * @param followUps later messages from the same requester in the request's thread, oldest first; messages from
 *                  anyone else must not be passed here (they would reach the model as instructions)
 */
public record ResearchTask(String requestId, String requester, String question, List<String> followUps) {

    public ResearchTask {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(requester, "requester");
        if (question == null || question.isBlank()) {
            throw new IllegalArgumentException("a research request needs a question");
        }
        followUps = List.copyOf(followUps);
    }

    public static ResearchTask of(String requestId, String requester, String question) {
        return new ResearchTask(requestId, requester, question, List.of());
    }
}
