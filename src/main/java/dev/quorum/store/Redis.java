package dev.quorum.store;

import dev.quorum.config.ConfigException;
import dev.quorum.config.RedisConfig;
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
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.List;
import java.util.Optional;

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
    /** Lettuce's words for a command refused because the connection is down. */
    private static final String NOT_YET_CONNECTED = "Currently not connected. Commands are rejected.";
    private final ClientResources resources;
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> shared;
    private final List<StatefulConnection<String, String>> dedicated = new CopyOnWriteArrayList<>();

    private Redis(ClientResources resources, RedisClient client) {
        this.resources = resources;
        this.client = client;
        this.shared = active(client.connect());
    }

    /**
     * The connection once it has answered a PING. Lettuce's {@code connect()} may return a moment
     * before its endpoint counts the connection as up (about 1 in 150 on a loaded machine), and
     * with {@code REJECT_COMMANDS} a command in that moment is refused: so the PING is tried again
     * for that one reason, briefly. Any other refusal (a password wanted) is thrown.
     */
    private static <C extends StatefulRedisConnection<String, String>> C active(C connection) {
        long deadline = System.nanoTime() + CONNECT_SETTLE.toNanos();
        while (true) {
            try {
                connection.sync().ping();
                return connection;
            } catch (RedisException e) {
                if (!NOT_YET_CONNECTED.equals(e.getMessage()) || System.nanoTime() > deadline) {
                    connection.close();
                    throw e;
                }
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                connection.close();
                throw new RedisException("interrupted while connecting to Redis", e);
            }
        }
    }

    /**
     * Connects to a URI with its credentials in it (the embedded server's, a test's); fails fast
     * when the server is not reachable or refuses them.
     */
    public static Redis connect(String uri) {
        return open(RedisURI.create(uri), ClientOptions.builder());
    }

    /**
     * Connects to the configured external Redis: user and password from the URL, over TLS for
     * {@code rediss://} with the configured CA file and checks. A refused password or certificate
     * is a {@link ConfigException} naming the key to fix; the password is never logged or shown.
     */
    public static Redis connect(RedisConfig config) {
        RedisURI uri = RedisURI.create(config.url());
        ClientOptions.Builder options = ClientOptions.builder();
        if (config.tls()) {
            uri.setVerifyPeer(SslVerifyMode.valueOf(config.verify().name()));
            config.caFile().ifPresent(ca -> options.sslOptions(SslOptions.builder().jdkSslProvider().trustManager(ca.toFile()).build()));
        }
        warnAboutExposure(config, uri);
        LOG.info("Connecting to Redis at {}{}", config.displayUrl(), config.tls()
                ? " (TLS, verify " + config.verify().word() + config.caFile().map(ca -> ", CA file " + ca).orElse("") + ")"
                : "");
        try {
            return open(uri, options);
        } catch (RuntimeException e) {
            throw refusal(config, e).orElseThrow(() -> e);
        }
    }

    private static Redis open(RedisURI uri, ClientOptions.Builder options) {
        uri.setTimeout(Duration.ofSeconds(10));
        // Nothing but HELLO (with AUTH) on connecting: no CLIENT SETINFO or CLIENT MAINT_NOTIFICATIONS,
        // which the README's ACL user (-@dangerous) may not run on Redis 6.2 and Quorum does not need.
        uri.setLibraryName("");
        uri.setLibraryVersion("");
        ClientResources resources = ClientResources.builder()
                .reconnectDelay(Delay.exponential(RECONNECT_FIRST, RECONNECT_MAX, 2, TimeUnit.MILLISECONDS)).build();
        RedisClient client = RedisClient.create(resources, uri);
        // While the connection is down a command fails at once ("not connected") instead of waiting
        // in Lettuce's buffer for the timeout: a caller answers 503 or its chat reply right away.
        client.setOptions(options.maintNotificationsConfig(MaintNotificationsConfig.disabled())
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS).build());
        try {
            return new Redis(resources, client); // its PING: a server that wants a password may accept the connection and refuse the first command
        } catch (RuntimeException e) {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            resources.shutdown(0, 2, TimeUnit.SECONDS);
            throw e;
        }
    }

    /** What the operator must change when the server refused Quorum, if that is why it failed. */
    private static Optional<ConfigException> refusal(RedisConfig config, Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String message = String.valueOf(t.getMessage());
            if (message.startsWith("WRONGPASS")) {
                return Optional.of(new ConfigException("redis.url", config.displayUrl(),
                        "the server refused the user and password (WRONGPASS)"));
            }
            if (message.startsWith("NOAUTH")) {
                return Optional.of(new ConfigException("redis.url", config.displayUrl(),
                        "the server wants a password: give it in the URL as redis[s]://user:password@host:port"));
            }
            if (t instanceof CertificateException || t instanceof SSLException) {
                return Optional.of(certificateRefused(config, t));
            }
        }
        return Optional.empty();
    }

    private static ConfigException certificateRefused(RedisConfig config, Throwable t) {
        String message = String.valueOf(t.getMessage());
        if (message.contains("subject alternative") || message.contains("No name matching")) {
            return new ConfigException("redis.tls_verify", config.verify().word(),
                    "the server's certificate does not name the host in redis.url; connect by a name or address it lists, or set tls_verify: ca");
        }
        return new ConfigException("redis.tls_ca_file", config.tlsCaFile(),
                "the server's certificate is not signed by a trusted CA; set redis.tls_ca_file to the PEM file of the CA that signed it");
    }

    /** Says loudly when the configured Redis is open to whoever reaches it, or its password or server can be intercepted. */
    private static void warnAboutExposure(RedisConfig config, RedisURI uri) {
        RedisCredentials credentials = uri.getCredentialsProvider().resolveCredentials().block();
        if (credentials == null || !credentials.hasPassword()) {
            LOG.warn("Redis at {} is used without a password: whatever can reach it can act as Quorum. "
                    + "Give Quorum an ACL user (README, \"Redis\")", config.displayUrl());
        } else if (!config.tls() && !loopback(uri.getHost())) {
            LOG.warn("redis.url sends Quorum's Redis password to {} unencrypted; use rediss:// (TLS)", uri.getHost());
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
        StatefulRedisConnection<String, String> c = active(client.connect());
        c.setTimeout(Duration.ofMinutes(5));
        dedicated.add(c);
        return c.sync();
    }

    /** A new pub/sub connection; closed with this object. */
    public StatefulRedisPubSubConnection<String, String> pubSub() {
        StatefulRedisPubSubConnection<String, String> c = active(client.connectPubSub());
        dedicated.add(c);
        return c;
    }

    /** False when Lettuce knows the shared connection is down: answered without a round trip. */
    public boolean connected() {
        return shared.isOpen();
    }

    /** True when Redis answers PING. */
    public boolean ping() {
        try {
            return "PONG".equals(shared.sync().ping());
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
        shared.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
