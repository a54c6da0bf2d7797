package dev.quorum.conversation;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The core's one way to talk: routes each reply to the adapter named by its conversation.
 * Thread-safe; calls block while the adapter talks to its platform (call from virtual threads).
 */
public final class Messenger {
    private final Map<String, ChatAdapter> adapters = new ConcurrentHashMap<>();

    public void register(ChatAdapter adapter) {
        adapters.put(adapter.name(), adapter);
    }

    public List<ChatAdapter> adapters() {
        return List.copyOf(adapters.values());
    }

    public PostedMessage post(Conversation where, Reply reply) {
        return adapter(where).post(where, reply);
    }

    public void update(PostedMessage message, Reply reply) {
        adapter(message.where()).update(message, reply);
    }

    /** Answers one message privately where its platform allows it (see {@link ChatAdapter#whisper}). */
    public void whisper(IncomingMessage to, Reply reply) {
        adapter(to.where()).whisper(to, reply);
    }

    /** The platform's link to a message (see {@link ChatAdapter#permalink}); empty when its adapter is not running. */
    public Optional<String> permalink(Conversation where, String messageId) {
        ChatAdapter a = adapters.get(where.adapter());
        return a == null ? Optional.empty() : a.permalink(where, messageId);
    }

    /** What one message holds where {@code where} is; no limits when its adapter is not running (nothing is posted there). */
    public ReplyFitter.Limits limits(Conversation where) {
        ChatAdapter a = adapters.get(where.adapter());
        return a == null ? ReplyFitter.Limits.NONE : a.limits();
    }

    private ChatAdapter adapter(Conversation where) {
        return adapter(where.adapter());
    }

    ChatAdapter adapter(String name) {
        ChatAdapter a = adapters.get(name);
        if (a == null) throw new IllegalStateException("no chat adapter '" + name + "' is running");
        return a;
    }
}
