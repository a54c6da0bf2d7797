package dev.quorum.agent.testing;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A real HTTP server on 127.0.0.1 (random port) that answers with scripted replies, in order, and records what it
 * received. Replies can also be computed from the request, for servers that must answer many clients at once.
 */
public class FakeHttpServer implements AutoCloseable {

    /** One scripted answer. {@code delayMillis} holds the reply back, as a slow server would. */
    public record Reply(int status, String contentType, String body, Map<String, String> headers, long delayMillis) {
        public static Reply json(JsonObject body) {
            return new Reply(200, "application/json", body.encode(), Map.of(), 0);
        }

        public static Reply status(int status, String body) {
            return new Reply(status, "application/json", body, Map.of(), 0);
        }

        public static Reply raw(int status, String contentType, String body) {
            return new Reply(status, contentType, body, Map.of(), 0);
        }

        public static Reply redirect(String location) {
            return new Reply(302, "text/plain", "", Map.of("Location", location), 0);
        }

        public Reply delayedBy(long millis) {
            return new Reply(status, contentType, body, headers, millis);
        }
    }

    /** What the server received. */
    public record Received(String method, String uri, String path, String query, Map<String, String> headers,
                           String body) {
        public JsonObject json() {
            return new JsonObject(body);
        }
    }

    private final Vertx vertx;
    private final HttpServer server;
    private final ConcurrentLinkedQueue<Reply> script = new ConcurrentLinkedQueue<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger count = new AtomicInteger();
    private volatile Function<Received, Reply> responder;

    protected FakeHttpServer() {
        this.vertx = Vertx.vertx();
        try {
            this.server = vertx.createHttpServer()
                    .requestHandler(this::handle)
                    .listen(0, "127.0.0.1")
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            vertx.close();
            throw new IllegalStateException("fake server did not start", e);
        }
    }

    public static FakeHttpServer start() {
        return new FakeHttpServer();
    }

    public int port() {
        return server.actualPort();
    }

    /** {@code http://127.0.0.1:<port>}. */
    public String origin() {
        return "http://127.0.0.1:" + port();
    }

    public FakeHttpServer enqueue(Reply reply) {
        script.add(reply);
        return this;
    }

    /** Answers every request not covered by the script with {@code responder}. */
    public FakeHttpServer respondWith(Function<Received, Reply> responder) {
        this.responder = responder;
        return this;
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    public int requestCount() {
        return count.get();
    }

    private void handle(HttpServerRequest request) {
        request.body().onSuccess(buffer -> {
            Map<String, String> headers = new java.util.HashMap<>();
            request.headers().forEach(h -> headers.put(h.getKey().toLowerCase(java.util.Locale.ROOT), h.getValue()));
            Received got = new Received(request.method().name(), request.uri(), request.path(), request.query(),
                    headers, buffer.toString());
            received.add(got);
            count.incrementAndGet();
            Reply reply = script.poll();
            if (reply == null && responder != null) {
                reply = responder.apply(got);
            }
            Reply answer = reply == null ? Reply.status(599, "{\"error\":\"no scripted reply left\"}") : reply;
            if (answer.delayMillis() > 0) {
                vertx.setTimer(answer.delayMillis(), id -> send(request, answer));
            } else {
                send(request, answer);
            }
        });
    }

    private static void send(HttpServerRequest request, Reply reply) {
        var response = request.response().setStatusCode(reply.status());
        reply.headers().forEach(response::putHeader);
        response.putHeader("Content-Type", reply.contentType()).end(reply.body());
    }

    @Override
    public void close() {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("fake server did not stop", e);
        }
    }
}
