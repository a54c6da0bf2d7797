package dev.quorum.conversation;

import java.util.Objects;

/**
 * A message Quorum posted, so that it can be edited in place later (progress, live tallies),
 * possibly by another Quorum instance: it is plain data and is stored with the request.
 */
public record PostedMessage(Conversation where, String messageId) {
    public PostedMessage {
        Objects.requireNonNull(where, "where");
        Objects.requireNonNull(messageId, "messageId");
    }
}
