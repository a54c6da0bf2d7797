package dev.quorum.command.handlers;

import dev.quorum.conversation.Identity;
import dev.quorum.conversation.Links;
import dev.quorum.conversation.Reply;
import dev.quorum.command.Command;
import dev.quorum.command.CommandContext;
import dev.quorum.command.CommandHandler;
import dev.quorum.command.RequestLines;
import dev.quorum.config.Directory;
import dev.quorum.config.QuorumConfig;
import dev.quorum.request.Request;
import dev.quorum.request.RequestPage;
import dev.quorum.request.RequestQuery;
import dev.quorum.request.Requests;

import java.time.Instant;
import java.util.List;

/** {@code history [mine | @someone] [last <n>]}: what happened, newest first. */
public final class HistoryHandler implements CommandHandler<Command.History> {
    private final Requests requests;
    private final QuorumConfig config;
    private final Links links;
    private final Directory directory;

    public HistoryHandler(Requests requests, QuorumConfig config, Links links, Directory directory) {
        this.requests = requests;
        this.config = config;
        this.links = links;
        this.directory = directory;
    }

    @Override
    public Class<Command.History> handles() {
        return Command.History.class;
    }

    @Override
    public void handle(Command.History cmd, CommandContext ctx) {
        Identity who = null;
        String name = null;
        if (cmd.mine()) {
            who = ctx.sender();
            name = directory.nameOf(who, ctx.message().displayName());
        } else if (cmd.who() != null) {
            who = resolve(cmd.who(), ctx.sender());
            if (who == null) {
                ctx.reply(Reply.error("I don't know who `@" + cmd.who().replace("`", "'") + "` is. Use their chat handle, such as `@bob`."));
                return;
            }
            name = directory.nameOf(who, cmd.who());
        }
        RequestPage page = requests.store().list(RequestQuery.latest(cmd.last()).by(who == null ? null : directory.identitiesOf(who)));
        Instant now = requests.clock().instant();
        List<Request> rs = page.requests();
        if (rs.isEmpty()) {
            ctx.reply(Reply.text(who == null ? "Nothing has happened yet." : "No requests from " + name + " yet."));
            return;
        }
        StringBuilder sb = new StringBuilder(who == null ? "Latest requests:" : "Latest requests from " + name + ":");
        for (Request r : rs) sb.append("\n").append(RequestLines.oneLine(r, now));
        ctx.reply(Reply.text(sb.toString()).withLink(new Reply.Link("Full history in the console", links.base() + "/#/history")));
    }

    /** {@code @bob} means bob on the sender's platform, or the person bob; {@code @slack:U1} is exact. */
    private Identity resolve(String who, Identity sender) {
        try {
            if (who.contains(":")) return Identity.parse(who);
            List<String> linked = config.people().get(who);
            if (linked != null) {
                for (String id : linked) if (id.startsWith(sender.platform() + ":")) return Identity.parse(id);
                if (!linked.isEmpty()) return Identity.parse(linked.getFirst());
            }
            return new Identity(sender.platform(), who);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
