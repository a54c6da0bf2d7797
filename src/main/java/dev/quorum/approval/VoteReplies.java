package dev.quorum.approval;

import dev.quorum.conversation.Reply;
import dev.quorum.command.CommandContext;

/** Every vote gets an answer: counted (where it stands, by whom) for everyone; refused (why) to the voter only. */
final class VoteReplies {
    private VoteReplies() {}

    static void answer(CommandContext ctx, String requestId, String verb, VoteOutcome outcome) {
        String who = ctx.message().displayName();
        switch (outcome) {
            case VoteOutcome.Counted c -> ctx.reply(Reply.text(who + " " + verb + " " + requestId + ": " + c.tally().line() + ".").about(requestId));
            case VoteOutcome.QuorumReached q -> ctx.reply(Reply.text(who + " " + verb + " " + requestId + ": quorum reached ("
                    + String.join(", ", q.tally().approvers()) + "). Executing now.").withTone(Reply.Tone.SUCCESS).about(requestId));
            case VoteOutcome.WaitsForUnfreeze w -> ctx.reply(Reply.text(who + " " + verb + " " + requestId + ": quorum reached ("
                    + String.join(", ", w.tally().approvers()) + "), but Quorum is frozen: " + requestId
                    + " executes on unfreeze if it is still valid.").withTone(Reply.Tone.WARNING).about(requestId));
            case VoteOutcome.Rejected r -> ctx.reply(Reply.text(r.by() + " rejected " + requestId + (r.reason() == null ? "" : ": " + r.reason())
                    + ". It is closed (veto); nothing was changed.").withTone(Reply.Tone.WARNING).about(requestId));
            case VoteOutcome.Refused r -> ctx.whisper(Reply.error(r.why()).about(requestId));
        }
    }
}
