package dev.quorum.conversation;

/**
 * Receives messages from adapters. Implementations return quickly (adapters must acknowledge
 * platforms within seconds) and do the work elsewhere.
 */
@FunctionalInterface
public interface InboundHandler {
    void accept(IncomingMessage message);
}
