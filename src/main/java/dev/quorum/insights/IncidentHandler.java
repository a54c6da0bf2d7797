package dev.quorum.insights;

import dev.quorum.audit.AuditLog;
import dev.quorum.command.Command;
import dev.quorum.command.CommandContext;
import dev.quorum.command.CommandHandler;
import dev.quorum.command.Oncall;
import dev.quorum.conversation.Reply;
import dev.quorum.request.Request;
import dev.quorum.request.RequestStore;
import dev.quorum.store.Redis;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * {@code incident <deploy id> <text>}: on-call marks a finished deploy as having failed, for the change failure rate;
 * the next successful deploy of that environment restores it (time to restore). Audited; answered in the channel.
 */
public final class IncidentHandler implements CommandHandler<Command.Incident> {
    /** The most of the text kept and audited: an incident's one line, not its post-mortem. */
    static final int MAX_TEXT = 500;
    private final Incidents incidents;
    private final RequestStore requests;
    private final Oncall oncall;
    private final AuditLog audit;
    private final Clock clock;

    public IncidentHandler(Redis redis, RequestStore requests, Oncall oncall, AuditLog audit, Clock clock) {
        this.incidents = new Incidents(redis);
        this.requests = requests;
        this.oncall = oncall;
        this.audit = audit;
        this.clock = clock;
    }

    @Override
    public Class<Command.Incident> handles() {
        return Command.Incident.class;
    }

    @Override
    public void handle(Command.Incident cmd, CommandContext ctx) {
        if (!oncall.includes(ctx.message())) {
            ctx.whisper(Reply.error("Only on-call (group `" + oncall.group() + "`) can mark a deploy as failed."));
            return;
        }
        Optional<Request> found = requests.find(cmd.deployId());
        if (found.isEmpty()) {
            ctx.whisper(Reply.error("There is no request " + cmd.deployId() + "."));
            return;
        }
        Request r = found.get();
        String text = cmd.text().length() <= MAX_TEXT ? cmd.text() : cmd.text().substring(0, MAX_TEXT - 1) + "…";
        Instant now = clock.instant();
        List<String> result = incidents.mark(r, ctx.sender().toString(), now);
        String env = result.get(1);
        switch (result.getFirst()) {
            case "ok" -> {
                audit.append("deploy.incident", ctx.sender().toString(), r.id(), AuditLog.details("environment", env, "text", text));
                ctx.reply(Reply.text(r.id() + " (deploy to " + env + ") is marked as failed by " + ctx.message().displayName() + ": "
                        + text + ". The next successful deploy to " + env + " restores it.").withTone(Reply.Tone.WARNING).about(r.id()));
            }
            case "missing" -> ctx.whisper(Reply.error("There is no request " + r.id() + "."));
            case "not_deploy" -> ctx.whisper(Reply.error(r.id() + " is a " + env + " request, not a deploy: only a deploy can be marked as failed."));
            case "not_done" -> ctx.whisper(Reply.error(r.id() + " is " + env + ", not done: only a finished deploy can be marked as failed."));
            case "repeat" -> ctx.whisper(Reply.text(r.id() + " is already marked as failed."));
            default -> throw new IllegalStateException("incident_mark answered " + result);
        }
    }
}
