package dev.quorum.command;

import dev.quorum.conversation.Reply;
import dev.quorum.request.Request;

import java.util.List;

/**
 * A capability's part of {@code status <id>}: evidence adds its line, approvals the tally. Called
 * on a virtual thread; may read Redis.
 */
@FunctionalInterface
public interface RequestDetails {
    List<Reply.Field> fieldsFor(Request request);
}
