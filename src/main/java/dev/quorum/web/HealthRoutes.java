package dev.quorum.web;

import dev.quorum.conversation.ChatAdapter;
import dev.quorum.conversation.Messenger;
import dev.quorum.store.Redis;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;

/** {@code GET /health} (Redis and each adapter; 503 until ready) and {@code GET /metrics} (Prometheus). */
public final class HealthRoutes implements HttpEndpoint {
    private final Vertx vertx;
    private final Redis redis;
    private final Messenger messenger;
    private final PrometheusMeterRegistry registry;
    private final BooleanSupplier ready;
    private final String version;

    public HealthRoutes(Vertx vertx, Redis redis, Messenger messenger, PrometheusMeterRegistry registry,
                        BooleanSupplier ready, String version) {
        this.vertx = vertx;
        this.redis = redis;
        this.messenger = messenger;
        this.registry = registry;
        this.ready = ready;
        this.version = version;
    }

    @Override
    public void mount(Router r) {
        r.get("/health").handler(this::health);
        r.get("/metrics").handler(this::metrics);
    }

    /** Probes (Docker, Kubernetes, Prometheus) call with whatever Host they reach us by; nothing here changes state. */
    @Override
    public java.util.Set<String> openPaths() {
        return java.util.Set.of("/health", "/metrics");
    }

    private void health(RoutingContext ctx) {
        Blocking.run(vertx, () -> {
            Map<String, Object> body = new LinkedHashMap<>();
            boolean redisUp = redis.ping();
            Map<String, String> adapters = new TreeMap<>();
            for (ChatAdapter a : messenger.adapters()) adapters.put(a.name(), a.health());
            boolean up = redisUp && ready.getAsBoolean() && adapters.values().stream().allMatch("UP"::equals);
            body.put("status", up ? "UP" : "DOWN");
            body.put("redis", redisUp ? "UP" : "DOWN");
            body.put("adapters", adapters);
            body.put("version", version);
            return body;
        }).onSuccess(body -> Json.send(ctx, "UP".equals(body.get("status")) ? 200 : 503, body))
                .onFailure(e -> Json.send(ctx, 503, Map.of("status", "DOWN", "error", String.valueOf(e.getMessage()))));
    }

    private void metrics(RoutingContext ctx) {
        ctx.response().putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8").end(registry.scrape());
    }
}
