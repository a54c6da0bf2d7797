package dev.quorum.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Entry point of {@code bench/run.sh}: runs the named benchmarks, or all. */
public final class Benchmarks {
    /** A benchmark prints its own report; it throws when it cannot run. */
    @FunctionalInterface
    public interface Benchmark {
        void run() throws Exception;
    }

    private static final Map<String, Benchmark> ALL = new LinkedHashMap<>();

    static {
        ALL.put("console", new ConsoleIngestBench()::run);
        ALL.put("evidence", () -> dev.quorum.evidence.bench.ParserBenchmark.main(new String[0]));
        ALL.put("redaction", () -> dev.quorum.evidence.bench.RedactionBenchmark.main(new String[0]));
        ALL.put("votes", new dev.quorum.approval.VoteBench()::run);
        ALL.put("fsync", new dev.quorum.approval.FsyncBench()::run);
        ALL.put("agent", () -> dev.quorum.agent.bench.ResearchLoadBenchmark.main(new String[0]));
        ALL.put("agent-queue", () -> dev.quorum.agent.bench.ResearchQueueBenchmark.main(new String[0]));
        ALL.put("slack", () -> dev.quorum.chat.slack.bench.SlackAckBenchmark.main(new String[0]));
        ALL.put("sandbox", () -> dev.quorum.sandbox.bench.SandboxBenchmark.main(new String[0]));
        ALL.put("discord", () -> dev.quorum.chat.discord.DiscordAckBench.main(new String[0]));
        ALL.put("history", new HistoryBench()::run);
        ALL.put("remote", () -> dev.quorum.repo.remote.bench.RemoteVerifyBenchmark.main(new String[0]));
        ALL.put("load", () -> new dev.quorum.reliability.LoadBenchmark().run());
        ALL.put("insights", () -> dev.quorum.insights.bench.InsightsBenchmark.main(new String[0]));
    }

    public static void main(String[] args) throws Exception {
        List<String> names = args.length == 0 ? List.copyOf(ALL.keySet()) : List.of(args);
        for (String name : names) {
            Benchmark b = ALL.get(name);
            if (b == null) {
                System.err.println("unknown benchmark '" + name + "'; known: " + String.join(", ", ALL.keySet()));
                System.exit(2);
            }
            System.out.println("== " + name + " ==");
            b.run();
            System.out.println();
        }
        System.exit(0);
    }
}
