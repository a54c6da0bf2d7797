package dev.quorum.bench;

import dev.quorum.request.HistorySeed;
import dev.quorum.testing.QuorumHarness;
import dev.quorum.testing.TestRedis;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * History at 100,000 requests (issue 14): p99 of filtered, paged GET /api/requests against one GET /health round
 * trip measured in the same run on the same server (the floor), and GET /api/requests.csv of every row (rows/s).
 * One client, one request at a time: the latency of a page as a reader waits for it. The requests are written
 * straight into Redis in the store's format ({@link HistorySeed#pipelined}).
 */
final class HistoryBench {
    private static final int REQUESTS = 100_000;
    private static final int WARMUP = 100;
    private static final int RUNS = 400;
    /** Representative filters: none, index intersections, a date range, the order by update, text, deep paging. */
    private static final Map<String, String> QUERIES = new LinkedHashMap<>();

    static {
        QUERIES.put("newest 50, no filter", "limit=50");
        QUERIES.put("type=merge&state=done", "type=merge&state=done&limit=50");
        QUERIES.put("repo+environment (deploys)", "repo=acme/web&environment=production&limit=50");
        QUERIES.put("approver+date range", "approver=bob&since=2027-01-01&until=2027-02-01&limit=50");
        QUERIES.put("sort=updated&type=code", "sort=updated&type=code&limit=50");
        QUERIES.put("user+text q=flaky", "user=alice&q=flaky&limit=50");
        QUERIES.put("state=failed, page 40 (cursor)", "state=failed&limit=50&cursor=");
    }

    void run() throws Exception {
        Path data = Files.createTempDirectory("quorum-bench-history");
        TestRedis.flush();
        try (QuorumHarness q = QuorumHarness.start(data)) {
            long seed = System.nanoTime();
            HistorySeed.pipelined(q.quorum().redis(), REQUESTS);
            System.out.printf("seeded %,d requests in %.1f s (pipelined, the store's format)%n", REQUESTS, (System.nanoTime() - seed) / 1e9);
            HttpClient http = HttpClient.newHttpClient();
            String base = q.url("");
            String deep = cursorAfter(http, base, "state=failed&limit=50", 40);
            QUERIES.put("state=failed, page 40 (cursor)", "state=failed&limit=50&cursor=" + deep);
            // Warm both paths, then alternate them so that load from elsewhere weighs on both alike
            Map<String, Latencies> lat = new LinkedHashMap<>();
            Latencies health = new Latencies();
            for (int i = 0; i < WARMUP; i++) {
                get(http, base + "/health");
                for (String query : QUERIES.values()) get(http, base + "/api/requests?" + query);
            }
            for (int i = 0; i < RUNS; i++) {
                health.add(get(http, base + "/health"));
                for (Map.Entry<String, String> e : QUERIES.entrySet()) {
                    lat.computeIfAbsent(e.getKey(), k -> new Latencies()).add(get(http, base + "/api/requests?" + e.getValue()));
                }
            }
            double floor = health.percentileMillis(99);
            System.out.printf("history at %,d requests, %d runs each after %d warm-up, one client:%n", REQUESTS, RUNS, WARMUP);
            System.out.printf("  %-34s %9s %9s %12s%n", "", "p50 ms", "p99 ms", "p99/health");
            System.out.printf("  %-34s %9.2f %9.2f %12s%n", "GET /health (floor)", health.percentileMillis(50), floor, "1.00x");
            Latencies all = new Latencies();
            for (Map.Entry<String, Latencies> e : lat.entrySet()) {
                all.merge(e.getValue());
                System.out.printf("  %-34s %9.2f %9.2f %11.2fx%n", e.getKey(), e.getValue().percentileMillis(50), e.getValue().percentileMillis(99),
                        e.getValue().percentileMillis(99) / floor);
            }
            System.out.printf("  %-34s %9.2f %9.2f %11.2fx%n", "all history queries", all.percentileMillis(50), all.percentileMillis(99),
                    all.percentileMillis(99) / floor);
            // The page's totals (GET /api/requests/stats) read every matching row: how long that is at this size
            for (String filter : new String[]{"", "type=merge&repo=acme/web"}) {
                long t = System.nanoTime();
                get(http, base + "/api/requests/stats?" + filter);
                System.out.printf("GET /api/requests/stats?%-24s %8.0f ms%n", filter, (System.nanoTime() - t) / 1e6);
            }
            csv(http, base, "");
            csv(http, base, "type=deploy&repo=acme/api");
        }
    }

    /** The cursor of page {@code pages + 1} of a filter, by following {@code next}. */
    private static String cursorAfter(HttpClient http, String base, String query, int pages) throws Exception {
        String next = null;
        for (int i = 0; i < pages; i++) {
            String body = http.send(HttpRequest.newBuilder(URI.create(base + "/api/requests?" + query + (next == null ? "" : "&cursor=" + next))).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            next = dev.quorum.web.Json.MAPPER.readTree(body).path("next").asText();
        }
        return next;
    }

    private static void csv(HttpClient http, String base, String filter) throws Exception {
        long start = System.nanoTime();
        HttpResponse<InputStream> res = http.send(HttpRequest.newBuilder(URI.create(base + "/api/requests.csv?" + filter)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        long rows = 0;
        long bytes = 0;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(res.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                rows++;
                bytes += line.length() + 2;
            }
        }
        double s = (System.nanoTime() - start) / 1e9;
        rows--; // the header
        System.out.printf("CSV export %-28s %,8d rows, %5.1f MB in %.2f s: %,.0f rows/s (status %d)%n",
                filter.isEmpty() ? "(every row)" : filter, rows, bytes / 1e6, s, rows / s, res.statusCode());
    }

    private static long get(HttpClient http, String url) throws Exception {
        long t = System.nanoTime();
        HttpResponse<Void> res = http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding());
        long took = System.nanoTime() - t;
        if (res.statusCode() != 200) throw new IllegalStateException(url + " answered " + res.statusCode());
        return took;
    }
}
