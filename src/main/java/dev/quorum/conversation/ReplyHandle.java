package dev.quorum.conversation;

/**
 * Where a private answer to one incoming message may go, opaque to the core: each adapter puts
 * its own (package-private) implementation on the messages it delivers and reads it back in
 * {@link ChatAdapter#whisper}, e.g. the interaction id and token Discord needs for an ephemeral
 * reply. Adapters that can whisper at any time (Slack, the console) leave it {@code null}.
 */
public interface ReplyHandle {}
