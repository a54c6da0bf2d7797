package dev.quorum.command.handlers;

import dev.quorum.conversation.Links;
import dev.quorum.conversation.Reply;
import dev.quorum.command.Command;
import dev.quorum.command.CommandContext;
import dev.quorum.command.CommandHandler;
import dev.quorum.command.RequestDetails;
import dev.quorum.command.NotFound;
import dev.quorum.command.RequestLines;
import dev.quorum.command.Times;
import dev.quorum.config.Directory;
import dev.quorum.request.FreezeSwitch;
import dev.quorum.request.Request;
import dev.quorum.request.RequestQuery;
import dev.quorum.request.RequestState;
import dev.quorum.request.Requests;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code status [<id>]}: the freeze, what is active, or one request in detail. */
public final class StatusHandler implements CommandHandler<Command.Status> {
    private static final List<RequestState> ACTIVE = List.of(RequestState.QUEUED, RequestState.RUNNING,
            RequestState.VERIFYING, RequestState.AWAITING_APPROVAL, RequestState.EXECUTING);

    private final Requests requests;
    private final FreezeSwitch freeze;
    private final Links links;
    private final List<RequestDetails> details;
    private final Directory directory;

    public StatusHandler(Requests requests, FreezeSwitch freeze, Links links, List<RequestDetails> details, Directory directory) {
        this.requests = requests;
        this.freeze = freeze;
        this.links = links;
        this.details = List.copyOf(details);
        this.directory = directory;
    }

    @Override
    public Class<Command.Status> handles() {
        return Command.Status.class;
    }

    @Override
    public void handle(Command.Status cmd, CommandContext ctx) {
        if (cmd.requestId() != null) {
            one(cmd.requestId(), ctx);
            return;
        }
        Instant now = requests.clock().instant();
        StringBuilder sb = new StringBuilder();
        Reply.Tone tone = Reply.Tone.INFO;
        Optional<FreezeSwitch.Frozen> frozen = freeze.current();
        if (frozen.isPresent()) {
            tone = Reply.Tone.WARNING;
            sb.append("FROZEN by ").append(directory.nameOf(frozen.get().by())).append(" ").append(Times.ago(frozen.get().at(), now))
                    .append(frozen.get().reason() == null ? "" : ": " + frozen.get().reason())
                    .append(". No agent starts and nothing merges or deploys until `unfreeze`.\n");
        } else {
            sb.append("Not frozen.\n");
        }
        List<Request> active = new ArrayList<>();
        for (RequestState s : ACTIVE) {
            active.addAll(requests.store().list(new RequestQuery(s, null, null, null, null, 20)).requests());
        }
        active.sort((a, b) -> Long.compare(b.number(), a.number()));
        if (active.isEmpty()) {
            sb.append("Nothing is queued, running or waiting for approval.");
        } else {
            sb.append("Active:");
            active.stream().limit(20).forEach(r -> sb.append("\n").append(RequestLines.oneLine(r, now)));
        }
        ctx.reply(Reply.text(sb.toString()).withTone(tone).withFields(counts()));
    }

    /** {@code all requests: 12 so far: 7 succeeded, 3 done, 2 failed}, most common first; none when there are none. */
    private List<Reply.Field> counts() {
        List<Map.Entry<RequestState, Long>> nonZero = requests.store().countByState().entrySet().stream()
                .filter(e -> e.getValue() > 0).sorted(Map.Entry.<RequestState, Long>comparingByValue().reversed()).toList();
        if (nonZero.isEmpty()) return List.of();
        long total = nonZero.stream().mapToLong(Map.Entry::getValue).sum();
        List<String> parts = nonZero.stream().map(e -> e.getValue() + " " + RequestLines.state(e.getKey())).toList();
        return List.of(new Reply.Field("all requests", total + " so far: " + String.join(", ", parts)));
    }


    private void one(String id, CommandContext ctx) {
        Optional<Request> found = requests.find(id);
        if (found.isEmpty()) {
            ctx.reply(Reply.error(NotFound.request(requests, id)));
            return;
        }
        Request r = found.get();
        Instant now = requests.clock().instant();
        List<Reply.Field> fields = new ArrayList<>();
        fields.add(new Reply.Field("state", RequestLines.state(r.state())));
        fields.add(new Reply.Field("asked by", directory.nameOf(r.requester(), r.requesterName())));
        fields.add(new Reply.Field("asked", Times.ago(r.createdAt(), now)));
        if (!r.updatedAt().equals(r.createdAt())) fields.add(new Reply.Field("last change", Times.ago(r.updatedAt(), now)));
        List<Reply.Field> more = new ArrayList<>();
        for (RequestDetails d : details) more.addAll(d.fieldsFor(r));
        // a test's result is its evidence line, which the evidence adds anyway: said once
        if (r.summary() != null && more.stream().noneMatch(f -> f.value().equals(r.summary()))) fields.add(new Reply.Field("result", r.summary()));
        if (r.reason() != null) fields.add(new Reply.Field("reason", r.reason()));
        if (r.rerunOf() != null) fields.add(new Reply.Field("rerun of", r.rerunOf()));
        if (r.costUsd() > 0) fields.add(new Reply.Field("model cost", String.format("$%.4f", r.costUsd())));
        fields.addAll(more);
        ctx.reply(Reply.text(r.id() + " · " + r.type().wire() + " · " + RequestLines.state(r.state()) + " — `" + r.text().replace("`", "'") + "`")
                .withFields(fields).withLink(links.requestLink(r.id())).about(r.id()));
    }
}
