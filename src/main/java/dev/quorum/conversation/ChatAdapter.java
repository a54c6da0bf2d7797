package dev.quorum.conversation;

/**
 * One chat platform, seen from the core. Implementations translate the neutral model to the
 * platform and back; they hold no business rules. All methods may block (network calls) and
 * are called from virtual threads; implementations must be safe for concurrent use.
 */
public interface ChatAdapter {
    /** The adapter's name, used as {@link Conversation#adapter()}. */
    String name();

    /** Starts receiving; every message addressed to Quorum goes to {@code inbound}. */
    void start(InboundHandler inbound) throws Exception;

    void stop();

    /** Posts a reply and returns a handle to edit it later. */
    PostedMessage post(Conversation where, Reply reply);

    /** Replaces a posted message's content. */
    void update(PostedMessage message, Reply reply);

    /** Shows a reply only to {@code to}, where the platform allows it; otherwise posts it addressed to them. */
    void whisper(Conversation where, Identity to, Reply reply);

    /** Whether the adapter is connected and able to post: {@code UP}, {@code DOWN} or {@code STARTING}. */
    String health();
}
