package dev.quorum.approval;

import dev.quorum.conversation.Identity;
import dev.quorum.conversation.PostedMessage;

import java.time.Instant;
import java.util.List;

/**
 * What an action request carries once it is open for votes.
 *
 * @param subject       what votes approve
 * @param policy        the rule that applies
 * @param authors       who may not approve: the requester and whoever asked for the work
 * @param diffSummary   the change, e.g. {@code 3 files changed, +25 −3}
 * @param expiresAt     when the window closes
 * @param card          the approval card in chat, edited in place with the tally
 * @param quorumReached when quorum was reached (it may wait for a freeze to end), or {@code null}
 * @param votesVoid     the subject moved: votes no longer count
 */
public record ActionRecord(Subject subject, AppliedPolicy policy, List<Identity> authors, String diffSummary,
                           Instant expiresAt, PostedMessage card, Instant quorumReached, boolean votesVoid) {
    public ActionRecord {
        authors = List.copyOf(authors);
    }
}
