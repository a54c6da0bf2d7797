package dev.quorum.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quorum.agent.testing.AgentConfigs;
import dev.quorum.agent.testing.FakeOpenAiServer;
import dev.quorum.agent.testing.QuorumProcess;
import dev.quorum.request.RequestState;
import dev.quorum.request.RequestStore;
import dev.quorum.request.WorkQueue;
import dev.quorum.store.Redis;
import dev.quorum.testing.GitHttpServer;
import dev.quorum.testing.KillableRedis;
import dev.quorum.testing.QuorumHarness;
import dev.quorum.testing.TestRepo;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.models.stream.PendingMessage;
import org.eclipse.jgit.api.ResetCommand;
import org.eclipse.jgit.transport.RefSpec;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * What the fault-injection scenarios share: one real redis-server (AOF, fsync always) that can be killed and started
 * again, two Quorum JVMs on it that can be SIGKILLed (a replacement starts at once, in the background, as a supervisor
 * would start one), a local repo {@code app} whose test and deploy scripts record every run in a file and wait while a
 * hold file exists, a repo {@code web} on a git server whose pre-receive hook does the same for every push, and a fake
 * OpenAI-compatible model on 127.0.0.1.
 *
 * <p>Every instance has the same config: short heartbeats and reclaim (a dead instance's job is taken over after 2 s),
 * two jobs at once per instance, no command rate limits (the scenarios send commands faster than a team would), and
 * six deliveries per job: a merge's or deploy's takeover that waits for the dead holder's lock may be on an instance
 * that a later scenario kills, and each such kill counts as a delivery.
 */
final class FaultWorld implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(25);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "tok-fault-0a1b2c3d4e5f";

    /** A running Quorum JVM, by the name its data folder and log carry. */
    record Instance(String name, QuorumProcess process) {
        long pid() {
            return process.handle().pid();
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** A command's answer: HTTP status, and the request it opened or voted on ({@code null}: none). */
    record Said(int status, String requestId, String body) {}

    final Path dir;
    final KillableRedis redis;
    final Redis store;
    final FakeOpenAiServer model = FakeOpenAiServer.start();
    private final GitHttpServer git;
    final Path web;
    private final TestRepo app;
    private final TestRepo work;
    private final Path config;
    private final String yaml;
    private final Map<String, String> env;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<Instance> live = new CopyOnWriteArrayList<>();
    private final List<Instance> all = new CopyOnWriteArrayList<>();
    private final List<CompletableFuture<Instance>> starting = new CopyOnWriteArrayList<>();
    private int started;
    /** How long each instance took from its JVM's start to {@code Quorum ready}. */
    final List<Long> startMillis = new CopyOnWriteArrayList<>();

    FaultWorld(Path dir) throws Exception {
        this.dir = dir;
        redis = new KillableRedis(dir.resolve("redis")).start();
        store = Redis.connect(redis.uri());
        app = TestRepo.init(dir.resolve("app"));
        app.commit("app", Map.of("run-tests.sh", """
                #!/bin/sh
                echo "$$" >> %1$s/test-runs
                while [ -f %1$s/hold-tests ]; do sleep 0.05; done
                mkdir -p reports
                echo "<testsuite name='t'><testcase classname='t' name='a'/></testsuite>" > reports/TEST-t.xml
                """.formatted(dir), "deploy.sh", """
                #!/bin/sh
                echo "$QUORUM_ENV $QUORUM_SHA" >> %1$s/deploys
                while [ -f %1$s/hold-deploy ]; do sleep 0.05; done
                """.formatted(dir)));

        git = new GitHttpServer(dir.resolve("served")).token(TOKEN);
        web = git.createBare("web");
        work = TestRepo.init(dir.resolve("web-work"));
        String passing = "#!/bin/sh\nmkdir -p reports\necho \"<testsuite name='w'><testcase classname='w' name='a'/></testsuite>\" > reports/TEST-w.xml\n";
        String base = work.commit("web", Map.of("run-tests.sh", passing, "README.md", "web\n"));
        work.branch("feature", work.commit("feature", Map.of("feature.txt", "feature\n")));
        work.git().reset().setMode(ResetCommand.ResetType.HARD).setRef(base).call();
        for (String ref : List.of("refs/heads/main", "refs/heads/feature")) {
            work.git().push().setRemote(web.toString()).setRefSpecs(new RefSpec(ref + ":" + ref)).call();
        }
        Path hook = web.resolve("hooks/pre-receive");
        Files.writeString(hook, "#!/bin/sh\ncat >> %1$s/pushes\nwhile [ -f %1$s/hold-merge ]; do sleep 0.05; done\n".formatted(dir));
        Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path credentials = Files.writeString(dir.resolve("git-token"), TOKEN + "\n");

        yaml = """
                console: {demo: true, users: {alice: {}, bob: {}, carol: {}, dave: {}}}
                groups: {engineers: [console:alice, console:bob, console:carol, console:dave]}
                default_repo: web
                repos:
                  app: {path: %s, test_command: sh run-tests.sh, reports: ["reports/*.xml"], test_timeout: 60s, sandbox: off}
                  web: {url: "%s", credentials: "file:%s", test_command: sh run-tests.sh, reports: ["reports/*.xml"], test_timeout: 60s, sandbox: off}
                environments:
                  staging: {repo: app, command: sh deploy.sh, timeout: 2m}
                  canary: {repo: app, command: sh deploy.sh, timeout: 2m}
                  production: {repo: app, command: sh deploy.sh, timeout: 2m}
                policies:
                  merge: {approvals: 1, eligible: [engineers]}
                  deploy.staging: {approvals: 2, eligible: [engineers]}
                  deploy.canary: {approvals: 1, eligible: [engineers]}
                  deploy.production: {approvals: 1, eligible: [engineers]}
                model: {max_retries: 0, prices: %s}
                workers: {concurrency: 2, heartbeat: 250ms, reclaim_after: 2s, max_attempts: 6}
                limits: {user_per_minute: 0, channel_per_minute: 0}
                """.formatted(app.dir().toAbsolutePath(), git.url("web"), credentials, AgentConfigs.PRICES);
        config = Files.writeString(dir.resolve("quorum.yaml"), yaml);
        env = new HashMap<>(AgentConfigs.openAi(model));
        env.put("REDIS_URL", redis.uri());
        env.put("QUORUM_HTTP_PORT", "0");
        // C1 only and one GC thread: a Quorum JVM on two busy cores is ready sooner, and these runs are short
        env.put("JAVA_TOOL_OPTIONS", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC");
        replace();
        replace();
        awaitTwoLive();
    }

    // ---- instances -----------------------------------------------------------------------------------------------

    /** Starts one more instance in the background: what a supervisor does when one dies. */
    void replace() {
        String name;
        synchronized (this) {
            name = "q" + ++started;
        }
        starting.add(CompletableFuture.supplyAsync(() -> {
            try {
                Path data = dir.resolve("data-" + name);
                Map<String, String> mine = new HashMap<>(env);
                mine.put("QUORUM_DATA", data.toString());
                QuorumHarness.config(data, yaml, mine); // the seal key every instance on one Redis shares
                long t0 = System.nanoTime();
                Instance i = new Instance(name, QuorumProcess.start(config, mine, dir.resolve(name + ".log")));
                startMillis.add((System.nanoTime() - t0) / 1_000_000);
                all.add(i);
                live.add(i);
                return i;
            } catch (Exception e) {
                throw new IllegalStateException("instance " + name + " did not start", e);
            }
        }, runnable -> Thread.ofVirtual().start(runnable)));
    }

    /** Waits for the instances being started, so that the next fault meets two. */
    void awaitTwoLive() throws Exception {
        for (CompletableFuture<Instance> f : starting) f.get(60, TimeUnit.SECONDS);
        starting.clear();
        if (live.size() != 2) throw new IllegalStateException("expected two live instances, have " + live);
    }

    Instance first() {
        return live.get(0);
    }

    Instance second() {
        return live.get(1);
    }

    /** The instance started last that is alive: the first one when its peer's replacement is still starting. */
    Instance last() {
        return live.get(live.size() - 1);
    }

    /** SIGKILLs {@code i} and starts its replacement in the background. */
    void kill(Instance i) throws InterruptedException {
        i.process().kill();
        live.remove(i);
        replace();
    }

    /** Once two instances live, SIGKILLs the one holding {@code requestId}'s job (see {@link #kill}); returns it. */
    Instance killHolderOf(String requestId) throws Exception {
        awaitTwoLive(); // the replacement of the last killed instance has started meanwhile
        Instance holder = holderOf(requestId);
        kill(holder);
        return holder;
    }

    /** The live instance whose worker holds {@code requestId}'s job (the consumer names carry the JVM's pid). */
    Instance holderOf(String requestId) throws InterruptedException {
        Instance[] found = new Instance[1];
        await("an instance to hold " + requestId + "'s job", () -> {
            for (StreamMessage<String, String> m : store.sync().xrange(WorkQueue.STREAM, Range.create("-", "+"))) {
                if (!requestId.equals(m.getBody().get("request"))) continue;
                // "workers": WorkQueue's consumer group, which only the queue itself names
                for (PendingMessage p : store.sync().xpending(WorkQueue.STREAM, "workers", Range.create(m.getId(), m.getId()), Limit.from(1))) {
                    for (Instance i : live) if (p.getConsumer().startsWith(i.pid() + "-")) found[0] = i;
                }
            }
            return found[0] != null;
        });
        return found[0];
    }

    /** Jobs each live instance's workers hold now (delivered, not yet acknowledged). */
    Map<Instance, Long> jobsHeld() {
        Map<Instance, Long> held = new HashMap<>();
        for (Instance i : live) held.put(i, 0L);
        store.sync().xpending(WorkQueue.STREAM, "workers").getConsumerMessageCount().forEach((consumer, n) -> {
            for (Instance i : live) if (consumer.startsWith(i.pid() + "-")) held.merge(i, n, Long::sum);
        });
        return held;
    }

    /**
     * Fills every worker of one instance with held test runs (opened one at a time on {@code to}, each waiting until
     * a worker took it), since a worker with no free slot takes nothing from the queue: the next jobs go to the other
     * instance.     *
     * @return the requests opened, and the instance left with free workers
     */
    Filled fillOneInstance(Instance to, int slots) throws Exception {
        hold("tests");
        List<String> ids = new ArrayList<>();
        Map<Instance, Integer> taken = new HashMap<>();
        while (true) {
            String id = open(to, "alice", "test app");
            ids.add(id);
            Instance holder = holderOf(id);
            if (taken.merge(holder, 1, Integer::sum) == slots) {
                return new Filled(ids, live.stream().filter(i -> i != holder).findFirst().orElseThrow());
            }
        }
    }

    record Filled(List<String> requests, Instance free) {}

    // ---- commands and reads --------------------------------------------------------------------------------------

    /** {@code POST /api/console/messages} to {@code i} as {@code user}. */
    Said say(Instance i, String user, String text) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(i.process().url() + "/api/console/messages"))
                .timeout(Duration.ofSeconds(15)).header("Content-Type", "application/json").header("X-Quorum-User", user)
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("text", text)))).build();
        HttpResponse<String> res = http.send(request, HttpResponse.BodyHandlers.ofString());
        JsonNode body = parse(res.body());
        JsonNode id = body.path("request_id");
        return new Said(res.statusCode(), id.isTextual() ? id.asText() : null, res.body());
    }

    /** Opens a request by a command that must be acknowledged. */
    String open(Instance i, String user, String text) throws Exception {
        Said said = say(i, user, text);
        if (said.status() != 202 || said.requestId() == null) {
            throw new AssertionError("`" + text + "` to " + i + " was not acknowledged with a request: " + said);
        }
        return said.requestId();
    }

    /** {@link #say}, with a connection error or a timeout as status 0 (the instance is dead or hangs). */
    Said say0(Instance i, String user, String text) {
        try {
            return say(i, user, text);
        } catch (Exception e) {
            return new Said(0, null, e.toString());
        }
    }

    /** {@code GET path} from the first live instance that answers 200. */
    JsonNode get(String path) throws Exception {
        for (Instance i : live) {
            try {
                HttpRequest request = HttpRequest.newBuilder(URI.create(i.process().url() + path)).timeout(Duration.ofSeconds(15)).GET().build();
                HttpResponse<String> res = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (res.statusCode() == 200) return parse(res.body());
            } catch (IOException dead) {
                // try the other instance
            }
        }
        throw new AssertionError("no live instance answered GET " + path);
    }

    /** {@link #get}, or a missing node when no instance answers (for polling). */
    JsonNode get0(String path) {
        try {
            return get(path);
        } catch (Exception | AssertionError e) {
            return JSON.missingNode();
        }
    }

    /** {@code SHUTDOWN} (the AOF is complete), then the same server started again on the same folder and port. */
    void restartRedis() throws Exception {
        try {
            store.sync().shutdown(false);
        } catch (RuntimeException connectionClosed) {
            // the server closes the connection as it exits
        }
        await("redis-server to exit", () -> !redis.alive());
        redis.start();
    }

    /** The request's state as Redis holds it. */
    String state(String id) {
        return store.sync().hget(RequestStore.key(id), "state");
    }

    void awaitState(String id, String state) throws InterruptedException {
        await(id + " to be " + state, () -> state.equals(state(id)));
    }

    /** Whether the request reaches {@code state} (or is in it) within {@link #WAIT}. */
    boolean awaitQuietly(String id, String state) throws InterruptedException {
        try {
            awaitState(id, state);
            return true;
        } catch (AssertionError notThere) {
            return false;
        }
    }

    /** Waits until each request is in a final state; returns {@code R1 succeeded, R2 failed}. */
    String awaitFinal(List<String> ids, Duration within) throws InterruptedException {
        for (String id : ids) {
            await(id + " to reach a final state", within, () -> {
                String s = state(id);
                return s != null && RequestState.fromWire(s).isTerminal();
            });
        }
        List<String> states = new ArrayList<>();
        for (String id : ids) states.add(id + " " + state(id));
        return String.join(", ", states);
    }

    // ---- files the scripts write ---------------------------------------------------------------------------------

    void hold(String what) throws IOException {
        Files.writeString(dir.resolve("hold-" + what), "");
    }

    void release(String what) throws IOException {
        Files.deleteIfExists(dir.resolve("hold-" + what));
    }

    /** Lines a script appended to {@code file} ({@code test-runs}, {@code deploys}, {@code pushes}). */
    List<String> lines(String file) throws IOException {
        Path p = dir.resolve(file);
        return Files.exists(p) ? Files.readAllLines(p) : List.of();
    }

    long linesStartingWith(String file, String prefix) throws IOException {
        return lines(file).stream().filter(l -> l.startsWith(prefix)).count();
    }

    /** {@code git} in the served bare repository {@code web}. */
    String webGit(String... args) throws Exception {
        return GitHttpServer.git(web, args);
    }

    // ---- the audit -----------------------------------------------------------------------------------------------

    /**
     * Empty when the audit chain verifies and holds every state change of {@code ids}: each request's
     * {@code request.state} entries run from {@code queued} without a gap ({@code from} is the previous {@code to})
     * and end in the state Redis holds. A change whose entry was lost breaks that chain.
     */
    Optional<String> auditProblem(List<String> ids) throws Exception {
        JsonNode verify = get("/api/audit/verify");
        if (!verify.path("ok").asBoolean()) return Optional.of("the chain does not verify: " + verify);
        Map<String, List<JsonNode>> changes = new HashMap<>();
        String after = "0-0";
        while (true) {
            JsonNode page = get("/api/audit?limit=1000&after=" + after).path("entries");
            for (JsonNode e : page) {
                if (e.path("type").asText().equals("request.state")) {
                    changes.computeIfAbsent(e.path("request_id").asText(), k -> new ArrayList<>()).add(e.path("data"));
                }
                after = e.path("id").asText();
            }
            if (page.size() < 1000) break;
        }
        for (String id : ids) {
            String at = "queued";
            for (JsonNode change : changes.getOrDefault(id, List.of())) {
                if (!change.path("from").asText().equals(at)) {
                    return Optional.of(id + ": the chain has " + change + " after " + at + ": a change in between is missing");
                }
                at = change.path("to").asText();
            }
            if (!at.equals(state(id))) return Optional.of(id + " is " + state(id) + " but its last audited state is " + at);
        }
        return Optional.empty();
    }

    // ---- waiting -------------------------------------------------------------------------------------------------

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        await(what, WAIT, condition);
    }

    static void await(String what, Duration within, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            boolean met;
            try {
                met = condition.getAsBoolean();
            } catch (RuntimeException storeDown) {
                met = false; // Redis restarting: ask again
            }
            if (met) return;
            if (System.nanoTime() > deadline) throw new AssertionError("timed out after " + within.toSeconds() + " s waiting for " + what);
            Thread.sleep(25);
        }
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return JSON.getNodeFactory().textNode(body);
        }
    }

    /** WARN and ERROR lines the live instances logged so far. */
    long warnings() throws IOException {
        long n = 0;
        for (Instance i : live) {
            try (var lines = Files.lines(dir.resolve(i.name() + ".log"))) {
                n += lines.filter(l -> l.contains(" WARN ") || l.contains(" ERROR ")).count();
            }
        }
        return n;
    }

    /** The logs of every instance, for a failing scenario's message. */
    String logs() {
        StringBuilder b = new StringBuilder();
        for (Instance i : all) {
            try {
                List<String> lines = Files.readAllLines(dir.resolve(i.name() + ".log"));
                b.append("\n--- ").append(i.name()).append(live.contains(i) ? "" : " (killed)").append(" ---\n");
                lines.stream().filter(l -> l.contains("WARN") || l.contains("ERROR") || l.contains(" -> ")).forEach(l -> b.append(l).append('\n'));
            } catch (IOException e) {
                b.append("no log of ").append(i.name());
            }
        }
        return b.toString();
    }

    @Override
    public void close() throws Exception {
        for (String what : List.of("tests", "deploy", "merge")) release(what); // orphaned scripts of killed instances end
        for (CompletableFuture<Instance> f : starting) f.handle((i, e) -> i).get(60, TimeUnit.SECONDS);
        for (Instance i : all) i.process().close();
        model.close();
        store.close();
        redis.close();
        git.close();
        app.close();
        work.close();
    }
}
