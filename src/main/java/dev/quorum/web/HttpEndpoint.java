package dev.quorum.web;

import io.vertx.ext.web.Router;

/** A group of routes an adapter or capability adds to Quorum's one HTTP server. */
@FunctionalInterface
public interface HttpEndpoint {
    void mount(Router router);
}
