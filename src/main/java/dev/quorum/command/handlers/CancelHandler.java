package dev.quorum.command.handlers;

import dev.quorum.conversation.Reply;
import dev.quorum.command.Command;
import dev.quorum.command.CommandContext;
import dev.quorum.command.CommandHandler;
import dev.quorum.command.NotFound;
import dev.quorum.command.Oncall;
import dev.quorum.command.RequestLines;
import dev.quorum.config.Directory;
import dev.quorum.request.CancelBoard;
import dev.quorum.request.Request;
import dev.quorum.request.RequestState;
import dev.quorum.request.Requests;

import java.util.Optional;

/**
 * {@code cancel <id>}: the requester or on-call stops a request. Waiting requests end at once;
 * running ones are signalled and end as soon as their worker stops (work so far is kept).
 */
public final class CancelHandler implements CommandHandler<Command.Cancel> {
    private final Requests requests;
    private final CancelBoard cancels;
    private final Directory directory;
    private final Oncall oncall;

    public CancelHandler(Requests requests, CancelBoard cancels, Directory directory, Oncall oncall) {
        this.requests = requests;
        this.cancels = cancels;
        this.directory = directory;
        this.oncall = oncall;
    }

    @Override
    public Class<Command.Cancel> handles() {
        return Command.Cancel.class;
    }

    @Override
    public void handle(Command.Cancel cmd, CommandContext ctx) {
        Optional<Request> found = requests.find(cmd.requestId());
        if (found.isEmpty()) {
            ctx.reply(Reply.error(NotFound.request(requests, cmd.requestId())));
            return;
        }
        Request r = found.get();
        if (!directory.samePerson(r.requester(), ctx.sender()) && !oncall.includes(ctx.message())) {
            ctx.whisper(Reply.error("Only " + directory.nameOf(r.requester(), r.requesterName()) + " (who asked) or on-call can cancel " + r.id() + "."));
            return;
        }
        String reason = "cancelled by " + ctx.message().displayName();
        for (int attempt = 0; attempt < 3; attempt++) {
            switch (r.state()) {
                case QUEUED, AWAITING_APPROVAL -> {
                    Optional<Request> moved = requests.move(r, RequestState.CANCELLED, ctx.sender().toString(), reason);
                    if (moved.isPresent()) {
                        cancels.request(r.id(), reason); // a worker that just picked it up stops too
                        ctx.reply(Reply.text(r.id() + " is cancelled.").withTone(Reply.Tone.WARNING).about(r.id()));
                        return;
                    }
                }
                case RUNNING, VERIFYING -> {
                    cancels.request(r.id(), reason);
                    ctx.reply(Reply.text("Cancelling " + r.id() + "; it stops at its next step and keeps the work done so far.")
                            .withTone(Reply.Tone.WARNING).about(r.id()));
                    return;
                }
                case EXECUTING -> {
                    ctx.reply(Reply.error(r.id() + " is executing and can no longer be cancelled."));
                    return;
                }
                default -> {
                    ctx.reply(Reply.text(r.id() + " has already ended (" + RequestLines.state(r.state()) + "); there is nothing to cancel."));
                    return;
                }
            }
            r = requests.find(r.id()).orElseThrow(); // it moved meanwhile: decide again
        }
        ctx.reply(Reply.error(r.id() + " keeps changing state; try again in a moment."));
    }
}
