package dev.quorum.conversation;

import java.util.Optional;

/**
 * What the {@link InboundPipeline} hands each message to once it has passed the gate (not a bot,
 * not seen before, Quorum's business). Runs on the caller's thread, which the pipeline owns.
 */
@FunctionalInterface
public interface InboundHandler {
    /** @return the id of the request the message's command opened, if any */
    Optional<String> handle(IncomingMessage message);

    /**
     * The message arrived while Redis is out of reach: nothing may be recorded or run, only said.
     * Thread chatter that is no command stays unanswered, as it would with the store up.
     */
    default void storeUnreachable(IncomingMessage message) {}
}
