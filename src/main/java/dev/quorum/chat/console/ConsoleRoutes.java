package dev.quorum.chat.console;

import dev.quorum.conversation.Identity;
import dev.quorum.conversation.InboundPipeline;
import dev.quorum.conversation.InboundPipeline.Delivery;
import dev.quorum.conversation.InboundPipeline.Kind;
import dev.quorum.conversation.LimitReachedException;
import dev.quorum.conversation.StoreUnreachableException;
import dev.quorum.command.CommandParser;
import dev.quorum.command.CommandRouter;
import dev.quorum.command.ParseResult;
import dev.quorum.web.Blocking;
import dev.quorum.web.ConsoleAuth;
import dev.quorum.web.HttpEndpoint;
import dev.quorum.web.Json;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The console's HTTP face (SPEC §7): {@code POST /api/console/messages} turns a member's text
 * into a command (parsed here first, so that bad input is an HTTP error, then handed to the shared
 * {@link InboundPipeline} like every platform's messages); {@code GET /api/console/events} streams the room as Server-Sent Events,
 * backlog first (from {@code Last-Event-ID} when reconnecting), then live.
 */
public final class ConsoleRoutes implements HttpEndpoint {
    /** Bodies larger than this are refused with 413 before they are read whole. */
    public static final long MAX_BODY = 64 * 1024;
    private static final int BACKLOG = 200;

    private final Vertx vertx;
    private final ConsoleAdapter console;
    private final CommandRouter router;
    private final ConsoleAuth auth;
    private final String linkBase;

    /** @param linkBase where links posted in chat point ({@code http.public_url}); the page makes those its own */
    public ConsoleRoutes(Vertx vertx, ConsoleAdapter console, CommandRouter router, ConsoleAuth auth, String linkBase) {
        this.vertx = vertx;
        this.console = console;
        this.router = router;
        this.auth = auth;
        this.linkBase = linkBase;
    }

    @Override
    public void mount(Router r) {
        r.post("/api/console/messages").handler(BodyHandler.create(false).setBodyLimit(MAX_BODY)).handler(this::postMessage);
        r.get("/api/console/events").handler(this::events);
        r.get("/api/console/whoami").handler(this::whoami);
    }

    private void whoami(RoutingContext ctx) {
        auth.caller(ctx).onComplete(who -> {
            Map<String, Object> body = new HashMap<>();
            body.put("demo", auth.demo());
            body.put("user", who.succeeded() ? who.result().orElse(null) : null);
            body.put("users", auth.demo() ? auth.userNames() : List.of());
            // Links in replies point here; the page reached under another name keeps them on its own origin.
            body.put("link_base", linkBase);
            Json.send(ctx, 200, body);
        });
    }

    private void postMessage(RoutingContext ctx) {
        auth.asCaller(ctx, this::postMessage);
    }

    private void postMessage(RoutingContext ctx, String user) {
        JsonObject body;
        try {
            body = ctx.body().asJsonObject();
        } catch (DecodeException | ClassCastException e) {
            Json.error(ctx, 400, "the body must be a JSON object such as {\"text\": \"help\"}");
            return;
        }
        Object text = body == null ? null : body.getValue("text");
        if (!(text instanceof String s) || s.isBlank()) {
            Json.error(ctx, 400, "\"text\" must be a non-empty string");
            return;
        }
        if (s.length() > CommandParser.MAX_LENGTH) {
            Json.error(ctx, 413, "\"text\" is longer than " + CommandParser.MAX_LENGTH + " characters");
            return;
        }
        ParseResult parsed = router.parse(s);
        switch (parsed) {
            case ParseResult.Invalid i -> {
                Json.send(ctx, 400, Map.of("error", i.problem(), "usage", i.usage()));
                return;
            }
            case ParseResult.NotACommand n -> {
                Json.send(ctx, 400, n.usage() == null ? Map.of("error", n.problem()) : Map.of("error", n.problem(), "usage", n.usage()));
                return;
            }
            case ParseResult.Parsed p -> {
                Delivery said = new Delivery(ConsoleAdapter.NAME, null, Identity.console(user), user, ConsoleAdapter.ROOM,
                        s.strip(), false, null, Kind.DIRECT, Set.of(), null);
                Blocking.run(vertx, () -> {
                    InboundPipeline pipeline = console.pipeline();
                    if (pipeline == null) throw new IllegalStateException("the console is not started");
                    // The room is in Redis: without it nothing is recorded, and the answer is this POST's.
                    if (!pipeline.storeReachable()) throw new StoreUnreachableException("Redis is not connected or did not answer PING");
                    console.recordMessage(user, s.strip());
                    return pipeline.handleNow(said);
                }).onSuccess(opened -> {
                    Map<String, Object> out = new HashMap<>();
                    out.put("accepted", true);
                    out.put("request_id", opened.orElse(null));
                    Json.send(ctx, 202, out);
                }).onFailure(e -> refused(ctx, e));
            }
        }
    }

    /** 429 with {@code Retry-After} for a load limit, 503 for an outage; never the failure's own text. */
    private static void refused(RoutingContext ctx, Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof LimitReachedException limit) {
                ctx.response().putHeader("Retry-After", String.valueOf(limit.retryAfter().toSeconds()));
                Json.error(ctx, 429, limit.getMessage());
                return;
            }
        }
        Json.error(ctx, 503, StoreUnreachableException.explains(failure)
                ? StoreUnreachableException.LINE : "Quorum could not take the message right now; try again");
    }

    private void events(RoutingContext ctx) {
        auth.asCaller(ctx, this::events);
    }

    private void events(RoutingContext ctx, String user) {
        HttpServerResponse res = ctx.response();
        if (res.closed()) return; // the page went away while its session was looked up
        res.setChunked(true)
                .putHeader("Content-Type", "text/event-stream; charset=utf-8")
                .putHeader("Cache-Control", "no-store")
                .putHeader("X-Accel-Buffering", "no");
        res.write("retry: 3000\n\n");
        var context = vertx.getOrCreateContext();
        // Subscribe before reading the backlog and hold live events until it is sent, so nothing
        // falls between the two; events already in the backlog are skipped.
        List<ConsoleEvent> held = new ArrayList<>();
        String[] lastSent = {null};
        boolean[] live = {false};
        Runnable unsubscribe = console.subscribe(event -> context.runOnContext(v -> {
            if (!live[0]) {
                held.add(event);
            } else {
                send(res, event, user, lastSent);
            }
        }));
        long keepAlive = vertx.setPeriodic(15_000, id -> {
            if (!res.closed()) res.write(": keep-alive\n\n");
        });
        res.closeHandler(v -> {
            unsubscribe.run();
            vertx.cancelTimer(keepAlive);
        });
        String after = ctx.request().getHeader("Last-Event-ID");
        if (after == null) after = ctx.request().getParam("after"); // a position in the room, not a credential
        String from = after != null && after.matches("\\d{1,20}-\\d{1,20}") ? after : null;
        Blocking.run(vertx, () -> from == null ? console.backlog(null, BACKLOG) : console.since(from)).onComplete(ar -> {
            if (ar.succeeded()) ar.result().forEach(e -> send(res, e, user, lastSent));
            live[0] = true;
            held.forEach(e -> send(res, e, user, lastSent));
            held.clear();
        });
    }

    private static void send(HttpServerResponse res, ConsoleEvent e, String user, String[] lastSent) {
        if (res.closed() || !e.visibleTo(user)) return;
        if (e.live()) { // not in the log: no id, so a reconnect resumes after the last logged event
            res.write("event: " + e.kind() + "\ndata: " + e.json() + "\n\n");
            return;
        }
        if (lastSent[0] != null && ConsoleEvent.compareIds(e.id(), lastSent[0]) <= 0) return;
        lastSent[0] = e.id();
        res.write("id: " + e.id() + "\nevent: " + e.kind() + "\ndata: " + e.json() + "\n\n");
    }
}
