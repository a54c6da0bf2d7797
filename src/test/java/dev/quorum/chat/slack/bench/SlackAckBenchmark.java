package dev.quorum.chat.slack.bench;

import com.slack.api.app_backend.SlackSignature;
import dev.quorum.Quorum;
import dev.quorum.bench.Latencies;
import dev.quorum.chat.slack.SlackSender;
import dev.quorum.testing.QuorumHarness;
import dev.quorum.testing.TestRedis;
import dev.quorum.web.HttpEndpoint;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.handler.BodyHandler;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How fast Quorum acknowledges Slack: signed {@code app_mention} events posted to
 * {@code /slack/events} at fixed rates (open loop: latency counts from when a request was due,
 * so a backlog shows), against the floor, a bare Vert.x route on the same server that only
 * verifies the signature and answers 200. Then the most events per second each sustains with 64
 * requests in flight. Every Quorum event is a real command ({@code status R1}): after the ack it
 * is parsed, handled, answered with {@code chat.postMessage} and marked with {@code reactions.add}
 * on a Web API fake in this JVM, whose replies are counted to show that none was lost. Last,
 * the same with Slack's retries of one event already taken: the acknowledgement path alone.
 */
public final class SlackAckBenchmark {
    private static final int[] RATES = {250, 500, 1000, 2000};
    private static final Duration STEP = Duration.ofSeconds(5);
    private static final int IN_FLIGHT = 64;
    private static final String FLOOR = "/bench/slack-floor";

    private final AtomicLong eventIds = new AtomicLong();
    /** Slack delivering again an event Quorum already took: verified, parsed, recognised, acknowledged, nothing more. */
    private static final SlackSender.Body RETRY = SlackSender.mention("EvBenchRetried", "UBENCH1", "<@UQUORUM> status R1", "1700000000.000001", null);
    private volatile boolean retriesOnly;

    public static void main(String[] args) throws Exception {
        new SlackAckBenchmark().run();
    }

    private record Step(double perSecond, double p50, double p99, int errors) {}

    void run() throws Exception {
        TestRedis.flush();
        Vertx side = Vertx.vertx();
        try (CountingWebApi api = new CountingWebApi(side)) {
            Path data = Files.createTempDirectory("quorum-bench-slack");
            SlackSignature.Verifier verifier = new SlackSignature.Verifier(new SlackSignature.Generator(SlackSender.SECRET));
            HttpEndpoint floor = router -> router.post(FLOOR).handler(BodyHandler.create(false).setBodyLimit(1024 * 1024)).handler(ctx -> {
                boolean valid = verifier.isValid(ctx.request().getHeader("X-Slack-Request-Timestamp"), ctx.body().asString(),
                        ctx.request().getHeader("X-Slack-Signature"));
                ctx.response().setStatusCode(valid ? 200 : 401).end();
            });
            Map<String, String> env = Map.of("SLACK_BOT_TOKEN", "xoxb-bench", "SLACK_SIGNING_SECRET", SlackSender.SECRET,
                    "SLACK_API_URL", api.url());
            var config = QuorumHarness.config(data, "console: {demo: true, users: {alice: {}}}\n", env);
            try (Quorum q = Quorum.start(config, Clock.systemUTC(), List.of(floor))) {
                HttpClient client = side.createHttpClient(new HttpClientOptions().setKeepAlive(true),
                        new PoolOptions().setHttp1MaxSize(512));
                String host = "127.0.0.1";
                int port = q.port();
                System.out.println("warming up (10 s)...");
                openLoop(client, host, port, FLOOR, 500, STEP);
                openLoop(client, host, port, "/slack/events", 500, STEP);

                System.out.printf("signed app_mention events, open loop, %d s per step, same server (2 cores shared with the load generator and the Web API fake):%n", STEP.toSeconds());
                System.out.printf("  %8s | %-30s | %-38s | %s%n", "rate/s", "floor: ev/s  p50 ms  p99 ms", "quorum: ev/s  p50 ms  p99 ms  errors", "quorum/floor p50  p99");
                for (int rate : RATES) {
                    Step f = openLoop(client, host, port, FLOOR, rate, STEP);
                    Step s = openLoop(client, host, port, "/slack/events", rate, STEP);
                    System.out.printf("  %8d | %6.0f %7.2f %7.2f         | %6.0f %7.2f %7.2f %7d          | %5.2fx %5.2fx%n",
                            rate, f.perSecond(), f.p50(), f.p99(), s.perSecond(), s.p50(), s.p99(), s.errors(),
                            s.p50() / f.p50(), s.p99() / f.p99());
                    drain(api);
                }
                Step floorMax = closedLoop(client, host, port, FLOOR, STEP);
                Step quorumMax = closedLoop(client, host, port, "/slack/events", STEP);
                drain(api);
                retriesOnly = true;
                eventIds.incrementAndGet(); // the first delivery of the retried event is new to Quorum: one reply
                Step ackOnly = closedLoop(client, host, port, "/slack/events", STEP);
                retriesOnly = false;
                System.out.printf("  sustained, %d in flight (ev/s, p99 ms, errors, floor/quorum):%n", IN_FLIGHT);
                System.out.printf("    floor                                   %7.0f %7.1f %5d%n", floorMax.perSecond(), floorMax.p99(), floorMax.errors());
                System.out.printf("    quorum, every event a command           %7.0f %7.1f %5d %6.2fx%n", quorumMax.perSecond(), quorumMax.p99(),
                        quorumMax.errors(), floorMax.perSecond() / quorumMax.perSecond());
                System.out.printf("    quorum, retries of a taken event (ack)  %7.0f %7.1f %5d %6.2fx%n", ackOnly.perSecond(), ackOnly.p99(),
                        ackOnly.errors(), floorMax.perSecond() / ackOnly.perSecond());
                drain(api);
                System.out.printf("  replies posted to the Web API: %d for %d distinct events acknowledged%n", api.posts(), eventIds.get() - floorEvents.get());
            }
        } finally {
            side.close().await(10, TimeUnit.SECONDS);
        }
    }

    /** Sends at {@code rate} per second for {@code duration}, each request timed from when it was due. */
    private Step openLoop(HttpClient client, String host, int port, String path, int rate, Duration duration) throws Exception {
        int total = (int) (rate * duration.toSeconds());
        Latencies latencies = new Latencies();
        AtomicInteger errors = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(total);
        long start = System.nanoTime();
        long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        for (int i = 0; i < total; i++) {
            long due = start + i * interval;
            long wait = due - System.nanoTime();
            if (wait > 0) TimeUnit.NANOSECONDS.sleep(wait);
            send(client, host, port, path, due, latencies, errors, done);
        }
        if (!done.await(60, TimeUnit.SECONDS)) throw new IllegalStateException("requests still open after 60 s");
        double seconds = (System.nanoTime() - start) / 1e9;
        synchronized (latencies) {
            return new Step(total / seconds, latencies.percentileMillis(50), latencies.percentileMillis(99), errors.get());
        }
    }

    /** Keeps {@link #IN_FLIGHT} requests open for {@code duration}: the most the server sustains. */
    private Step closedLoop(HttpClient client, String host, int port, String path, Duration duration) throws Exception {
        Latencies latencies = new Latencies();
        AtomicInteger errors = new AtomicInteger();
        AtomicInteger completed = new AtomicInteger();
        long end = System.nanoTime() + duration.toNanos();
        long start = System.nanoTime();
        CountDownLatch lanes = new CountDownLatch(IN_FLIGHT);
        for (int i = 0; i < IN_FLIGHT; i++) lane(client, host, port, path, end, latencies, errors, completed, lanes);
        if (!lanes.await(60, TimeUnit.SECONDS)) throw new IllegalStateException("lanes still open after 60 s");
        double seconds = (System.nanoTime() - start) / 1e9;
        synchronized (latencies) {
            return new Step(completed.get() / seconds, latencies.percentileMillis(50), latencies.percentileMillis(99), errors.get());
        }
    }

    private void lane(HttpClient client, String host, int port, String path, long end, Latencies latencies, AtomicInteger errors,
                      AtomicInteger completed, CountDownLatch lanes) {
        if (System.nanoTime() >= end) {
            lanes.countDown();
            return;
        }
        CountDownLatch one = new CountDownLatch(1);
        send(client, host, port, path, System.nanoTime(), latencies, errors, one);
        Thread.ofVirtual().start(() -> {
            try {
                one.await();
                completed.incrementAndGet();
                lane(client, host, port, path, end, latencies, errors, completed, lanes);
            } catch (InterruptedException e) {
                lanes.countDown();
            }
        });
    }

    private void send(HttpClient client, String host, int port, String path, long due, Latencies latencies, AtomicInteger errors,
                      CountDownLatch done) {
        SlackSender.Body body = retriesOnly ? RETRY : fresh();
        String epoch = Long.toString(Instant.now().getEpochSecond());
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost(host).setPort(port).setURI(path)
                .putHeader("Content-Type", body.contentType()).putHeader("X-Slack-Request-Timestamp", epoch)
                .putHeader("X-Slack-Signature", SlackSender.sign(SlackSender.SECRET, epoch, body.text()));
        client.request(options).compose(req -> req.send(Buffer.buffer(body.text())).compose(res -> {
            if (res.statusCode() != 200) errors.incrementAndGet();
            return res.body();
        })).onComplete(ar -> {
            if (ar.failed()) errors.incrementAndGet();
            synchronized (latencies) {
                latencies.add(System.nanoTime() - due);
            }
            if (FLOOR.equals(path)) floorEvents.incrementAndGet();
            done.countDown();
        });
    }

    private final AtomicLong floorEvents = new AtomicLong();

    /** A new event: its own id and ts, from one of 8 members. */
    private SlackSender.Body fresh() {
        long n = eventIds.incrementAndGet();
        String ts = "1800000000." + String.format("%06d", n % 1_000_000);
        return SlackSender.mention("EvBench" + n, "UBENCH" + (n % 8), "<@UQUORUM> status R1", ts, null);
    }

    /** Waits until the Web API has one reply per acknowledged event (or 60 s pass). */
    private void drain(CountingWebApi api) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (api.posts() < eventIds.get() - floorEvents.get() && System.nanoTime() < end) Thread.sleep(50);
    }

    /** Slack's Web API reduced to answers: {@code ok} with a fresh ts, counted, nothing kept. */
    private final class CountingWebApi implements AutoCloseable {
        private final HttpServer server;
        private final AtomicLong posts = new AtomicLong();
        private final AtomicLong ts = new AtomicLong();

        CountingWebApi(Vertx vertx) throws Exception {
            server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(b -> {
                String method = req.path().substring(req.path().lastIndexOf('/') + 1);
                String answer = switch (method) {
                    case "auth.test" -> "{\"ok\":true,\"user_id\":\"UQUORUM\",\"bot_id\":\"BQUORUM\",\"team_id\":\"T0TEAM\"}";
                    case "chat.postMessage" -> {
                        posts.incrementAndGet();
                        yield "{\"ok\":true,\"channel\":\"" + SlackSender.CHANNEL + "\",\"ts\":\"1900000000." + ts.incrementAndGet() + "\"}";
                    }
                    case "users.info" -> "{\"ok\":true,\"user\":{\"id\":\"U\",\"name\":\"bench\"}}";
                    default -> "{\"ok\":true}";
                };
                req.response().putHeader("Content-Type", "application/json").end(answer);
            })).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
        }

        String url() {
            return "http://127.0.0.1:" + server.actualPort() + "/api/";
        }

        long posts() {
            return posts.get();
        }

        @Override
        public void close() throws Exception {
            server.close().await(5, TimeUnit.SECONDS);
        }
    }
}
