package dev.quorum.command.handlers;

import dev.quorum.conversation.Reply;
import dev.quorum.command.Command;
import dev.quorum.command.CommandContext;
import dev.quorum.command.CommandHandler;
import dev.quorum.command.NotFound;
import dev.quorum.command.Rerunner;
import dev.quorum.request.Request;
import dev.quorum.request.RequestType;
import dev.quorum.request.Requests;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/** {@code rerun <id>}: the same research, code or test request again, linked to the first. */
public final class RerunHandler implements CommandHandler<Command.Rerun> {
    private final Requests requests;
    private final Map<RequestType, Rerunner> rerunners;

    public RerunHandler(Requests requests, Map<RequestType, Rerunner> rerunners) {
        this.requests = requests;
        this.rerunners = rerunners.isEmpty() ? Map.of() : new EnumMap<>(rerunners);
    }

    @Override
    public Class<Command.Rerun> handles() {
        return Command.Rerun.class;
    }

    @Override
    public void handle(Command.Rerun cmd, CommandContext ctx) {
        Optional<Request> found = requests.find(cmd.requestId());
        if (found.isEmpty()) {
            ctx.reply(Reply.error(NotFound.request(requests, cmd.requestId())));
            return;
        }
        Request original = found.get();
        if (original.type().isAction()) {
            ctx.reply(Reply.error(original.id() + " is a " + original.type().wire()
                    + "; propose it again instead (`" + original.text().replace("`", "'") + "`)."));
            return;
        }
        Rerunner rerunner = rerunners.get(original.type());
        if (rerunner == null) {
            ctx.reply(Reply.error("Rerunning " + original.type().wire() + " requests is not available in this Quorum."));
            return;
        }
        Request again = rerunner.rerun(original, ctx.message());
        ctx.opened(again.id());
    }
}
