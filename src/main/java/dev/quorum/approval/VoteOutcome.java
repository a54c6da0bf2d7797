package dev.quorum.approval;

/** What became of a vote: one reply always follows, to the voter or to everyone. */
public sealed interface VoteOutcome {
    /** The vote counts; {@code tally} says where things stand. */
    record Counted(Tally tally) implements VoteOutcome {}

    /** Quorum reached: the action executes now (exactly once, by the instance that queued it). */
    record QuorumReached(Tally tally) implements VoteOutcome {}

    /** Quorum reached during a freeze: the action waits for {@code unfreeze}. */
    record WaitsForUnfreeze(Tally tally) implements VoteOutcome {}

    /** A veto ended the request. */
    record Rejected(String by, String reason) implements VoteOutcome {}

    /** The vote changed nothing; {@code why} is said to the voter. */
    record Refused(String why) implements VoteOutcome {}
}
