package dev.quorum.web;

import dev.quorum.config.ConsoleConfig;
import dev.quorum.config.Directory;
import dev.quorum.conversation.Identity;
import dev.quorum.insights.Insights;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code GET /api/insights?since=&until=} (SPEC §7): the Insights page's figures, read from the rollups only. Needs a
 * console user (in demo mode too: cost per person depends on who asks); {@code console.roles.managers} see everyone's
 * cost, anyone else their own.
 */
public final class InsightsRoutes implements HttpEndpoint {
    private final Vertx vertx;
    private final ConsoleAuth auth;
    private final Insights insights;
    private final Directory directory;
    private final Set<String> managers;
    private final Clock clock;

    public InsightsRoutes(Vertx vertx, ConsoleAuth auth, Insights insights, Directory directory, ConsoleConfig console, Clock clock) {
        this.vertx = vertx;
        this.auth = auth;
        this.insights = insights;
        this.directory = directory;
        this.managers = console.roles().getOrDefault(ConsoleConfig.MANAGERS, List.of()).stream()
                .map(m -> m.contains(":") ? directory.personOf(Identity.parse(m)) : "person:" + m)
                .collect(Collectors.toUnmodifiableSet());
        this.clock = clock;
    }

    /** Where the uPlot webjar (pom.xml) keeps the files the page loads: its ES module and its stylesheet. */
    private static final String UPLOT = "META-INF/resources/webjars/uplot/1.6.30/dist";

    @Override
    public void mount(Router r) {
        r.get("/api/insights").handler(ctx -> auth.asCaller(ctx, this::insights));
        r.get("/vendor/uplot/:file").handler(ctx -> {
            String file = ctx.pathParam("file");
            if (file.equals("uPlot.esm.js") || file.equals("uPlot.min.css")) ctx.next();
            else ctx.response().setStatusCode(404).end();
        });
        r.get("/vendor/uplot/*").handler(StaticHandler.create(UPLOT).setCachingEnabled(false));
    }

    private void insights(RoutingContext ctx, String user) {
        Insights.Range range;
        try {
            range = Insights.Range.parse(one(ctx, "since"), one(ctx, "until"), LocalDate.now(clock.withZone(ZoneOffset.UTC)));
        } catch (IllegalArgumentException e) {
            Json.error(ctx, 400, e.getMessage());
            return;
        }
        String person = directory.personOf(Identity.console(user));
        Insights.Viewer viewer = new Insights.Viewer(person, managers.contains(person));
        Blocking.run(vertx, () -> insights.report(range, viewer))
                .onSuccess(body -> Json.send(ctx, 200, body))
                .onFailure(e -> Json.error(ctx, 503, "insights are unavailable; try again"));
    }

    /** A parameter given at most once (a repeated one is a 400, never a guess which one counts). */
    private static String one(RoutingContext ctx, String name) {
        List<String> values = ctx.queryParam(name);
        if (values.size() > 1) throw new IllegalArgumentException(name + " is given more than once");
        return values.isEmpty() ? null : values.getFirst();
    }
}
