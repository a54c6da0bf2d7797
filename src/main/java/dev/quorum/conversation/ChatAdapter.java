package dev.quorum.conversation;

import java.util.Optional;

/**
 * One chat platform, seen from the core. Implementations translate the neutral model to the
 * platform and back; they hold no business rules. What members say goes through the shared
 * {@link InboundPipeline}, which dedupes, filters bots and runs the command after the adapter has
 * acknowledged. All methods may block (network calls) and are called from virtual threads;
 * implementations must be safe for concurrent use.
 */
public interface ChatAdapter {
    /** The adapter's name, used as {@link Conversation#adapter()}. */
    String name();

    /** Starts receiving; every delivery from the platform goes to {@code pipeline}. */
    void start(InboundPipeline pipeline) throws Exception;

    void stop();

    /** Posts a reply and returns a handle to edit it later. */
    PostedMessage post(Conversation where, Reply reply);

    /** Replaces a posted message's content. */
    void update(PostedMessage message, Reply reply);

    /**
     * Answers {@code to} privately where the platform allows it (Slack: ephemeral; Discord: an
     * ephemeral reply to the interaction in {@code to.handle()}; console: {@code to}); otherwise
     * posts the reply openly, addressed to the sender, where {@code to} was said.
     */
    void whisper(IncomingMessage to, Reply reply);

    /** Whether the adapter is connected and able to post: {@code UP}, {@code DOWN} or {@code STARTING}. */
    String health();

    /**
     * The member's display name on the platform, when it can tell; asked by the pipeline (which
     * caches it) when a delivery carried no name. Names decide nothing.
     */
    default Optional<String> displayName(Identity who) {
        return Optional.empty();
    }

    /** Shows a member that Quorum has their message (Slack and Discord: a 👀 reaction); may do nothing. */
    default void markTaken(Conversation where, String messageId) {}

    /**
     * The platform's own link to message {@code messageId} in {@code where} (Slack: {@code chat.getPermalink}), when
     * it gives one; empty when it has none or cannot be asked now. May block on the platform, so callers bound their
     * wait; what comes back is the platform's word, untrusted: callers check it before they show it.
     */
    default Optional<String> permalink(Conversation where, String messageId) {
        return Optional.empty();
    }

    /** What one message on this platform can hold; {@link ReplyFitter} fits replies to it. */
    default ReplyFitter.Limits limits() {
        return ReplyFitter.Limits.NONE;
    }
}
