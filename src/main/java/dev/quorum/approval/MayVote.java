package dev.quorum.approval;

/**
 * Whether one person may vote on an action request now, by {@link ApprovalService}'s own rules, so
 * that a page never re-implements them.
 *
 * @param mayVote   an approval from them would count
 * @param mayReject a reject from them would count (authors may reject what they may not approve)
 * @param why       why they may not approve, in the words a refused vote gets; {@code null} when they may
 */
public record MayVote(boolean mayVote, boolean mayReject, String why) {
    static final MayVote YES = new MayVote(true, true, null);

    static MayVote no(String why) {
        return new MayVote(false, false, why);
    }
}
