package dev.quorum.web;

import io.vertx.ext.web.Router;

import java.util.Set;

/** A group of routes an adapter or capability adds to Quorum's one HTTP server. */
@FunctionalInterface
public interface HttpEndpoint {
    void mount(Router router);

    /**
     * Exact paths of this endpoint that are called by machines elsewhere rather than by browsers
     * on Quorum's own address: a platform that signs every request (Slack), a probe that reads
     * health. {@link WebServer}'s browser checks (Host, Origin, JSON bodies) skip them, so such a
     * path must authenticate whatever changes state itself. Every other path is checked.
     */
    default Set<String> openPaths() {
        return Set.of();
    }
}
