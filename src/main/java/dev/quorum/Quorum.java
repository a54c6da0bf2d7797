package dev.quorum;

import dev.quorum.agent.AgentCapability;
import dev.quorum.audit.AuditLog;
import dev.quorum.audit.CanonicalJson;
import dev.quorum.conversation.InboundPipeline;
import dev.quorum.conversation.Links;
import dev.quorum.conversation.Messenger;
import dev.quorum.conversation.Reply;
import dev.quorum.chat.console.ConsoleAdapter;
import dev.quorum.chat.console.ConsoleRoutes;
import dev.quorum.chat.discord.DiscordCapability;
import dev.quorum.chat.github.GitHubConversations;
import dev.quorum.chat.slack.SlackCapability;
import dev.quorum.command.CommandParser;
import dev.quorum.command.CommandLimits;
import dev.quorum.command.CommandRouter;
import dev.quorum.command.handlers.CancelHandler;
import dev.quorum.command.handlers.FreezeHandler;
import dev.quorum.command.handlers.HelpHandler;
import dev.quorum.command.handlers.HistoryHandler;
import dev.quorum.command.handlers.PolicyHandler;
import dev.quorum.command.handlers.StatusHandler;
import dev.quorum.command.handlers.UnfreezeHandler;
import dev.quorum.config.Directory;
import dev.quorum.config.QuorumConfig;
import dev.quorum.config.RepoConfig;
import dev.quorum.action.ActionCapability;
import dev.quorum.approval.ApprovalService;
import dev.quorum.evidence.EvidenceCapability;
import dev.quorum.command.handlers.RerunHandler;
import dev.quorum.request.RequestProgress;
import dev.quorum.repo.DemoRepository;
import dev.quorum.request.CancelBoard;
import dev.quorum.request.FreezeSwitch;
import dev.quorum.request.Request;
import dev.quorum.request.RequestMetrics;
import dev.quorum.request.RequestStore;
import dev.quorum.request.Requests;
import dev.quorum.request.WorkQueue;
import dev.quorum.request.WorkerPool;
import dev.quorum.store.EmbeddedRedis;
import dev.quorum.store.LegacyKeyNames;
import dev.quorum.store.Redis;
import dev.quorum.web.ApiRoutes;
import dev.quorum.web.ChatLinks;
import dev.quorum.web.ConsoleAuth;
import dev.quorum.web.HealthRoutes;
import dev.quorum.web.HttpEndpoint;
import dev.quorum.web.WebServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.core.VertxOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A running Quorum: wires every capability from the configuration, starts it, and stops it in
 * reverse order. This class only assembles; each part does its own job. Used by
 * {@code quorum serve} and, in-process, by the tests.
 */
public final class Quorum implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Quorum.class);
    /**
     * Lucene (the docs index) tells java.util.logging, at every start, that the incubating Vector
     * API is not readable "for optimal vector performance". Quorum's index is a few hundred small
     * passages without vectors, so there is nothing for an operator to do; adding the module
     * ({@code --add-modules jdk.incubator.vector}) would only make the JDK warn "Using incubator
     * modules" instead. Kept in a field: java.util.logging holds loggers weakly, and a collected
     * logger forgets its level.
     */
    private static final java.util.logging.Logger LUCENE_VECTORIZATION = quieted("org.apache.lucene.internal.vectorization");

    private final QuorumConfig config;
    private final Clock clock;
    private final String instanceId;
    private final List<AutoCloseable> closers = new ArrayList<>(); // closed newest first
    private volatile boolean ready;
    private Redis redis;
    private Vertx vertx;
    private WebServer web;
    private Requests requests;
    private AuditLog audit;
    private Messenger messenger;
    private CommandRouter router;
    private WorkQueue queue;
    private FreezeSwitch freeze;

    private final List<HttpEndpoint> extraEndpoints;

    private Quorum(QuorumConfig config, Clock clock, List<HttpEndpoint> extraEndpoints) {
        this.config = config;
        this.clock = clock;
        this.extraEndpoints = List.copyOf(extraEndpoints);
        this.instanceId = ManagementFactory.getRuntimeMXBean().getName().replace('@', '-') + "-" + UUID.randomUUID().toString().substring(0, 6);
    }

    /** Starts Quorum and returns once it serves HTTP; on failure everything started is stopped again. */
    public static Quorum start(QuorumConfig config, Clock clock) throws Exception {
        return start(config, clock, List.of());
    }

    /** Starts Quorum with more HTTP routes on its server (benchmarks mount their baseline route this way). */
    public static Quorum start(QuorumConfig config, Clock clock, List<HttpEndpoint> extraEndpoints) throws Exception {
        Quorum q = new Quorum(config, clock, extraEndpoints);
        try {
            q.boot();
            return q;
        } catch (Exception e) {
            q.close();
            throw e;
        }
    }

    private void boot() throws Exception {
        long started = System.nanoTime();
        Files.createDirectories(config.dataDir());
        redis = connectRedis();
        audit = AuditLog.open(redis, clock, config.dataDir());
        closers.add(audit.drainEvery(Duration.ofSeconds(5))); // seals what an instance that died after a change left in the outbox
        audit.append("config.loaded", "quorum", null, AuditLog.details(
                "instance", instanceId, "digest", CanonicalJson.sha256Hex(CanonicalJson.of(redacted(config)))));
        seedDemoRepositories();

        RequestStore store = new RequestStore(redis);
        backfillHistoryIndexes(store);
        dev.quorum.insights.Backfill.ifMissing(redis); // before any worker changes a request (rollups of an older store)
        queue = new WorkQueue(redis);
        requests = new Requests(store, audit, queue, clock, config.limits().maxQueuedJobs());
        freeze = new FreezeSwitch(redis);
        CancelBoard cancels = new CancelBoard(redis);
        closers.add(cancels);
        Directory directory = new Directory(config);
        if (!config.groups().containsKey(config.oncallGroup())) {
            LOG.warn("No group '{}' (oncall_group) is configured: nobody can freeze, unfreeze or cancel others' requests", config.oncallGroup());
        }

        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        vertx = Vertx.builder()
                .with(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)
                        .addLabels(Label.HTTP_METHOD, Label.HTTP_CODE, Label.HTTP_ROUTE)))
                .withMetrics(new MicrometerMetricsFactory(registry))
                .build();
        closers.add(() -> vertx.close().await(10, TimeUnit.SECONDS));
        closers.add(new RequestMetrics(registry, store, queue, Duration.ofSeconds(5)));

        messenger = new Messenger();
        int port = config.http().port() == 0 ? Ports.free() : config.http().port();
        Links links = new Links(config.http().linkBase(port));
        RequestProgress progress = new RequestProgress(messenger, store, links);
        Assembly a = new Assembly(config, clock, redis, audit, requests, messenger, progress, links, directory, freeze,
                cancels, instanceId);

        ConsoleAdapter console = new ConsoleAdapter(redis, clock);
        a.adapter(console);
        requests.onChange(console::announce);
        EvidenceCapability.Evidence evidence = EvidenceCapability.install(a);
        AgentCapability.install(a, evidence);
        SlackCapability.install(a);
        DiscordCapability.install(a);
        ApprovalService approvals = ActionCapability.install(a, evidence);
        GitHubConversations.install(a, approvals); // pull request comments as a conversation; GitHub's events act on requests at once
        installCoreCommands(a);

        closers.add(() -> closeInReverse(a.closers())); // the live list: afterStart hooks may still add to it
        router = new CommandRouter(new CommandParser(config.repos().keySet()), messenger, a.commands(),
                new CommandLimits(redis, config.limits(), queue::depth));
        InboundPipeline pipeline = new InboundPipeline(redis, messenger, router);
        closers.add(pipeline);
        WorkerPool workers = new WorkerPool(queue, instanceId, config.workers().concurrency(), a.jobs(), store, cancels,
                this::crashed, config.workers().heartbeat(), config.workers().reclaimAfter(), config.workers().maxAttempts(),
                (r, why) -> gaveUp(r, why, new dev.quorum.command.Reruns(a.rerunners())));
        workers.start();
        closers.add(workers);
        for (var adapter : a.adapters()) {
            messenger.register(adapter);
            adapter.start(pipeline);
            closers.add(adapter::stop);
        }

        ConsoleAuth auth = new ConsoleAuth(vertx, config.console(), config.http(), redis);
        List<HttpEndpoint> endpoints = new ArrayList<>(List.of(
                new HealthRoutes(vertx, redis, messenger, registry, () -> ready, version()),
                auth,
                new ConsoleRoutes(vertx, console, router, auth, links.base()),
                new ApiRoutes(vertx, auth, store, audit, a.facets(), a.logs(), a.diffs(), a.repos(), freeze,
                        (r, who) -> approvals.mayVote(r, who, Set.of()),
                        new ChatLinks(config.discord().guilds(), messenger::permalink, redis, ChatLinks.ASK_WAIT), ApiRoutes.People.of(directory))));
        endpoints.add(new dev.quorum.web.InsightsRoutes(vertx, auth, new dev.quorum.insights.Insights(redis, directory), directory,
                config.console(), clock));
        endpoints.addAll(a.endpoints());
        endpoints.addAll(extraEndpoints);
        web = new WebServer(vertx, config.http(), port, endpoints);
        web.start().await(30, TimeUnit.SECONDS);
        closers.add(() -> web.stop().await(5, TimeUnit.SECONDS));
        a.afterStartHooks().forEach(Runnable::run);
        ready = true;
        LOG.info("Quorum ready on {} ({} ms)", url(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    private static void closeInReverse(List<AutoCloseable> list) {
        for (int i = list.size() - 1; i >= 0; i--) {
            try {
                list.get(i).close();
            } catch (Exception e) {
                LOG.warn("Error while stopping: {}", e.toString());
            }
        }
    }

    /** The commands every Quorum has; registered last because they list what capabilities added. */
    private void installCoreCommands(Assembly a) {
        a.command(new HelpHandler(config));
        a.command(new PolicyHandler(config));
        a.command(new StatusHandler(requests, freeze, a.links(), a.details(), a.directory()));
        a.command(new HistoryHandler(requests, config, a.links(), a.directory()));
        a.command(new CancelHandler(requests, a.cancels(), a.directory(), a.oncall()));
        a.command(new FreezeHandler(freeze, a.oncall(), audit, clock));
        a.command(new UnfreezeHandler(freeze, a.oncall(), audit, actor -> a.afterUnfreezeHooks().forEach(h -> h.accept(actor))));
        a.command(new RerunHandler(requests, a.rerunners()));
        a.command(new dev.quorum.insights.IncidentHandler(redis, requests.store(), a.oncall(), audit, clock));
        dev.quorum.insights.DigestCapability.install(a); // digest command; digest.schedule posts it from one instance
    }

    private Redis connectRedis() throws Exception {
        Redis r;
        if (config.redis().embedded()) {
            EmbeddedRedis embedded = new EmbeddedRedis(config.dataDir().resolve("redis"), config.redis().embeddedPort(), config.redis().fsync());
            closers.add(embedded);
            r = Redis.connect(embedded.start());
        } else {
            r = Redis.connect(config.redis());
        }
        closers.add(r);
        LegacyKeyNames.upgrade(r);
        return r;
    }

    /**
     * A store from before the history's indexes gets them once, in the background: the history's newer filters see
     * the older requests once it is done, everything else works meanwhile.
     */
    private void backfillHistoryIndexes(RequestStore store) {
        dev.quorum.approval.ActionStore actions = new dev.quorum.approval.ActionStore(redis);
        Thread.ofVirtual().name("history-index-backfill").start(() -> {
            try {
                store.backfillIndexes(id -> actions.votes(id).stream().filter(v -> "approve".equals(v.vote()))
                        .map(v -> dev.quorum.conversation.Identity.parse(v.voter())).toList());
            } catch (RuntimeException e) {
                LOG.warn("Could not index the older requests for the history's filters; the next start tries again: {}", e.toString());
            }
        });
    }

    private void seedDemoRepositories() throws Exception {
        for (Map.Entry<String, RepoConfig> e : config.repos().entrySet()) {
            if (e.getValue().demo()) DemoRepository.createIfMissing(config.inData(e.getValue().path()).toAbsolutePath());
        }
    }

    /** A job crashed: fail its request visibly, with no internals in chat. */
    private void crashed(Request r, Exception e) {
        if (r.state().isTerminal()) return;
        var failed = dev.quorum.request.RequestState.FAILED;
        if (!dev.quorum.request.Lifecycle.allowed(r.type(), r.state(), failed)) return;
        requests.move(r, failed, "quorum", "internal error while working on it; see Quorum's log")
                .ifPresent(done -> messenger.post(r.origin(), Reply.error(r.id() + " failed: an internal error stopped it. An admin can find the details in Quorum's log.").about(r.id())));
    }

    /**
     * A job was delivered {@code workers.max_attempts} times without finishing: audit its dead letter, fail its request
     * visibly, and say how to go on for its type ({@link dev.quorum.command.Reruns}: {@code `rerun R12`} for an agent run).
     */
    private void gaveUp(Request r, String why, dev.quorum.command.Reruns reruns) {
        audit.append("job.dead_letter", "quorum", r.id(), AuditLog.details("state", r.state().wire(), "why", why));
        if (r.state().isTerminal() || !dev.quorum.request.Lifecycle.allowed(r.type(), r.state(), dev.quorum.request.RequestState.FAILED)) return;
        requests.move(r, dev.quorum.request.RequestState.FAILED, "quorum", why)
                .ifPresent(done -> messenger.post(r.origin(), Reply.error(r.id() + " failed: " + why + "."
                        + reruns.howToGoOn(r).map(next -> " " + Character.toUpperCase(next.charAt(0)) + next.substring(1) + ".").orElse(""))
                        .about(r.id())));
    }

    /** The config without secrets, for the config-loaded audit entry. */
    private static Object redacted(QuorumConfig c) {
        Map<String, Object> m = new java.util.TreeMap<>();
        m.put("repos", c.repos().keySet());
        m.put("environments", c.environments().keySet());
        m.put("policies", c.policies());
        m.put("groups", c.groups());
        m.put("people", c.people());
        m.put("console_demo", c.console().demo());
        m.put("model", c.model().provider());
        return m;
    }

    public static String version() {
        String v = Quorum.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /** The base URL Quorum serves on, e.g. {@code http://localhost:8080}. */
    public String url() {
        String host = config.http().host();
        if (host.equals("0.0.0.0") || host.equals("::") || host.equals("127.0.0.1")) host = "localhost";
        return "http://" + host + ":" + port();
    }

    public int port() {
        return web.port();
    }

    public boolean ready() {
        return ready;
    }

    public QuorumConfig config() {
        return config;
    }

    public Redis redis() {
        return redis;
    }

    public Requests requests() {
        return requests;
    }

    public AuditLog audit() {
        return audit;
    }

    public Messenger messenger() {
        return messenger;
    }

    public CommandRouter router() {
        return router;
    }

    public FreezeSwitch freeze() {
        return freeze;
    }

    public String instanceId() {
        return instanceId;
    }

    @Override
    public void close() {
        boolean wasReady = ready;
        ready = false;
        closeInReverse(closers);
        closers.clear();
        if (wasReady) LOG.info("Quorum stopped");
    }

    private static java.util.logging.Logger quieted(String name) {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
        logger.setLevel(java.util.logging.Level.SEVERE);
        return logger;
    }

    /** For diagnostics: where the data lives. */
    public Path dataDir() {
        return config.dataDir();
    }
}
