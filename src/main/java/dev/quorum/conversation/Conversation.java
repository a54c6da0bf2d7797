package dev.quorum.conversation;

import java.util.Objects;

/**
 * Where a message lives and where its replies go: an adapter, a channel in it and optionally a
 * thread. Adapters choose the thread so that replies land where a member expects them (in
 * Slack, the thread of the message that asked).
 *
 * @param adapter the adapter's name, e.g. {@code console} or {@code slack}
 * @param channel the channel (or DM) id on that platform
 * @param thread  the thread id, or {@code null} for the channel itself
 */
public record Conversation(String adapter, String channel, String thread) {
    public Conversation {
        Objects.requireNonNull(adapter, "adapter");
        Objects.requireNonNull(channel, "channel");
    }

    /** Same channel, another thread. */
    public Conversation inThread(String threadId) {
        return new Conversation(adapter, channel, threadId);
    }

    /** True when both are the same channel of the same adapter, whatever the thread. */
    public boolean sameChannel(Conversation other) {
        return adapter.equals(other.adapter) && channel.equals(other.channel);
    }
}
