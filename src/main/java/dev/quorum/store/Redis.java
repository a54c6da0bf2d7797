package dev.quorum.store;

import dev.quorum.config.ConfigException;
import dev.quorum.config.RedisConfig;
import dev.quorum.config.SecretRef;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.MaintNotificationsConfig;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCredentials;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.lettuce.core.SslVerifyMode;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.BaseRedisCommands;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.event.ClusterTopologyChangedEvent;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.protocol.ConnectionIntent;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Quorum's Redis connections. One shared, multiplexed connection serves all ordinary commands
 * (Lettuce connections are thread-safe); blocking reads ({@code XREADGROUP BLOCK}) and pub/sub
 * each get a dedicated connection so they never stall the shared one. Commands here block the
 * caller: call them from virtual threads, never from an event loop.
 */
public final class Redis implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Redis.class);
    /**
     * How soon after a lost connection Lettuce tries again: from 100 ms up to once a second
     * (Lettuce's own default grows to 30 s), so Quorum is back within a second of Redis.
     */
    private static final Duration RECONNECT_FIRST = Duration.ofMillis(100);
    private static final Duration RECONNECT_MAX = Duration.ofSeconds(1);
    private static final Duration CONNECT_SETTLE = Duration.ofSeconds(2);
    /**
     * A Cluster's slot map is read again this often, and at once on a MOVED or ASK redirect or when
     * a node's connection keeps failing: a failover is seen within seconds, not at the next restart.
     */
    private static final Duration TOPOLOGY_REFRESH = Duration.ofSeconds(30);
    private static final Duration ADAPTIVE_REFRESH_AT_MOST_EVERY = Duration.ofSeconds(1);
    /** Lettuce's words for a command refused because the connection is down. */
    private static final String NOT_YET_CONNECTED = "Currently not connected. Commands are rejected.";
    private final ClientResources resources;
    private final Topology topology;
    private final Connection shared;
    private final List<StatefulConnection<String, String>> dedicated = new CopyOnWriteArrayList<>();
    private final Durability durability;

    private Redis(ClientResources resources, Topology topology, Durability durability) {
        this.resources = resources;
        this.topology = topology;
        this.shared = topology.connect();
        this.durability = durability;
    }

    /**
     * Where Quorum's keys live: one server (given directly or found through Sentinel, which Lettuce
     * asks again for the master's address at every reconnect), or a Cluster, where all of them
     * are on the node that holds the slot of {@code {q}}.
     */
    sealed interface Topology {
        AbstractRedisClient client();

        /** A new command connection that has answered a PING. */
        Connection connect();

        StatefulRedisPubSubConnection<String, String> connectPubSub();

        /** Commands on the node that holds Quorum's slot, over {@code via}'s own connection to it. */
        RedisClusterCommands<String, String> home(Connection via);
    }

    /** A connection and its command interfaces, the same for one server and a Cluster. */
    record Connection(StatefulConnection<String, String> connection, RedisClusterCommands<String, String> sync,
                      RedisClusterAsyncCommands<String, String> async) {
        static Connection of(StatefulRedisConnection<String, String> c) {
            return new Connection(c, c.sync(), c.async());
        }

        static Connection of(StatefulRedisClusterConnection<String, String> c) {
            return new Connection(c, c.sync(), c.async());
        }
    }

    private record Single(RedisClient client) implements Topology {
        @Override
        public Connection connect() {
            return Connection.of(active(client.connect(), StatefulRedisConnection::sync));
        }

        @Override
        public StatefulRedisPubSubConnection<String, String> connectPubSub() {
            return active(client.connectPubSub(), StatefulRedisPubSubConnection::sync);
        }

        /** The master, Sentinel or not: WAIT on the connection passed, which carried its writes. */
        @Override
        public RedisClusterCommands<String, String> home(Connection via) {
            return via.sync();
        }
    }

    private record Cluster(RedisClusterClient client, List<StatefulRedisClusterConnection<String, String>> opened) implements Topology {
        /** The slot of every Quorum key: they all start with the hash tag {@code {q}} (see {@link LegacyKeyNames}). */
        static final int QUORUM_SLOT = SlotHash.getSlot("{q}");

        /**
         * A failover inside the Cluster promotes a replica, a node these connections never sent a command to; Lettuce
         * routes to it once its topology refresh sees it (within a second or so), and, with {@code REJECT_COMMANDS},
         * refuses the first command of each connection there while it opens the node's connection (the same refusal
         * {@link #connect} avoids at start). So at each topology change every connection is opened to the new masters at
         * once, off Lettuce's threads, rather than at the cost of a member's command or a job's step (RedisClusterFailoverTest).
         */
        Cluster(RedisClusterClient client) {
            this(client, new CopyOnWriteArrayList<>());
            client.getResources().eventBus().get().ofType(ClusterTopologyChangedEvent.class)
                    .subscribe(e -> Thread.ofVirtual().name("redis-cluster-topology").start(() -> moved(e)));
        }

        /**
         * Also opens its connections to every master that holds slots, for reads and for writes (Lettuce keeps one of
         * each per node): Lettuce opens them at the first command routed there and, with {@code REJECT_COMMANDS},
         * refuses that command. Even a PUBLISH is routed by its channel's slot. A master that holds no slot (one that
         * died and was replaced, until it is forgotten or comes back as a replica) gets no command and is left out:
         * connecting to it would fail and keep Quorum from starting after a failover.
         */
        @Override
        public Connection connect() {
            StatefulRedisClusterConnection<String, String> c = active(client.connect(), StatefulRedisClusterConnection::sync);
            try {
                for (RedisClusterNode node : c.getPartitions()) {
                    if (servesSlots(node)) openTo(c, node);
                }
                opened.add(c);
                return Connection.of(c);
            } catch (RuntimeException e) {
                c.close();
                throw e;
            }
        }

        private static boolean servesSlots(RedisClusterNode node) {
            return node.is(RedisClusterNode.NodeFlag.UPSTREAM) && !node.is(RedisClusterNode.NodeFlag.FAIL) && !node.getSlots().isEmpty();
        }

        private static void openTo(StatefulRedisClusterConnection<String, String> c, RedisClusterNode node) {
            for (ConnectionIntent intent : ConnectionIntent.values()) {
                settled(() -> c.getConnection(node.getUri().getHost(), node.getUri().getPort(), intent).sync().ping());
            }
        }

        /** After a topology change: every connection opened to the masters now serving slots; says where Quorum's slot went. */
        private void moved(ClusterTopologyChangedEvent change) {
            for (StatefulRedisClusterConnection<String, String> c : opened) {
                for (RedisClusterNode node : change.after()) {
                    if (!servesSlots(node)) continue;
                    try {
                        openTo(c, node);
                    } catch (RuntimeException e) {
                        // closed by its owner, or the node went again: its commands fail as for any node down
                    }
                }
            }
            String before = holder(change.before());
            String after = holder(change.after());
            if (!after.equals(before)) LOG.info("Redis Cluster: Quorum's slot {} is now served by {} (was {})", QUORUM_SLOT, after, before);
        }

        private static String holder(List<RedisClusterNode> nodes) {
            // Not servesSlots: the dead master is flagged FAIL a moment before its replica takes its slots over.
            return nodes.stream().filter(n -> n.is(RedisClusterNode.NodeFlag.UPSTREAM) && n.hasSlot(QUORUM_SLOT)).findFirst()
                    .map(n -> n.getUri().getHost() + ":" + n.getUri().getPort()).orElse("no node");
        }

        /** Subscribed on one node: a Cluster passes every PUBLISH on to all its nodes, so that one hears them all. */
        @Override
        public StatefulRedisPubSubConnection<String, String> connectPubSub() {
            return active(client.connectPubSub(), StatefulRedisPubSubConnection::sync);
        }

        /**
         * By host and port, the key under which Lettuce keeps the connection a keyed command is routed over, so this is the very one that
         * carried the writes before it (what {@code WAIT} counts); a keyless command on the Cluster
         * connection would go to whichever node Lettuce picks.
         */
        @Override
        public RedisClusterCommands<String, String> home(Connection via) {
            StatefulRedisClusterConnection<String, String> c = (StatefulRedisClusterConnection<String, String>) via.connection();
            RedisClusterNode master = c.getPartitions().getMasterBySlot(QUORUM_SLOT);
            if (master == null) throw new RedisException("no node of the Cluster holds slot " + QUORUM_SLOT + " (Quorum's keys)");
            return c.getConnection(master.getUri().getHost(), master.getUri().getPort()).sync();
        }
    }

    /**
     * The connection once it has answered a PING. Lettuce's {@code connect()} may return a moment
     * before its endpoint counts the connection as up (about 1 in 150 on a loaded machine), and
     * with {@code REJECT_COMMANDS} a command in that moment is refused: so the PING is tried again
     * for that one reason, briefly. Any other refusal (a password wanted) is thrown.
     */
    private static <C extends StatefulConnection<String, String>> C active(C connection, Function<C, ? extends BaseRedisCommands<String, String>> commands) {
        try {
            settled(() -> commands.apply(connection).ping());
            return connection;
        } catch (RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    /**
     * Runs {@code attempt} again while it fails only because a connection Lettuce has just opened is
     * not yet counted as up (the race {@link #active} describes; a Cluster's node connections too).
     */
    private static void settled(Runnable attempt) {
        long deadline = System.nanoTime() + CONNECT_SETTLE.toNanos();
        while (true) {
            try {
                attempt.run();
                return;
            } catch (RedisException e) {
                if (!notYetConnected(e) || System.nanoTime() > deadline) throw e;
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RedisException("interrupted while connecting to Redis", e);
            }
        }
    }

    private static boolean notYetConnected(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (NOT_YET_CONNECTED.equals(t.getMessage())) return true;
        }
        return false;
    }

    /**
     * Connects to a URI with its credentials in it (the embedded server's, a test's); fails fast
     * when the server is not reachable or refuses them. Critical writes wait for no replica.
     */
    public static Redis connect(String uri) {
        RedisURI parsed = RedisURI.create(uri);
        return open(resources -> new Single(single(resources, parsed, ClientOptions.builder())), 0, RedisConfig.DEFAULT_WAIT_TIMEOUT, Durability.RELEARN);
    }

    /**
     * Connects to the configured external Redis: one server or its Sentinels ({@code redis.url}, user
     * and password in it) or a Cluster ({@code redis.cluster}), over TLS for {@code rediss://},
     * {@code rediss-sentinel://} or {@code cluster_tls} with the configured CA file and checks. A
     * refused password or certificate is a {@link ConfigException} naming the key to fix; the
     * password is never logged or shown.
     */
    public static Redis connect(RedisConfig config) {
        return connect(config, Durability.RELEARN);
    }

    /** As {@link #connect(RedisConfig)}, asking again how many replicas there are as often as {@code relearn} (a test's). */
    static Redis connect(RedisConfig config, Duration relearn) {
        List<RedisURI> uris = uris(config);
        warnAboutExposure(config, uris);
        LOG.info("Connecting to Redis at {}{}", config.displayUrl(), config.tls()
                ? " (TLS, verify " + config.verify().word() + config.caFile().map(ca -> ", CA file " + ca).orElse("") + ")"
                : "");
        try {
            Redis redis = open(resources -> config.isCluster() ? new Cluster(cluster(resources, uris, config))
                    : new Single(single(resources, uris.getFirst(), tls(ClientOptions.builder(), config))), config.waitReplicas(), config.waitTimeout(), relearn);
            Persistence.check(redis, config);
            return redis;
        } catch (RuntimeException e) {
            throw refusal(config, e).orElseThrow(() -> e);
        }
    }

    /** The URL's one URI (with its Sentinels), or one per Cluster seed node with the Cluster's credentials. */
    private static List<RedisURI> uris(RedisConfig config) {
        if (!config.isCluster()) {
            RedisURI uri = RedisURI.create(config.url());
            if (config.tls()) {
                uri.setVerifyPeer(SslVerifyMode.valueOf(config.verify().name()));
                uri.getSentinels().forEach(s -> s.setVerifyPeer(SslVerifyMode.valueOf(config.verify().name())));
            }
            return List.of(uri);
        }
        Optional<String> password = clusterPassword(config);
        List<RedisURI> seeds = new ArrayList<>();
        for (String node : config.cluster()) {
            int colon = node.lastIndexOf(':');
            String host = node.substring(0, colon).replace("[", "").replace("]", "");
            RedisURI.Builder b = RedisURI.Builder.redis(host, Integer.parseInt(node.substring(colon + 1))).withSsl(config.tls());
            if (config.tls()) b.withVerifyPeer(SslVerifyMode.valueOf(config.verify().name()));
            password.ifPresent(p -> b.withAuthentication(config.clusterUser() == null ? "default" : config.clusterUser(), p));
            seeds.add(b.build());
        }
        return seeds;
    }

    private static Optional<String> clusterPassword(RedisConfig config) {
        if (config.clusterPassword() == null) return Optional.empty();
        return switch (new SecretRef(config.clusterPassword()).lookup(System::getenv)) {
            case SecretRef.Lookup.Found f -> Optional.of(f.value());
            case SecretRef.Lookup.Unset u -> throw new ConfigException("redis.cluster_password", config.clusterPassword(), "the variable " + u.variable() + " is not set");
            case SecretRef.Lookup.NoFile n -> throw new ConfigException("redis.cluster_password", config.clusterPassword(), "no such file");
            case SecretRef.Lookup.Unreadable u -> throw new ConfigException("redis.cluster_password", config.clusterPassword(), "cannot be read (" + u.why() + ")");
            case SecretRef.Lookup.Empty e -> throw new ConfigException("redis.cluster_password", config.clusterPassword(), "is empty");
        };
    }

    private static <B extends ClientOptions.Builder> B tls(B options, RedisConfig config) {
        if (config.tls()) config.caFile().ifPresent(ca -> options.sslOptions(SslOptions.builder().jdkSslProvider().trustManager(ca.toFile()).build()));
        return options;
    }

    private static RedisURI quiet(RedisURI uri) {
        uri.setTimeout(Duration.ofSeconds(10));
        // Nothing but HELLO (with AUTH) on connecting: no CLIENT SETINFO or CLIENT MAINT_NOTIFICATIONS,
        // which the README's ACL user (-@dangerous) may not run on Redis 6.2 and Quorum does not need.
        uri.setLibraryName("");
        uri.setLibraryVersion("");
        return uri;
    }

    private static RedisClient single(ClientResources resources, RedisURI uri, ClientOptions.Builder options) {
        RedisClient client = RedisClient.create(resources, quiet(uri));
        // While the connection is down a command fails at once ("not connected") instead of waiting
        // in Lettuce's buffer for the timeout: a caller answers 503 or its chat reply right away.
        client.setOptions(options.maintNotificationsConfig(MaintNotificationsConfig.disabled())
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS).build());
        return client;
    }

    private static RedisClusterClient cluster(ClientResources resources, List<RedisURI> seeds, RedisConfig config) {
        RedisClusterClient client = RedisClusterClient.create(resources, seeds.stream().map(Redis::quiet).toList());
        ClusterClientOptions.Builder options = tls(ClusterClientOptions.builder(), config);
        options.maintNotificationsConfig(MaintNotificationsConfig.disabled()); // the parent builder's: it returns no ClusterClientOptions.Builder
        client.setOptions(options
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                // A redirect (MOVED, ASK) to an address that is not a node of the Cluster's own view is
                // refused, not followed with Quorum's password (Lettuce's default, said here on purpose).
                .validateClusterNodeMembership(true)
                .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                        .enablePeriodicRefresh(TOPOLOGY_REFRESH)
                        .enableAllAdaptiveRefreshTriggers()
                        .adaptiveRefreshTriggersTimeout(ADAPTIVE_REFRESH_AT_MOST_EVERY)
                        .refreshTriggersReconnectAttempts(3)
                        .build())
                .build());
        return client;
    }

    private static Redis open(Function<ClientResources, Topology> topology, Integer waitReplicas, Duration waitTimeout, Duration relearn) {
        ClientResources resources = ClientResources.builder()
                .reconnectDelay(Delay.exponential(RECONNECT_FIRST, RECONNECT_MAX, 2, TimeUnit.MILLISECONDS)).build();
        Topology t = null;
        try {
            t = topology.apply(resources);
            return new Redis(resources, t, Durability.start(t, waitReplicas, waitTimeout, relearn)); // its PING: a server that wants a password may accept the connection and refuse the first command
        } catch (RuntimeException e) {
            if (t != null) t.client().shutdown(Duration.ZERO, Duration.ofSeconds(2));
            resources.shutdown(0, 2, TimeUnit.SECONDS);
            throw e;
        }
    }

    /** What the operator must change when the server refused Quorum, if that is why it failed. */
    private static Optional<ConfigException> refusal(RedisConfig config, Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String message = String.valueOf(t.getMessage());
            if (message.startsWith("WRONGPASS")) {
                return Optional.of(config.isCluster()
                        ? new ConfigException("redis.cluster_password", config.clusterPassword(), "the Cluster's nodes refused the user and password (WRONGPASS)")
                        : new ConfigException("redis.url", config.displayUrl(), "the server refused the user and password (WRONGPASS)"));
            }
            if (message.startsWith("NOAUTH")) {
                return Optional.of(config.isCluster()
                        ? new ConfigException("redis.cluster_password", null, "the Cluster's nodes want a password: set cluster_password (and cluster_user)")
                        : new ConfigException("redis.url", config.displayUrl(),
                        "the server wants a password: give it in the URL as redis[s]://user:password@host:port"));
            }
            if (t instanceof CertificateException || t instanceof SSLException) {
                return Optional.of(config.sentinel() ? sentinelCertificateRefused(config, failure, t) : certificateRefused(config, t));
            }
            // A Cluster's client tries each seed node and keeps what each said as a suppressed exception.
            for (Throwable each : t.getSuppressed()) {
                Optional<ConfigException> found = refusal(config, each);
                if (found.isPresent()) return found;
            }
        }
        return Optional.empty();
    }

    private static ConfigException certificateRefused(RedisConfig config, Throwable t) {
        if (namesAnother(t)) {
            return new ConfigException("redis.tls_verify", config.verify().word(),
                    "the server's certificate does not name the host in redis.url; connect by a name or address it lists, or set tls_verify: ca");
        }
        return new ConfigException("redis.tls_ca_file", config.tlsCaFile(),
                "the server's certificate is not signed by a trusted CA; set redis.tls_ca_file to the PEM file of the CA that signed it");
    }

    private static boolean namesAnother(Throwable certificateFailure) {
        String message = String.valueOf(certificateFailure.getMessage());
        return message.contains("subject alternative") || message.contains("No name matching");
    }

    /**
     * Through Sentinel a refused certificate is a sentinel's or that of the master a sentinel named, and that may be a
     * server that is not the operator's (a sentinel lying): the advice for one server (trust the CA that signed it, or
     * stop checking its name) would hand Quorum to it. So this says which server, by the address Lettuce could not
     * connect to, and what to do only if it is the operator's own (SentinelRedirectAttackTest).
     */
    private static ConfigException sentinelCertificateRefused(RedisConfig config, Throwable failure, Throwable certificateFailure) {
        Optional<Refused> refused = refusedServer(failure);
        String server = refused.map(r -> r.sentinel() ? "the sentinel at " + r.address() : r.address() + " (the master a sentinel named)")
                .orElse("a sentinel or the master it named");
        String ifNot = refused.filter(Refused::sentinel).isPresent() ? "another server answers at that sentinel's address"
                : "a sentinel names a server that is not yours";
        return namesAnother(certificateFailure)
                ? new ConfigException("redis.tls_verify", config.verify().word(), "the certificate of " + server
                + " does not name its address: if that server is yours, give it a certificate that does (for an IP address, an IP SAN); if not, " + ifNot)
                : new ConfigException("redis.tls_ca_file", config.tlsCaFile(), "the certificate of " + server
                + " is not signed by a trusted CA: if that server is yours, set redis.tls_ca_file to the PEM file of the CA that signed it; if not, " + ifNot);
    }

    /** The server whose connection failed: {@code host:port}, and whether it is a sentinel or the master one named. */
    private record Refused(String address, boolean sentinel) {}

    /**
     * From Lettuce's words: "Cannot connect Redis Sentinel at rediss://host:port" for a sentinel, "Unable to connect to
     * host/&lt;unresolved&gt;:port" for the master a sentinel named (the outermost that says either).
     */
    private static final Pattern SENTINEL_REFUSED = Pattern.compile("^Cannot connect Redis Sentinel at rediss?://(\\S+:\\d+)");
    private static final Pattern MASTER_REFUSED = Pattern.compile("^Unable to connect to ([^/\\s]+)/\\S*:(\\d+)");

    private static Optional<Refused> refusedServer(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String message = String.valueOf(t.getMessage());
            Matcher sentinel = SENTINEL_REFUSED.matcher(message);
            if (sentinel.find()) return Optional.of(new Refused(sentinel.group(1), true));
            Matcher master = MASTER_REFUSED.matcher(message);
            if (master.find()) return Optional.of(new Refused(master.group(1) + ":" + master.group(2), false));
        }
        return Optional.empty();
    }

    /** Says loudly when the configured Redis is open to whoever reaches it, or its password or server can be intercepted. */
    private static void warnAboutExposure(RedisConfig config, List<RedisURI> uris) {
        RedisURI first = uris.getFirst();
        RedisCredentials credentials = first.getCredentialsProvider().resolveCredentials().block();
        if (credentials == null || !credentials.hasPassword()) {
            LOG.warn("Redis at {} is used without a password: whatever can reach it can act as Quorum. "
                    + "Give Quorum an ACL user (README, \"Redis\")", config.displayUrl());
        } else if (!config.tls()) {
            List<String> hosts = config.sentinel() ? first.getSentinels().stream().map(RedisURI::getHost).toList()
                    : uris.stream().map(RedisURI::getHost).toList();
            hosts.stream().filter(h -> !loopback(h)).findFirst().ifPresent(host ->
                    LOG.warn("{} sends Quorum's Redis password to {} unencrypted; use {}", config.isCluster() ? "redis.cluster" : "redis.url", host,
                            config.isCluster() ? "cluster_tls: true (TLS)" : config.sentinel() ? "rediss-sentinel:// (TLS)" : "rediss:// (TLS)"));
        }
        if (config.tls() && config.verify() == RedisConfig.Verify.NONE) {
            LOG.warn("redis.tls_verify is none: Redis's certificate is not checked, so anyone on the way can pose as the server");
        }
    }

    private static boolean loopback(String host) {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("::1");
    }

    /** Commands on the shared connection. */
    public RedisClusterCommands<String, String> sync() {
        return shared.sync();
    }

    /** Asynchronous commands on the shared connection, to pipeline many reads. */
    public RedisClusterAsyncCommands<String, String> async() {
        return shared.async();
    }

    /** A new connection for blocking commands; closed with this object. */
    public RedisClusterCommands<String, String> dedicated() {
        Connection c = topology.connect();
        c.connection().setTimeout(Duration.ofMinutes(5));
        dedicated.add(c.connection());
        return c.sync();
    }

    /** A new pub/sub connection; closed with this object. */
    public StatefulRedisPubSubConnection<String, String> pubSub() {
        StatefulRedisPubSubConnection<String, String> c = topology.connectPubSub();
        dedicated.add(c);
        return c;
    }

    /**
     * Call after a write that must outlive the master (a vote, a state change, a marker that keeps
     * an action from running twice): returns once {@code redis.wait_replicas} replicas have it, or
     * after {@code redis.wait_timeout} (logged once, not an error: Redis replicates asynchronously,
     * so this narrows the window in which a failover loses an acknowledged write, it cannot close
     * it). Returns at once when there is no replica to wait for. Never throws. The first call learns
     * how many replicas there are (see {@link Durability}): a Quorum that makes no critical write
     * (a CLI command that reads) sends no {@code WAIT} and writes no marker.
     */
    public void durable() {
        durability.await();
    }

    /** How many replicas {@link #durable} waits for now: configured, or learned (at the first call, and again later: {@link Durability}). */
    public int waitReplicas() {
        return durability.replicas();
    }

    /** Commands on the node that holds Quorum's keys (for a single server: the shared connection). */
    RedisClusterCommands<String, String> home() {
        return topology.home(shared);
    }

    /** False when Lettuce knows the shared connection is down: answered without a round trip. */
    public boolean connected() {
        return shared.connection().isOpen();
    }

    /** True when Redis answers PING: on a Cluster, the node that holds Quorum's keys (a keyless PING goes to any node). */
    public boolean ping() {
        try {
            return "PONG".equals(home().ping());
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public void close() {
        for (StatefulConnection<String, String> c : dedicated) {
            // Their owners (console, cancel board) close them first, to stop listening before Redis
            // goes; closing one twice makes Lettuce warn "Connection is already closed". One that is
            // merely disconnected is not open either: client.shutdown below closes it.
            if (!c.isOpen()) continue;
            try {
                c.close();
            } catch (Exception ignored) {
                // closing anyway
            }
        }
        durability.close();
        shared.connection().close();
        topology.client().shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }

    /**
     * The answer to a pipelined command, for the readers that send a round of them and then collect it: at most 10 s,
     * then a failure like any other Redis error.
     */
    public static <T> T await(io.lettuce.core.RedisFuture<T> f) {
        try {
            return f.get(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Redis", e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("reading from Redis failed: " + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()), e);
        }
    }
}
