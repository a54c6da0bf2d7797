package dev.quorum.bench;

import dev.quorum.Quorum;
import dev.quorum.config.ConfigLoader;
import dev.quorum.config.QuorumConfig;
import dev.quorum.testing.QuorumHarness;
import dev.quorum.testing.TestRedis;
import dev.quorum.web.HttpEndpoint;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Console message ingest: {@code POST /api/console/messages} (parse, record in the room, run the
 * command, post its reply to Redis and pub/sub) against a bare Vert.x route on the same server
 * that does nothing (the floor), at the same concurrency. Then start-up time of the real jar to
 * "ready" and its idle resident memory.
 */
final class ConsoleIngestBench {
    private static final int CONCURRENCY = 32;
    private static final int REQUESTS = 20_000;
    private static final int WARMUP = 3_000;

    void run() throws Exception {
        Path data = Files.createTempDirectory("quorum-bench-console");
        TestRedis.flush();
        HttpEndpoint floor = router -> router.post("/bench/noop").handler(ctx -> ctx.response().setStatusCode(202).end("{}"));
        Map<String, String> env = Map.of("QUORUM_HTTP_PORT", "0", "QUORUM_DATA", data.toString(), "REDIS_URL", TestRedis.uri());
        QuorumConfig config = new ConfigLoader(env::get).parse(
                new java.io.ByteArrayInputStream(QuorumHarness.bundledConfigText().getBytes(StandardCharsets.UTF_8)), "bench");
        try (Quorum q = Quorum.start(config, Clock.systemUTC(), List.of(floor))) {
            HttpClient http = HttpClient.newBuilder().executor(Executors.newVirtualThreadPerTaskExecutor()).build();
            String base = "http://localhost:" + q.port();
            String body = "{\"text\":\"status R1\"}";
            load(http, base + "/bench/noop", body, WARMUP);
            load(http, base + "/api/console/messages", body, WARMUP);
            Result floorResult = load(http, base + "/bench/noop", body, REQUESTS);
            Result quorum = load(http, base + "/api/console/messages", body, REQUESTS);
            System.out.printf("console ingest, %d requests, %d concurrent clients, same server:%n", REQUESTS, CONCURRENCY);
            System.out.printf("  %-36s %10s %10s %10s%n", "", "req/s", "p50 ms", "p99 ms");
            print("floor (bare Vert.x route)", floorResult);
            print("quorum POST /api/console/messages", quorum);
            System.out.printf("  ratio quorum/floor: throughput %.2fx lower, p50 %.2fx, p99 %.2fx%n",
                    floorResult.perSecond() / quorum.perSecond(), quorum.p50() / floorResult.p50(), quorum.p99() / floorResult.p99());
        }
        startup();
    }

    private record Result(double perSecond, double p50, double p99) {}

    private static void print(String name, Result r) {
        System.out.printf("  %-36s %10.0f %10.2f %10.2f%n", name, r.perSecond(), r.p50(), r.p99());
    }

    private static Result load(HttpClient http, String url, String body, int total) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).header("X-Quorum-User", "alice")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        List<Future<Latencies>> parts = new ArrayList<>();
        long start = System.nanoTime();
        for (int c = 0; c < CONCURRENCY; c++) {
            int share = total / CONCURRENCY;
            parts.add(pool.submit(() -> {
                Latencies l = new Latencies();
                for (int i = 0; i < share; i++) {
                    long t = System.nanoTime();
                    HttpResponse<Void> res = http.send(request, HttpResponse.BodyHandlers.discarding());
                    if (res.statusCode() != 202) throw new IllegalStateException("unexpected status " + res.statusCode());
                    l.add(System.nanoTime() - t);
                }
                return l;
            }));
        }
        Latencies all = new Latencies();
        for (Future<Latencies> f : parts) all.merge(f.get());
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        return new Result(all.count() / seconds, all.percentileMillis(50), all.percentileMillis(99));
    }

    /** Starts the real jar on its embedded defaults and reads start-up time and idle memory. */
    private static void startup() throws Exception {
        Path jar = Path.of("target/quorum.jar");
        if (!Files.exists(jar)) {
            System.out.println("  start-up: target/quorum.jar missing (bench/run.sh builds it)");
            return;
        }
        Path dir = Files.createTempDirectory("quorum-bench-start");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-jar", jar.toAbsolutePath().toString())
                .directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("QUORUM_HTTP_PORT", "0");
        long t0 = System.nanoTime();
        Process p = pb.start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null && !line.contains("Quorum ready on")) { }
            double ms = (System.nanoTime() - t0) / 1e6;
            Thread.sleep(5000);
            long rssKb = rssKb(p.pid());
            System.out.printf("  start-up of java -jar quorum.jar to 'ready' (embedded Redis, first start): %.0f ms%n", ms);
            System.out.printf("  idle resident memory 5 s after ready: %d MB (JVM only; the embedded redis-server adds ~%d MB)%n",
                    rssKb / 1024, redisRssKb(p.pid()) / 1024);
        } finally {
            p.destroy();
            p.waitFor(20, TimeUnit.SECONDS);
        }
    }

    private static long rssKb(long pid) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", ""));
        }
        return -1;
    }

    private static long redisRssKb(long quorumPid) throws Exception {
        return ProcessHandle.of(quorumPid).map(h -> h.children().filter(c -> c.info().command().orElse("").contains("redis"))
                .mapToLong(c -> {
                    try {
                        return rssKb(c.pid());
                    } catch (Exception e) {
                        return 0;
                    }
                }).sum()).orElse(0L);
    }
}
