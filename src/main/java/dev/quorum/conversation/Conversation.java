package dev.quorum.conversation;

import java.util.Objects;

/**
 * Where a message lives and where its replies go: an adapter, a channel in it and optionally a
 * thread. Adapters choose the thread so that replies land where a member expects them (in
 * Slack, the thread of the message that asked).
 *
 * @param adapter        the adapter's name, e.g. {@code console} or {@code slack}
 * @param channel        the channel (or DM) id on that platform
 * @param thread         the thread id, or {@code null} for the channel itself
 * @param showsEveryCard the conversation shows every request's card to the whole team (the
 *                       console's room does), so a vote said here counts for any request; it is
 *                       not stored with requests (a stored conversation reads as {@code false})
 */
public record Conversation(String adapter, String channel, String thread, boolean showsEveryCard) {
    public Conversation {
        Objects.requireNonNull(adapter, "adapter");
        Objects.requireNonNull(channel, "channel");
    }

    public Conversation(String adapter, String channel, String thread) {
        this(adapter, channel, thread, false);
    }

    /** The adapter name of pull request conversations (their comments): {@link #pullRequest}. */
    public static final String PULL_REQUEST_ADAPTER = "github";

    /**
     * Pull request {@code number} of Quorum repo {@code repo} as a conversation: its comments are
     * said there, and a merge of that pull request counts votes said there (it is where the team
     * reviews the change).
     */
    public static Conversation pullRequest(String repo, int number) {
        return new Conversation(PULL_REQUEST_ADAPTER, repo + "#" + number, null);
    }

    /** Same channel, another thread. */
    public Conversation inThread(String threadId) {
        return new Conversation(adapter, channel, threadId, showsEveryCard);
    }

    /** True when both are the same channel of the same adapter, whatever the thread. */
    public boolean sameChannel(Conversation other) {
        return adapter.equals(other.adapter) && channel.equals(other.channel);
    }

    /**
     * Whether a vote said here counts for a request that was proposed in {@code origin}: votes count
     * only where the team sees the card (SPEC §5), which is the request's own channel, or a
     * conversation that shows every card.
     */
    public boolean votesHereCountFor(Conversation origin) {
        return showsEveryCard || sameChannel(origin);
    }
}
