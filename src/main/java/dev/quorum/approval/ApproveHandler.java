package dev.quorum.approval;

import dev.quorum.command.Command;
import dev.quorum.command.CommandContext;
import dev.quorum.command.CommandHandler;

/** {@code approve <id>} (and the card's Approve button). */
public final class ApproveHandler implements CommandHandler<Command.Approve> {
    private final ApprovalService approvals;

    public ApproveHandler(ApprovalService approvals) {
        this.approvals = approvals;
    }

    @Override
    public Class<Command.Approve> handles() {
        return Command.Approve.class;
    }

    @Override
    public void handle(Command.Approve cmd, CommandContext ctx) throws Exception {
        VoteReplies.answer(ctx, cmd.requestId(), "approved", approvals.vote(ctx.message(), cmd.requestId(), true, null));
    }
}
