package dev.quorum.insights.bench;

import dev.quorum.conversation.Conversation;
import dev.quorum.conversation.Identity;
import dev.quorum.insights.Rollup;
import dev.quorum.insights.SeededHistory;
import dev.quorum.request.Request;
import dev.quorum.request.RequestState;
import dev.quorum.request.RequestStore;
import dev.quorum.request.RequestType;
import dev.quorum.store.LuaScript;
import dev.quorum.store.Redis;
import dev.quorum.testing.QuorumHarness;
import dev.quorum.testing.TestRedis;
import io.lettuce.core.ScriptOutputType;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code bench/run.sh insights}: 100,000 requests' rollups (90 days), then p99 of {@code GET /api/insights} over all 90
 * days against one {@code GET /health} round trip, interleaved in the same run; and what keeping the rollups adds to a
 * state change: {@code request_transition} with {@code roll_state} against the same script with it stubbed out.
 */
public final class InsightsBenchmark {
    private static final int REQUESTS = 100_000;
    private static final int DAYS = 90;
    private static final int ROUNDS = 400;
    private static final int CHANGES = 20_000;

    private InsightsBenchmark() {}

    public static void main(String[] args) throws Exception {
        TestRedis.flush();
        try (QuorumHarness q = QuorumHarness.start(Files.createTempDirectory("quorum-bench-insights"), SeededHistory.quorumConfig(),
                java.util.Map.of(), Clock.systemUTC()); Redis redis = Redis.connect(TestRedis.uri())) {
            long t0 = System.nanoTime();
            seed(redis);
            System.out.printf("seeded %,d requests over %d days in %.1f s; %d day hashes%n", REQUESTS, DAYS, (System.nanoTime() - t0) / 1e9,
                    redis.sync().keys("{q}:roll:day:*").size());
            String range = "/api/insights?since=" + SeededHistory.FIRST_DAY + "&until=" + SeededHistory.FIRST_DAY.plusDays(DAYS - 1);
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest insights = HttpRequest.newBuilder(URI.create(q.url(range))).header("X-Quorum-User", "alice").GET().build();
            HttpRequest health = HttpRequest.newBuilder(URI.create(q.url("/health"))).GET().build();
            for (int i = 0; i < 50; i++) { // warm-up
                http.send(insights, HttpResponse.BodyHandlers.discarding());
                http.send(health, HttpResponse.BodyHandlers.discarding());
            }
            long[] a = new long[ROUNDS];
            long[] b = new long[ROUNDS];
            int bytes = 0;
            for (int i = 0; i < ROUNDS; i++) {
                long s = System.nanoTime();
                HttpResponse<String> res = http.send(insights, HttpResponse.BodyHandlers.ofString());
                a[i] = System.nanoTime() - s;
                if (res.statusCode() != 200) throw new IllegalStateException("insights answered " + res.statusCode() + ": " + res.body());
                bytes = res.body().length();
                s = System.nanoTime();
                http.send(health, HttpResponse.BodyHandlers.discarding());
                b[i] = System.nanoTime() - s;
            }
            System.out.printf("GET /api/insights (90 days, %,d bytes): p50 %.2f ms, p99 %.2f ms%n", bytes, ms(pct(a, 50)), ms(pct(a, 99)));
            System.out.printf("GET /health (floor):              p50 %.2f ms, p99 %.2f ms%n", ms(pct(b, 50)), ms(pct(b, 99)));
            System.out.printf("ratio p99 insights/health: %.2fx (p50 %.2fx)%n", pct(a, 99) / (double) pct(b, 99), pct(a, 50) / (double) pct(b, 50));
            transitions(redis);
        }
    }

    /** Four seeders at once, each a reproducible history of its own (they share the request counter). */
    private static void seed(Redis redis) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> all = new ArrayList<>();
        for (int s = 0; s < 4; s++) {
            int seed = s;
            all.add(pool.submit(() -> {
                try (Redis own = Redis.connect(TestRedis.uri())) {
                    SeededHistory.seed(own, REQUESTS / 4, seed, DAYS);
                }
                return null;
            }));
        }
        for (Future<?> f : all) f.get();
        pool.shutdown();
    }

    /** One state change with the rollups and without (roll_state stubbed), alternating, on fresh requests. */
    private static void transitions(Redis redis) {
        LuaScript with = LuaScript.load("request_transition", Rollup.LIBRARY);
        LuaScript without = LuaScript.load("request_transition", "rollup_off");
        RequestStore store = new RequestStore(redis);
        Instant now = Instant.now();
        List<Request> fresh = new ArrayList<>();
        for (int i = 0; i < 2 * CHANGES; i++) {
            fresh.add(store.create(RequestType.TEST, Identity.console("alice"), "alice", new Conversation("console", "room", null), "t", null, now));
        }
        long[] on = new long[CHANGES];
        long[] off = new long[CHANGES];
        for (int i = 0; i < CHANGES; i++) {
            on[i] = change(redis, with, fresh.get(2 * i), now);
            off[i] = change(redis, without, fresh.get(2 * i + 1), now);
        }
        System.out.printf("state change with rollups:    mean %.1f µs, p50 %.1f µs, p99 %.1f µs%n", mean(on) / 1e3, pct(on, 50) / 1e3, pct(on, 99) / 1e3);
        System.out.printf("state change without (floor): mean %.1f µs, p50 %.1f µs, p99 %.1f µs%n", mean(off) / 1e3, pct(off, 50) / 1e3, pct(off, 99) / 1e3);
        System.out.printf("ratio with/without: mean %.2fx, p50 %.2fx%n", mean(on) / mean(off), pct(on, 50) / (double) pct(off, 50));
    }

    /** RequestStore.transition's call, queued to running, with the given script: its round trip in ns. */
    private static long change(Redis redis, LuaScript script, Request r, Instant now) {
        String[] keys = RequestStore.transitionKeys(r, RequestState.QUEUED, RequestState.RUNNING);
        String[] args = RequestStore.transitionArgs(r, RequestState.QUEUED, RequestState.RUNNING, java.util.Map.of(), now, "quorum", null);
        long s = System.nanoTime();
        String ok = script.run(redis.sync(), ScriptOutputType.VALUE, keys, args);
        long took = System.nanoTime() - s;
        if (!"OK".equals(ok)) throw new IllegalStateException(r.id() + ": " + ok);
        return took;
    }

    private static long pct(long[] xs, int p) {
        long[] s = xs.clone();
        Arrays.sort(s);
        return s[Math.min(s.length - 1, (int) Math.ceil(p / 100.0 * s.length) - 1)];
    }

    private static double mean(long[] xs) {
        return Arrays.stream(xs).average().orElse(0);
    }

    private static double ms(long ns) {
        return ns / 1e6;
    }
}
