package dev.quorum.web;

import dev.quorum.config.HttpConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Quorum's one HTTP server: every endpoint mounts its routes, the console page is served from
 * resources, and errors are JSON. Before any route, {@link BrowserGuard} refuses what another
 * web page could make a browser send, for every route present and future. Handlers never block
 * the event loop; see {@link Blocking}.
 */
public final class WebServer {
    private static final Logger LOG = LoggerFactory.getLogger(WebServer.class);

    private final Vertx vertx;
    private final HttpConfig http;
    private final int port;
    private final List<HttpEndpoint> endpoints;
    private HttpServer server;

    /** @param port the port to bind, which may differ from {@code http.port()} (0 there picks a free one) */
    public WebServer(Vertx vertx, HttpConfig http, int port, List<HttpEndpoint> endpoints) {
        this.vertx = vertx;
        this.http = http;
        this.port = port;
        this.endpoints = List.copyOf(endpoints);
    }

    public Future<HttpServer> start() {
        Router router = Router.router(vertx);
        Set<String> open = new HashSet<>();
        endpoints.forEach(e -> open.addAll(e.openPaths()));
        router.route().handler(new BrowserGuard(http, this::port, open));
        endpoints.forEach(e -> e.mount(router));
        router.route("/api/*").handler(ctx -> Json.error(ctx, 404, "no such API route: " + ctx.request().method() + " " + ctx.request().path()));
        // The page is ES modules that import each other: a browser must never mix a cached module with a newer one,
        // so each file is checked with Quorum on every load (no-cache) rather than kept by heuristics.
        router.route("/*").handler(ctx -> {
            ctx.response().putHeader("Cache-Control", "no-cache");
            ctx.next();
        });
        router.route("/*").handler(StaticHandler.create("web").setCachingEnabled(false).setIndexPage("index.html"));
        router.errorHandler(413, ctx -> Json.error(ctx, 413, "the body is too large"));
        router.errorHandler(400, ctx -> Json.error(ctx, 400, "bad request"));
        router.errorHandler(405, ctx -> Json.error(ctx, 405, "method not allowed"));
        router.errorHandler(500, ctx -> {
            LOG.error("Unhandled error on {} {}", ctx.request().method(), ctx.request().path(), ctx.failure());
            Json.error(ctx, 500, "internal error; the details are in Quorum's log");
        });
        return vertx.createHttpServer(new HttpServerOptions().setHost(http.host()).setPort(port).setCompressionSupported(true))
                .requestHandler(router)
                .listen()
                .onSuccess(s -> this.server = s);
    }

    /** The port actually bound (useful when configured as 0). */
    public int port() {
        return server == null ? port : server.actualPort();
    }

    public Future<Void> stop() {
        return server == null ? Future.succeededFuture() : server.close();
    }
}
