package dev.quorum.chat.discord;

import dev.quorum.conversation.ReplyHandle;

/**
 * Where a private answer to an interaction goes: Discord lets its application answer an interaction
 * (ephemerally too) through its token, from any instance, for 15 minutes. The token is a secret:
 * never in a log line or an error text.
 */
record InteractionReply(String applicationId, String interactionId, String token) implements ReplyHandle {
    @Override
    public String toString() {
        return "InteractionReply[" + interactionId + "]";
    }
}
