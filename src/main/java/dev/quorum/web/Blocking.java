package dev.quorum.web;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Runs blocking work (Redis, git, chat APIs) on a virtual thread and brings its result back to
 * the calling Vert.x context, so that route handlers never block an event loop.
 */
public final class Blocking {
    private static final ExecutorService VIRTUAL = Executors.newVirtualThreadPerTaskExecutor();

    private Blocking() {}

    public static <T> Future<T> run(Vertx vertx, Callable<T> work) {
        Context context = vertx.getOrCreateContext();
        CompletableFuture<T> cf = CompletableFuture.supplyAsync(() -> {
            try {
                return work.call();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        }, VIRTUAL);
        return Future.fromCompletionStage(cf, context);
    }
}
