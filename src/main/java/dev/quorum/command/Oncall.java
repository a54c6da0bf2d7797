package dev.quorum.command;

import dev.quorum.conversation.Identity;
import dev.quorum.config.Directory;
import dev.quorum.config.QuorumConfig;

/** Who is on-call: members of {@code oncall_group}, who may freeze and cancel anything. */
public record Oncall(Directory directory, String group) {
    public static Oncall of(Directory directory, QuorumConfig config) {
        return new Oncall(directory, config.oncallGroup());
    }

    public boolean includes(Identity who) {
        return directory.isMember(who, group);
    }
}
