package dev.quorum.approval;

import dev.quorum.command.Command;
import dev.quorum.command.CommandContext;
import dev.quorum.command.CommandHandler;

/** {@code reject <id> [reason]} (and the card's Reject button). */
public final class RejectHandler implements CommandHandler<Command.Reject> {
    private final ApprovalService approvals;

    public RejectHandler(ApprovalService approvals) {
        this.approvals = approvals;
    }

    @Override
    public Class<Command.Reject> handles() {
        return Command.Reject.class;
    }

    @Override
    public void handle(Command.Reject cmd, CommandContext ctx) throws Exception {
        VoteReplies.answer(ctx, cmd.requestId(), "rejected", approvals.vote(ctx.message(), cmd.requestId(), false, cmd.reason()));
    }
}
