package dev.quorum.command.handlers;

import dev.quorum.audit.AuditLog;
import dev.quorum.conversation.Reply;
import dev.quorum.command.Command;
import dev.quorum.command.CommandContext;
import dev.quorum.command.CommandHandler;
import dev.quorum.command.Oncall;
import dev.quorum.request.FreezeSwitch;

import java.util.function.Consumer;

/** {@code unfreeze}: on-call lifts the freeze; approved actions still valid go ahead. */
public final class UnfreezeHandler implements CommandHandler<Command.Unfreeze> {
    private final FreezeSwitch freeze;
    private final Oncall oncall;
    private final AuditLog audit;
    private final Consumer<String> afterUnfreeze;

    /** @param afterUnfreeze resumes what waited for the freeze to end; given the actor */
    public UnfreezeHandler(FreezeSwitch freeze, Oncall oncall, AuditLog audit, Consumer<String> afterUnfreeze) {
        this.freeze = freeze;
        this.oncall = oncall;
        this.audit = audit;
        this.afterUnfreeze = afterUnfreeze;
    }

    @Override
    public Class<Command.Unfreeze> handles() {
        return Command.Unfreeze.class;
    }

    @Override
    public void handle(Command.Unfreeze cmd, CommandContext ctx) {
        if (!oncall.includes(ctx.message())) {
            ctx.whisper(Reply.error("Only on-call (group `" + oncall.group() + "`) can unfreeze."));
            return;
        }
        if (!freeze.unfreeze()) {
            ctx.reply(Reply.text("Nothing is frozen."));
            return;
        }
        audit.append("unfreeze", ctx.sender().toString(), null, AuditLog.details());
        ctx.reply(Reply.text("Unfrozen by " + ctx.message().displayName()
                + ". Approved actions that are still valid execute now.").withTone(Reply.Tone.SUCCESS));
        afterUnfreeze.accept(ctx.sender().toString());
    }
}
