package dev.quorum.command;

import dev.quorum.conversation.Conversation;
import dev.quorum.conversation.Identity;
import dev.quorum.conversation.IncomingMessage;
import dev.quorum.conversation.Messenger;
import dev.quorum.conversation.PostedMessage;
import dev.quorum.conversation.Reply;

import java.util.Optional;

/**
 * One incoming command's message, the way to answer it, and what it opened. Used by one handler
 * on one thread.
 */
public final class CommandContext {
    private final IncomingMessage message;
    private final Messenger messenger;
    private String openedRequest;

    public CommandContext(IncomingMessage message, Messenger messenger) {
        this.message = message;
        this.messenger = messenger;
    }

    public IncomingMessage message() {
        return message;
    }

    public Identity sender() {
        return message.sender();
    }

    public Conversation where() {
        return message.where();
    }

    /** Answers where the command was said (in its thread), for everyone to see. */
    public PostedMessage reply(Reply reply) {
        return messenger.post(message.where(), reply);
    }

    /** Answers only the sender (ephemeral where the platform allows). */
    public void whisper(Reply reply) {
        messenger.whisper(message, reply);
    }

    /** Handlers call this when the command created a request, so that APIs can return its id. */
    public void opened(String requestId) {
        this.openedRequest = requestId;
    }

    public Optional<String> openedRequest() {
        return Optional.ofNullable(openedRequest);
    }
}
