package dev.quorum.command;

import dev.quorum.conversation.IncomingMessage;
import dev.quorum.config.Directory;
import dev.quorum.config.QuorumConfig;

/** Who is on-call: members of {@code oncall_group}, who may freeze and cancel anything. */
public record Oncall(Directory directory, String group) {
    public static Oncall of(Directory directory, QuorumConfig config) {
        return new Oncall(directory, config.oncallGroup());
    }

    /** The sender of {@code message} is on-call, as a person or through a platform role they hold. */
    public boolean includes(IncomingMessage message) {
        return directory.isMember(message.sender(), message.roles(), group);
    }
}
