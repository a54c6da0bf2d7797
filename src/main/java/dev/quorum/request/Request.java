package dev.quorum.request;

import dev.quorum.conversation.Conversation;
import dev.quorum.conversation.Identity;
import dev.quorum.conversation.PostedMessage;

import java.time.Instant;
import java.util.Objects;

/**
 * One thing a member asked Quorum to do, as stored. Capability data (evidence, votes, subject,
 * transcript) lives beside it under its own keys; the request keeps what every listing needs.
 *
 * @param id        {@code R} followed by a number, unique per installation
 * @param text      the command as typed; parsing it again gives the same command (used by {@code rerun})
 * @param summary   a one-line outcome, once there is one
 * @param reason    why it failed, was cancelled, rejected, expired or went stale
 * @param rerunOf   the request this one repeats, or {@code null}
 * @param progress  the chat message that shows this request's progress, edited in place
 * @param costUsd   model cost so far
 */
public record Request(String id, RequestType type, RequestState state, Identity requester, String requesterName,
                      Conversation origin, String text, Instant createdAt, Instant updatedAt,
                      String summary, String reason, String rerunOf, PostedMessage progress, double costUsd) {
    public Request {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(requester, "requester");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    /** The number in the id, which orders requests by creation. */
    public long number() {
        return RequestIds.number(id);
    }
}
