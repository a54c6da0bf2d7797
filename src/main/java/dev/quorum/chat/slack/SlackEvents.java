package dev.quorum.chat.slack;

import com.slack.api.bolt.App;
import com.slack.api.bolt.request.Request;
import com.slack.api.bolt.request.RequestHeaders;
import com.slack.api.bolt.response.Response;
import com.slack.api.bolt.util.SlackRequestParser;
import dev.quorum.web.Blocking;
import dev.quorum.web.HttpEndpoint;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code POST /slack/events} (SPEC §7): Slack's HTTP mode for events, interactivity and slash
 * commands, on Quorum's own Vert.x server instead of Bolt's Jetty. The raw body is read (up to
 * {@link #MAX_BODY}), handed to Bolt as its {@link Request} on a virtual thread, and Bolt's
 * {@link Response} is written back. Bolt checks the signature and its 5-minute window: a forged
 * or stale request gets 401 before any listener runs.
 *
 * <p>Slack wants an answer within 3 s. Listeners only record the delivery and acknowledge, so
 * answers take milliseconds; should Redis stall, the request is answered 503 at
 * {@link #ACK_DEADLINE} and Slack delivers it again. No stack trace is ever sent.
 */
final class SlackEvents implements HttpEndpoint {
    private static final Logger LOG = LoggerFactory.getLogger(SlackEvents.class);
    static final String PATH = "/slack/events";
    /** Slack's payloads are a few KiB; 1 MiB leaves room for long messages and large views. */
    static final long MAX_BODY = 1024 * 1024;
    /** Answer before Slack's 3 s are up, whatever happens behind. */
    static final Duration ACK_DEADLINE = Duration.ofMillis(2500);

    private final App app;
    private final SlackRequestParser parser;

    SlackEvents(App app) {
        this.app = app;
        this.parser = new SlackRequestParser(app.config());
    }

    /** Slack's servers call it by the public host name and sign every request; Bolt checks the signature. */
    @Override
    public java.util.Set<String> openPaths() {
        return java.util.Set.of(PATH);
    }

    @Override
    public void mount(Router router) {
        router.post(PATH).handler(BodyHandler.create(false).setBodyLimit(MAX_BODY)).handler(this::handle);
    }

    private void handle(RoutingContext ctx) {
        SlackRequestParser.HttpRequest raw = SlackRequestParser.HttpRequest.builder()
                .requestUri(ctx.request().path())
                .queryString(toMap(ctx.queryParams()))
                .headers(new RequestHeaders(toMap(ctx.request().headers())))
                .requestBody(ctx.body().asString("UTF-8"))
                .remoteAddress(ctx.request().remoteAddress() == null ? null : ctx.request().remoteAddress().host())
                .build();
        AtomicBoolean answered = new AtomicBoolean();
        long deadline = ctx.vertx().setTimer(ACK_DEADLINE.toMillis(), id -> {
            if (answered.compareAndSet(false, true)) {
                LOG.warn("A Slack request took longer than {} ms; answered 503 so that Slack sends it again", ACK_DEADLINE.toMillis());
                plain(ctx.response(), 503, "busy; try again");
            }
        });
        Blocking.run(ctx.vertx(), () -> app.run(parse(raw))).onComplete(done -> {
            ctx.vertx().cancelTimer(deadline);
            if (!answered.compareAndSet(false, true)) return;
            if (done.succeeded()) {
                write(ctx.response(), done.result());
            } else if (unreadable(done.cause())) {
                LOG.info("Unreadable Slack payload: {}", done.cause().toString());
                plain(ctx.response(), 400, "Invalid Request");
            } else {
                LOG.error("Slack request failed", done.cause());
                plain(ctx.response(), 500, "internal error; the details are in Quorum's log");
            }
        });
    }

    /** Bolt's parser, made total: a body it cannot read is Bolt's 400, not an exception. */
    private Request<?> parse(SlackRequestParser.HttpRequest raw) {
        try {
            return parser.parse(raw);
        } catch (RuntimeException e) {
            LOG.info("Unreadable Slack request: {}", e.toString());
            return null; // App.run answers a null request with 400 "Invalid Request"
        }
    }

    /**
     * A signed payload whose fields Bolt cannot read into its types (an array where Slack sends a string): Bolt only
     * reads them after the signature check, while it dispatches, so this is the sender's error, answered 400 like an
     * unreadable body, not Quorum's 500 (which Slack would send again and again).
     */
    private static boolean unreadable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof com.google.gson.JsonParseException) return true;
        }
        return false;
    }

    private static void write(HttpServerResponse res, Response bolt) {
        if (res.ended() || res.closed()) return;
        res.setStatusCode(bolt.getStatusCode() == null ? 200 : bolt.getStatusCode());
        if (bolt.getHeaders() != null) {
            bolt.getHeaders().forEach((name, values) -> {
                if (values != null && !name.equalsIgnoreCase("Content-Length")) res.putHeader(name, values);
            });
        }
        if (bolt.getContentType() != null) res.putHeader("Content-Type", bolt.getContentType());
        res.end(bolt.getBody() == null ? "" : bolt.getBody());
    }

    private static void plain(HttpServerResponse res, int status, String body) {
        if (res.ended() || res.closed()) return;
        res.setStatusCode(status).putHeader("Content-Type", "text/plain; charset=utf-8").end(body);
    }

    private static Map<String, List<String>> toMap(MultiMap multi) {
        Map<String, List<String>> out = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (Map.Entry<String, String> e : multi) out.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue());
        return out;
    }
}
