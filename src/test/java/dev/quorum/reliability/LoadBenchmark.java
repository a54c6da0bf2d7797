package dev.quorum.reliability;

import dev.quorum.bench.Latencies;
import dev.quorum.reliability.FaultWorld.Instance;
import dev.quorum.reliability.FaultWorld.Said;
import dev.quorum.request.RequestState;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static dev.quorum.agent.testing.FakeOpenAiServer.call;
import static dev.quorum.agent.testing.FakeOpenAiServer.text;
import static dev.quorum.agent.testing.FakeOpenAiServer.toolCalls;

/**
 * {@code bench/run.sh load}: two Quorum JVMs on one redis-server (the fault-injection suite's {@link FaultWorld}),
 * 60 s of a mixed stream sent open-loop at 20 operations a second, round-robin to both instances: console chat
 * commands ({@code status}, {@code help}, {@code history}, {@code policy}), and every 2 s in turn a test run, a
 * coding request (the fake model asks for one {@code write_file}, then answers; its tests run), a deploy to
 * {@code canary} (verified by a test run) and bob's approval of the oldest deploy awaiting one (which executes it).
 * Then the same with one instance SIGKILLed at 30 s, not replaced: a command sent to the dead instance fails on the
 * client's side (connection refused) and is counted apart, then sent again to the survivor, as a load balancer or a
 * retrying client does; one that was on its way when the instance died (the connection dropped, no answer) is
 * counted apart too and not sent again, since the dead instance may have done it. After each phase every acknowledged request must reach a final state.
 *
 * <p>The floor, sampled at the same rate in the same run: {@code GET /health} on the same instances (HTTP, routing,
 * a Redis PING inside Quorum) and a bare Redis {@code PING} from the benchmark's JVM.
 */
public final class LoadBenchmark {
    /** {@code -Dload.seconds=6} for a quick look at the harness; the numbers in bench/README.md are of 60. */
    private static final Duration PHASE = Duration.ofSeconds(Long.getLong("load.seconds", 60));
    private static final Duration WARM_UP = PHASE.dividedBy(6);
    private static final long PERIOD_MS = 50;
    private static final List<String> CHAT = List.of("status", "help", "history last 5", "policy deploy.canary");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private FaultWorld w;

    /** One phase's counts and latencies; latencies are added under the phase's lock. */
    private static final class Phase {
        final String name;
        final Latencies commands = new Latencies();
        final Latencies health = new Latencies();
        final Latencies ping = new Latencies();
        final AtomicInteger sent = new AtomicInteger();
        final AtomicInteger acked = new AtomicInteger();
        final AtomicInteger errors = new AtomicInteger();
        final AtomicInteger deadInstance = new AtomicInteger();
        final AtomicInteger inFlightAtKill = new AtomicInteger();
        final Queue<String> opened = new ConcurrentLinkedQueue<>();
        final Queue<String> errorSamples = new ConcurrentLinkedQueue<>();
        long elapsedNanos;
        long notFinal;

        Phase(String name) {
            this.name = name;
        }

        synchronized void add(Latencies to, long nanos) {
            to.add(nanos);
        }
    }

    public void run() throws Exception {
        Path dir = Files.createTempDirectory("quorum-bench-load");
        try (FaultWorld world = new FaultWorld(dir)) {
            w = world;
            Thread cleanUp = new Thread(() -> {
                try {
                    world.close(); // an interrupted run leaves no Quorum or redis-server behind
                } catch (Exception ignored) {
                    // exiting anyway
                }
            });
            Runtime.getRuntime().addShutdownHook(cleanUp);
            w.model.respondWith(received -> {
                JsonArray messages = received.json().getJsonArray("messages", new JsonArray());
                boolean toolAnswered = messages.stream().anyMatch(m -> m instanceof JsonObject o && "tool".equals(o.getString("role")));
                return toolAnswered ? text("Wrote the file.") : toolCalls(call("write_file",
                        "{\"path\":\"load-" + System.nanoTime() + ".txt\",\"content\":\"load\\n\"}"));
            });
            List<Instance> both = List.of(w.first(), w.second());
            drive(new Phase("warm-up"), both, WARM_UP, null);
            long seconds = PHASE.toSeconds();
            Phase steady = drive(new Phase("2 instances, " + seconds + " s"), both, PHASE, null);
            Phase killed = drive(new Phase("2 instances, one SIGKILLed at " + seconds / 2 + " s"), both, PHASE, both.get(0));
            report(List.of(steady, killed));
            Runtime.getRuntime().removeShutdownHook(cleanUp);
        }
    }

    /** Sends the stream to {@code to} for {@code length}; kills {@code victim} half-way (if not null); waits for the work. */
    private Phase drive(Phase p, List<Instance> to, Duration length, Instance victim) throws Exception {
        Queue<String> deploys = new ConcurrentLinkedQueue<>();
        AtomicLong n = new AtomicLong();
        boolean[] dead = new boolean[to.size()];
        long start = System.nanoTime();
        long killAt = start + length.toNanos() / 2;
        // platform threads: with virtual ones the run stalled for minutes, every carrier pinned (not looked into further)
        ExecutorService ops = Executors.newFixedThreadPool(64);
        try {
            long next = start;
            while (next - start < length.toNanos()) {
                if (victim != null && !dead[to.indexOf(victim)] && System.nanoTime() >= killAt) {
                    victim.process().kill(); // SIGKILL, no replacement: the survivor takes the dead one's jobs over
                    dead[to.indexOf(victim)] = true;
                }
                long i = n.getAndIncrement();
                Instance target = to.get((int) (i % to.size()));
                Instance other = to.get((int) ((i + 1) % to.size()));
                ops.execute(() -> command(p, target, other, i, deploys));
                ops.execute(() -> floor(p, target));
                next += TimeUnit.MILLISECONDS.toNanos(PERIOD_MS);
                long wait = next - System.nanoTime();
                if (wait > 0) Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
        } finally {
            ops.shutdown();
            ops.awaitTermination(2, TimeUnit.MINUTES);
        }
        p.elapsedNanos = System.nanoTime() - start;
        for (String id : deploys) { // the stream's last deploys get their approval too, so that they can end
            if (w.awaitQuietly(id, "awaiting_approval")) w.say0(to.get(dead[0] ? 1 : 0), "bob", "approve " + id);
        }
        // every acknowledged request must end: the survivor takes over the dead one's jobs (a deploy it killed ends
        // failed: interrupted once the dead holder's 30 s lease runs out)
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline && (p.notFinal = notFinal(p)) > 0) Thread.sleep(500);
        return p;
    }

    private long notFinal(Phase p) {
        return p.opened.stream().filter(id -> {
            String s = w.state(id);
            return s == null || !RequestState.fromWire(s).isTerminal();
        }).count();
    }

    private void command(Phase p, Instance target, Instance other, long i, Queue<String> deploys) {
        String user = List.of("alice", "bob", "carol").get((int) (i % 3));
        String text = switch ((int) (i % 40)) {
            case 0 -> "test app";
            case 10 -> "code in app write a file";
            case 20 -> "deploy canary main";
            case 30 -> {
                String id = deploys.peek();
                if (id != null && "awaiting_approval".equals(w.state(id))) {
                    deploys.poll();
                    user = "bob";
                    yield "approve " + id;
                }
                yield "status";
            }
            default -> CHAT.get((int) (i % CHAT.size()));
        };
        if (text.startsWith("deploy")) user = "alice"; // bob approves it
        p.sent.incrementAndGet();
        long t0 = System.nanoTime();
        Said said = w.say0(target, user, text);
        if (said.status() == 0 && said.body().contains("ConnectException")) { // the dead instance: the client retries
            p.deadInstance.incrementAndGet();
            t0 = System.nanoTime();
            said = w.say0(other, user, text);
        }
        p.add(p.commands, System.nanoTime() - t0);
        if (said.status() == 0 && !target.process().handle().isAlive()) {
            // on its way when the instance died: not acknowledged, and not sent again, since it may have been done
            p.inFlightAtKill.incrementAndGet();
            return;
        }
        if (said.status() != 202) {
            p.errors.incrementAndGet();
            if (p.errorSamples.size() < 5) p.errorSamples.add(text + " -> " + said.status() + " " + said.body());
            return;
        }
        p.acked.incrementAndGet();
        if (said.requestId() != null && !text.startsWith("approve")) {
            p.opened.add(said.requestId());
            if (text.startsWith("deploy")) deploys.add(said.requestId());
        }
    }

    private void floor(Phase p, Instance target) {
        try {
            long t0 = System.nanoTime();
            HttpResponse<Void> res = http.send(HttpRequest.newBuilder(URI.create(target.process().url() + "/health")).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            if (res.statusCode() == 200) p.add(p.health, System.nanoTime() - t0);
        } catch (IOException | InterruptedException deadInstance) {
            // the killed instance has no floor to measure
        }
        long t0 = System.nanoTime();
        w.store.sync().ping();
        p.add(p.ping, System.nanoTime() - t0);
    }

    private static void report(List<Phase> phases) {
        System.out.println("| phase | commands sent | acked | acked/s | p50 ms | p99 ms | errors | sent to the dead instance (retried) "
                + "| in flight at the kill (dropped) | requests opened | not final at the end |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (Phase p : phases) {
            System.out.printf("| %s | %d | %d | %.1f | %.2f | %.1f | %d | %d | %d | %d | %d |%n", p.name, p.sent.get(), p.acked.get(),
                    p.acked.get() / (p.elapsedNanos / 1e9), p.commands.percentileMillis(50), p.commands.percentileMillis(99),
                    p.errors.get(), p.deadInstance.get(), p.inFlightAtKill.get(), p.opened.size(), p.notFinal);
        }
        System.out.println();
        System.out.println("| phase | floor | p50 ms | p99 ms | command/floor p50 | command/floor p99 |");
        System.out.println("|---|---|---:|---:|---:|---:|");
        for (Phase p : phases) {
            for (var floor : List.of(java.util.Map.entry("GET /health", p.health), java.util.Map.entry("Redis PING", p.ping))) {
                System.out.printf("| %s | %s | %.2f | %.1f | %.1fx | %.1fx |%n", p.name, floor.getKey(), floor.getValue().percentileMillis(50),
                        floor.getValue().percentileMillis(99), p.commands.percentileMillis(50) / floor.getValue().percentileMillis(50),
                        p.commands.percentileMillis(99) / floor.getValue().percentileMillis(99));
            }
        }
        for (Phase p : phases) p.errorSamples.forEach(e -> System.out.println("error in " + p.name + ": " + e));
    }
}
