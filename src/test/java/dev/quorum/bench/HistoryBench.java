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
    private static final int TOTALS_WARMUP = 20;
    private static final int TOTALS_RUNS = 200;
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

    /** The page's totals over the same kinds of filter: what the rollups count read from them, the rest walked. */
    private static final Map<String, String> TOTALS = new LinkedHashMap<>();

    static {
        TOTALS.put("no filter (indexes, rollups)", "");
        TOTALS.put("a month (rollups)", "since=2027-01-01&until=2027-01-31");
        TOTALS.put("user=alice (rollups)", "user=alice");
        TOTALS.put("repo=acme/web, a year (rollups)", "repo=acme/web&since=2027-01-01&until=2027-12-31");
        TOTALS.put("type=merge&repo=acme/web (walk)", "type=merge&repo=acme/web");
        TOTALS.put("state=failed, since a time (walk)", "state=failed&since=2028-01-01T12:00:00Z");
        TOTALS.put("approver+date range (walk)", "approver=bob&since=2027-01-01&until=2027-02-01");
    }

    void run() throws Exception {
        Path data = Files.createTempDirectory("quorum-bench-history");
        TestRedis.flush();
        try (QuorumHarness q = QuorumHarness.start(data)) {
            long seed = System.nanoTime();
            HistorySeed.pipelined(q.quorum().redis(), REQUESTS);
            System.out.printf("seeded %,d requests in %.1f s (pipelined, the store's format)%n", REQUESTS, (System.nanoTime() - seed) / 1e9);
            // Written around the store's scripts, so no rollups yet: rebuilt as an upgraded store's are, by the backfill
            q.quorum().redis().sync().del("{q}:roll:version");
            long rolled = System.nanoTime();
            long counted = dev.quorum.insights.Backfill.ifMissing(q.quorum().redis());
            System.out.printf("rollups rebuilt from %,d requests in %.1f s (insights' one-time backfill)%n", counted, (System.nanoTime() - rolled) / 1e9);
            HttpClient http = HttpClient.newHttpClient();
            String base = q.url("");
            String deep = cursorAfter(http, base, "state=failed&limit=50", 40);
            QUERIES.put("state=failed, page 40 (cursor)", "state=failed&limit=50&cursor=" + deep);
            Measured lists = measure(http, base, "/api/requests?", QUERIES, WARMUP, RUNS);
            System.out.printf("history at %,d requests, %d runs each after %d warm-up, one client:%n", REQUESTS, RUNS, WARMUP);
            Latencies all = table(lists);
            System.out.printf("  %-34s %9.2f %9.2f %11.2fx%n", "all history queries", all.percentileMillis(50), all.percentileMillis(99),
                    all.percentileMillis(99) / lists.health().percentileMillis(99));
            totals(http, base);
            csv(http, base, "");
            csv(http, base, "type=deploy&repo=acme/api");
        }
    }

    /** The totals' latency per filter, measured like the lists'. */
    private static void totals(HttpClient http, String base) throws Exception {
        Measured totals = measure(http, base, "/api/requests/stats?", TOTALS, TOTALS_WARMUP, TOTALS_RUNS);
        System.out.printf("totals (GET /api/requests/stats), %d runs each after %d warm-up:%n", TOTALS_RUNS, TOTALS_WARMUP);
        table(totals);
    }

    /** The floor's latencies and each query's, measured in turn. */
    private record Measured(Latencies health, Map<String, Latencies> queries) {}

    /** Warms both paths, then alternates the floor with each query so that load from elsewhere weighs on all alike. */
    private static Measured measure(HttpClient http, String base, String path, Map<String, String> queries, int warmup, int runs) throws Exception {
        Map<String, Latencies> lat = new LinkedHashMap<>();
        Latencies health = new Latencies();
        for (int i = 0; i < warmup; i++) {
            get(http, base + "/health");
            for (String query : queries.values()) get(http, base + path + query);
        }
        for (int i = 0; i < runs; i++) {
            health.add(get(http, base + "/health"));
            for (Map.Entry<String, String> e : queries.entrySet()) {
                lat.computeIfAbsent(e.getKey(), k -> new Latencies()).add(get(http, base + path + e.getValue()));
            }
        }
        return new Measured(health, lat);
    }

    /** Prints each query's p50 and p99 beside the floor's, as a ratio at p99. @return all the queries' latencies together */
    private static Latencies table(Measured m) {
        Latencies health = m.health();
        Map<String, Latencies> lat = m.queries();
        double floor = health.percentileMillis(99);
        System.out.printf("  %-34s %9s %9s %12s%n", "", "p50 ms", "p99 ms", "p99/health");
        System.out.printf("  %-34s %9.2f %9.2f %12s%n", "GET /health (floor)", health.percentileMillis(50), floor, "1.00x");
        Latencies all = new Latencies();
        for (Map.Entry<String, Latencies> e : lat.entrySet()) {
            all.merge(e.getValue());
            System.out.printf("  %-34s %9.2f %9.2f %11.2fx%n", e.getKey(), e.getValue().percentileMillis(50), e.getValue().percentileMillis(99),
                    e.getValue().percentileMillis(99) / floor);
        }
        return all;
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
