package dev.quorum.approval;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One person's vote on one subject.
 *
 * @param voter    the identity that voted
 * @param name     their display name, for cards
 * @param vote     {@code approve} or {@code reject}
 * @param at       when
 * @param groups   their groups when they voted (group minimums count these)
 * @param reason   a reject's reason, or {@code null}
 * @param subject  the subject digest the vote is bound to
 */
public record Vote(String voter, String name, String vote, Instant at, List<String> groups, String reason, String subject) {
    public Vote {
        Objects.requireNonNull(voter, "voter");
        Objects.requireNonNull(vote, "vote");
        Objects.requireNonNull(at, "at");
        groups = List.copyOf(groups);
    }

    public boolean approves() {
        return "approve".equals(vote);
    }
}
