package dev.quorum.command.handlers;

import dev.quorum.audit.AuditLog;
import dev.quorum.conversation.Reply;
import dev.quorum.command.Command;
import dev.quorum.command.CommandContext;
import dev.quorum.command.CommandHandler;
import dev.quorum.command.Oncall;
import dev.quorum.request.FreezeSwitch;

import java.time.Clock;

/** {@code freeze [reason]}: on-call stops every agent start, merge and deploy. */
public final class FreezeHandler implements CommandHandler<Command.Freeze> {
    private final FreezeSwitch freeze;
    private final Oncall oncall;
    private final AuditLog audit;
    private final Clock clock;

    public FreezeHandler(FreezeSwitch freeze, Oncall oncall, AuditLog audit, Clock clock) {
        this.freeze = freeze;
        this.oncall = oncall;
        this.audit = audit;
        this.clock = clock;
    }

    @Override
    public Class<Command.Freeze> handles() {
        return Command.Freeze.class;
    }

    @Override
    public void handle(Command.Freeze cmd, CommandContext ctx) {
        if (!oncall.includes(ctx.message())) {
            ctx.whisper(Reply.error("Only on-call (group `" + oncall.group() + "`) can freeze."));
            return;
        }
        if (!freeze.freeze(ctx.sender(), cmd.reason(), clock.instant())) {
            ctx.reply(Reply.text("Already frozen; `status` says by whom and why."));
            return;
        }
        audit.append("freeze", ctx.sender().toString(), null, AuditLog.details("reason", cmd.reason() == null ? "" : cmd.reason()));
        ctx.reply(Reply.text("FROZEN by " + ctx.message().displayName() + (cmd.reason() == null ? "" : ": " + cmd.reason())
                + ". No agent starts and nothing merges or deploys until on-call says `unfreeze`.").withTone(Reply.Tone.WARNING));
    }
}
