package dev.quorum.agent.bench;

import com.sun.management.OperatingSystemMXBean;
import dev.quorum.Quorum;
import dev.quorum.config.ConfigLoader;
import dev.quorum.config.QuorumConfig;
import dev.quorum.request.Request;
import dev.quorum.request.RequestState;
import dev.quorum.request.RequestType;
import dev.quorum.testing.TestRedis;
import java.io.ByteArrayInputStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The same load as {@link ResearchLoadBenchmark}, through Quorum's whole path: each request is a {@code research}
 * message posted to the console API; the command handler opens the request in Redis and queues the job on the Redis
 * stream; the worker pool takes it and runs the research agent; the transcript, usage and report go to Redis and the
 * reply to the console room. A request counts as done when its state is final. Prints, per concurrency limit, the wall
 * time of N requests as a ratio of one alone (the floor is {@code ceil(N / limit)} waves) and this JVM's CPU time per
 * model call (Redis, a process of its own, is not counted).
 *
 * <p>Run: {@code bench/run.sh agent-queue} (arguments: requests, delay ms, limits...).
 */
public final class ResearchQueueBenchmark {

    private static final String QUESTION = "research How do staging deploys work?";

    private ResearchQueueBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int requests = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        long delayMillis = args.length > 1 ? Long.parseLong(args[1]) : 200;
        int[] limits = args.length > 2 ? Arrays.stream(args, 2, args.length).mapToInt(Integer::parseInt).toArray()
                : new int[] {50, 200};
        Process model = ResearchLoadBenchmark.startModelServer(delayMillis);
        try {
            int port = ResearchLoadBenchmark.readPort(model);
            Path docs = ResearchLoadBenchmark.writeDocs();
            System.out.printf(Locale.ROOT, "%d research requests through the console API and the work queue, model delay %d ms%n",
                    requests, delayMillis);
            OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            for (int limit : limits) {
                try (Quorum q = start(port, docs, limit, requests)) {
                    Batch batch = new Batch(q, HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1) // h2c would cap the streams
                            .executor(Executors.newVirtualThreadPerTaskExecutor()).build());
                    for (int round = 0; round < 5; round++) {
                        batch.run(requests); // the JIT, the connection pools, the index
                    }
                    double single = batch.medianSingle();
                    long cpuBefore = os.getProcessCpuTime();
                    long started = System.nanoTime();
                    List<Request> done = batch.run(requests);
                    double wallMillis = (System.nanoTime() - started) / 1e6;
                    long cpuNanos = os.getProcessCpuTime() - cpuBefore;
                    long good = done.stream().filter(r -> r.state() == RequestState.SUCCEEDED
                            && r.summary() != null && !r.summary().contains("unverified")).count();
                    long calls = 3L * requests;
                    System.out.printf(Locale.ROOT, "limit %3d: one alone %4.0f ms; wall %6.0f ms, ratio %.2f (floor %.1f), "
                                    + "CPU %.2f ms per model call, %d/%d succeeded with verified citations%n",
                            limit, single, wallMillis, wallMillis / single, Math.ceil((double) requests / limit),
                            cpuNanos / 1e6 / calls, good, requests);
                }
            }
        } finally {
            model.getOutputStream().close();
            model.waitFor();
        }
    }

    private static Quorum start(int port, Path docs, int limit, int requests) throws Exception {
        TestRedis.flush();
        Path data = Files.createTempDirectory("quorum-bench-queue");
        String yaml = """
                console: {demo: true, users: {bench: {}}}
                research: {folders: [{name: docs, path: %s}], index_repos: false}
                agents: {max_concurrent_runs: %d}
                workers: {concurrency: %d}
                """.formatted(docs, limit, requests + 10);
        Map<String, String> env = Map.of("QUORUM_HTTP_PORT", "0", "QUORUM_DATA", data.toString(),
                "REDIS_URL", TestRedis.uri(), "OPENAI_API_KEY", "bench", "OPENAI_BASE_URL",
                "http://127.0.0.1:" + port + "/v1", "QUORUM_MODEL", "fake-gpt");
        QuorumConfig config = new ConfigLoader(env::get).parse(
                new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "bench");
        return Quorum.start(config, Clock.systemUTC());
    }

    /** Posts research messages and waits until every request they opened has ended. */
    private static final class Batch {
        private final Quorum quorum;
        private final HttpClient http;
        private final Map<String, Request> ended = new ConcurrentHashMap<>();

        Batch(Quorum quorum, HttpClient http) {
            this.quorum = quorum;
            this.http = http;
            quorum.requests().onChange(r -> {
                if (r.type() == RequestType.RESEARCH && r.state().isTerminal()) {
                    synchronized (ended) {
                        ended.put(r.id(), r);
                        ended.notifyAll();
                    }
                }
            });
        }

        List<Request> run(int count) throws Exception {
            HttpRequest post = HttpRequest.newBuilder(URI.create("http://localhost:" + quorum.port() + "/api/console/messages"))
                    .header("X-Quorum-User", "bench").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"" + QUESTION + "\"}")).build();
            List<String> ids = new ArrayList<>();
            try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<String>> posted = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    posted.add(threads.submit(() -> {
                        String body = http.send(post, HttpResponse.BodyHandlers.ofString()).body();
                        return body.replaceAll(".*\"request_id\":\"(R\\d+)\".*", "$1");
                    }));
                }
                for (Future<String> f : posted) ids.add(f.get());
            }
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            synchronized (ended) {
                while (!ended.keySet().containsAll(ids)) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) throw new IllegalStateException("requests did not end within 5 minutes");
                    ended.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                }
            }
            return ids.stream().map(ended::get).toList();
        }

        double medianSingle() throws Exception {
            double[] times = new double[5];
            for (int i = 0; i < times.length; i++) {
                long started = System.nanoTime();
                run(1);
                times[i] = (System.nanoTime() - started) / 1e6;
            }
            Arrays.sort(times);
            return times[times.length / 2];
        }
    }
}
