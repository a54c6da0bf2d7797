package dev.quorum.agent.bench;

import com.sun.management.OperatingSystemMXBean;
import dev.quorum.agent.AgentRunner;
import dev.quorum.agent.AgentSettings;
import dev.quorum.agent.Budget;
import dev.quorum.agent.ResearchResult;
import dev.quorum.agent.ResearchTask;
import dev.quorum.agent.RunContext;
import dev.quorum.agent.RunOutcome;
import dev.quorum.agent.coding.CodingLimits;
import dev.quorum.agent.model.ModelSettings;
import dev.quorum.agent.model.Provider;
import dev.quorum.agent.search.IndexSettings;
import dev.quorum.agent.search.KnowledgeFolder;
import dev.quorum.agent.web.FetchSettings;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * N concurrent research requests against a fake OpenAI-compatible model (own JVM) that answers each call after a
 * fixed delay, three calls per request (two search_docs tool calls, then the answer). Prints, per concurrency limit,
 * the wall time as a ratio of one request alone, the theoretical floor (waves of the limit), and Quorum's CPU time per
 * model call (process CPU time of this JVM, which runs no fake server, divided by the calls made).
 *
 * <p>Run: {@code bench/agent/run.sh} (arguments: requests, delay ms, limits...).
 */
public final class ResearchLoadBenchmark {

    private static final int CALLS_PER_REQUEST = 3;

    private ResearchLoadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int requests = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        long delayMillis = args.length > 1 ? Long.parseLong(args[1]) : 200;
        int[] limits = args.length > 2 ? Arrays.stream(args, 2, args.length).mapToInt(Integer::parseInt).toArray()
                : new int[] {50, 200};

        Process model = startModelServer(delayMillis);
        try {
            int port = readPort(model);
            Path docs = writeDocs();
            System.out.printf(Locale.ROOT, "%d requests x %d model calls, model delay %d ms, %d cores, %s%n",
                    requests, CALLS_PER_REQUEST, delayMillis, Runtime.getRuntime().availableProcessors(),
                    Runtime.version());
            int widest = Arrays.stream(limits).max().orElse(requests);
            try (AgentRunner warm = AgentRunner.start(settings(port, docs, widest))) {
                for (int round = 0; round < 5; round++) {
                    runBatch(warm, requests, "jit"); // let the JIT finish before any limit is measured
                }
            }
            OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long idleBefore = os.getProcessCpuTime();
            Thread.sleep(2_000);
            System.out.printf(Locale.ROOT, "idle JVM (GC, JIT, HTTP selector): %.0f ms CPU per second%n",
                    (os.getProcessCpuTime() - idleBefore) / 1e6 / 2);
            double single = -1;
            for (int limit : limits) {
                try (AgentRunner runner = AgentRunner.start(settings(port, docs, limit))) {
                    runBatch(runner, requests, "warmup"); // this runner's connection pool
                    if (single < 0) {
                        single = medianSingle(runner);
                        System.out.printf(Locale.ROOT, "one request alone: %.0f ms (3 x %d ms of model time)%n",
                                single, delayMillis);
                    }
                    long cpuBefore = os.getProcessCpuTime();
                    long started = System.nanoTime();
                    List<ResearchResult> results = runBatch(runner, requests, "R");
                    double wallMillis = (System.nanoTime() - started) / 1e6;
                    long cpuNanos = os.getProcessCpuTime() - cpuBefore;
                    long calls = results.stream().mapToLong(r -> r.usage().modelCalls()).sum();
                    long completed = results.stream().filter(r -> r.outcome() instanceof RunOutcome.Completed
                            && r.unverifiedCitations().isEmpty()).count();
                    int waves = (requests + limit - 1) / limit;
                    System.out.printf(Locale.ROOT, "limit %3d: wall %6.0f ms, ratio %.2f (floor %.1f), "
                                    + "CPU %.2f ms per model call (%d calls), %d/%d completed with verified citations%n",
                            limit, wallMillis, wallMillis / single, (double) waves, cpuNanos / 1e6 / calls, calls,
                            completed, requests);
                }
            }
        } finally {
            model.getOutputStream().close();
            model.waitFor();
        }
    }

    private static List<ResearchResult> runBatch(AgentRunner runner, int count, String prefix) throws Exception {
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<ResearchResult>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                ResearchTask task = ResearchTask.of(prefix + i, "console:bench", "How do staging deploys work?");
                futures.add(threads.submit(() -> runner.research(task, budget(), RunContext.detached())));
            }
            List<ResearchResult> results = new ArrayList<>();
            for (Future<ResearchResult> f : futures) {
                results.add(f.get());
            }
            return results;
        }
    }

    private static double medianSingle(AgentRunner runner) throws Exception {
        double[] times = new double[5];
        for (int i = 0; i < times.length; i++) {
            long started = System.nanoTime();
            runBatch(runner, 1, "single");
            times[i] = (System.nanoTime() - started) / 1e6;
        }
        Arrays.sort(times);
        return times[times.length / 2];
    }

    private static Budget budget() {
        return new Budget(10, 1_000_000, Duration.ofMinutes(5), new BigDecimal("10"));
    }

    private static AgentSettings settings(int port, Path docs, int limit) {
        ModelSettings model = ModelSettings.of(Provider.OPENAI, "http://127.0.0.1:" + port + "/v1", "bench", "fake-gpt");
        return new AgentSettings(model, List.of(new KnowledgeFolder("docs", docs)), null, IndexSettings.DEFAULTS,
                FetchSettings.allowing(Set.of()), URI.create("http://127.0.0.1:9/api/query"), CodingLimits.DEFAULTS,
                limit);
    }

    static Path writeDocs() throws Exception {
        Path docs = Files.createTempDirectory("quorum-bench-docs");
        for (int i = 0; i < 200; i++) {
            Files.writeString(docs.resolve("page" + i + ".md"), "# Page " + i + "\n\n"
                    + "Staging deploys need one approval from an engineer. ".repeat(i % 7 + 1)
                    + "\nRollback uses the previous release tag. ".repeat(i % 5 + 1)
                    + "\nFiller text about Quorum, Redis, Slack and votes, paragraph " + i + ".\n");
        }
        docs.toFile().deleteOnExit();
        return docs;
    }

    static Process startModelServer(long delayMillis) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path")));
        String logback = System.getProperty("logback.configurationFile");
        if (logback != null) {
            command.add("-Dlogback.configurationFile=" + logback);
        }
        command.addAll(List.of(FakeModelServerMain.class.getName(), String.valueOf(delayMillis)));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    static int readPort(Process model) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(model.getInputStream(), StandardCharsets.UTF_8));
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            if (line.startsWith("PORT ")) {
                return Integer.parseInt(line.substring(5).strip());
            }
        }
        throw new IllegalStateException("the fake model server did not start");
    }
}
