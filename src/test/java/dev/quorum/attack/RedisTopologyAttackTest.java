package dev.quorum.attack;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.quorum.config.ConfigException;
import dev.quorum.config.ConfigLoader;
import dev.quorum.config.RedisConfig;
import dev.quorum.store.Redis;
import dev.quorum.testing.FakeRedisServer;
import io.lettuce.core.RedisException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Hostile or broken Redis topologies: URLs that would leak a password in an error or connect
 * somewhere unexpected, and a Cluster node that redirects Quorum to a host outside the Cluster.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RedisTopologyAttackTest {
    private static final String SECRET = "t0p-s3cret-0123456789";

    @TempDir
    Path tmp;

    private static RedisConfig parse(String redisYaml) {
        return new ConfigLoader(Map.<String, String>of()::get)
                .parse(new java.io.ByteArrayInputStream(("redis:\n" + redisYaml).getBytes(StandardCharsets.UTF_8)), "test").redis();
    }

    private static void refused(String redisYaml, String message) {
        assertThatThrownBy(() -> parse(redisYaml)).isInstanceOf(ConfigException.class).hasMessage(message).hasMessageNotContaining(SECRET);
    }

    @Test
    void badSentinelAndClusterSettingsAreRefusedInOneLineThatNeverShowsThePassword() {
        refused("  url: 'redis-sentinel://:" + SECRET + "@10.0.0.1:26379,10.0.0.2:26379'\n",
                "config error: redis.url = \"redis-sentinel://:***@10.0.0.1:26379,10.0.0.2:26379\": names no master: "
                        + "add ?sentinelMasterId=<the name the sentinels monitor, as in their sentinel monitor line>");
        refused("  url: 'redis-sentinel://quorum:" + SECRET + "@?sentinelMasterId=m'\n",
                "config error: redis.url = \"redis-sentinel://quorum:***@?sentinelMasterId=m\": not a Sentinel URL: use "
                        + "redis[s]-sentinel://[user:password@]host[:port][,host[:port]...][/db]?sentinelMasterId=name, "
                        + "with @ : / in the password percent-encoded");
        refused("  url: 'redis-sentinel://:" + SECRET + "@bad_host!:26379?sentinelMasterId=m'\n",
                "config error: redis.url = \"redis-sentinel://:***@bad_host!:26379?sentinelMasterId=m\": not a Sentinel URL: use "
                        + "redis[s]-sentinel://[user:password@]host[:port][,host[:port]...][/db]?sentinelMasterId=name, "
                        + "with @ : / in the password percent-encoded");
        refused("  url: 'sentinel://:" + SECRET + "@db:26379'\n",
                "config error: redis.url = \"sentinel://:***@db:26379\": must start with redis://, rediss://, redis-sentinel:// or rediss-sentinel://");
        refused("  cluster: ['redis://quorum:" + SECRET + "@db:7000']\n",
                "config error: redis.cluster = \"***\": each node must be host:port (user and password go in cluster_user and cluster_password)");
        refused("  cluster: ['db:70000']\n",
                "config error: redis.cluster = \"db:70000\": each node must be host:port (user and password go in cluster_user and cluster_password)");
        refused("  cluster: ['db:7000']\n  cluster_password: " + SECRET + "\n",
                "config error: redis.cluster_password = \"***\": a reference, env:VARIABLE or file:/absolute/path, never the secret itself");
        refused("  url: redis://db:6379\n  cluster: ['db:7000']\n",
                "config error: redis.cluster = \"[db:7000]\": give either redis.url (one server, or Sentinel) or redis.cluster, not both");
        refused("  url: redis://db:6379\n  cluster_password: env:REDIS_PASSWORD\n",
                "config error: redis.cluster_password = \"***\": applies only to redis.cluster; with redis.url put the user and password in the URL");
        refused("  url: redis://db:6379\n  wait_timeout: 1m\n",
                "config error: redis.wait_timeout = \"1m\": must be at most 10s: a vote or state change waits this long for a replica before it is answered");
        refused("  wait_replicas: 1\n",
                "config error: redis.wait_replicas = \"1\": the embedded server has no replicas; this applies to your own Redis");
        assertThat(parse("  url: 'rediss-sentinel://:" + SECRET + "@db:26379?sentinelMasterId=m'\n").tls()).isTrue();
        assertThat(parse("  url: 'redis-sentinel://:" + SECRET + "@db:26379?sentinelMasterId=m'\n").displayUrl())
                .isEqualTo("redis-sentinel://:***@db:26379?sentinelMasterId=m");
    }

    /**
     * A node (compromised, or an impostor on a seed's address) answers every command with a MOVED to
     * a host that is not in the Cluster's view. Lettuce refuses to connect there
     * ({@code validateClusterNodeMembership}): the foreign host never sees a connection, let alone
     * Quorum's password, and Quorum's command fails instead.
     */
    @Test
    void aRedirectToAHostOutsideTheClusterIsNotFollowedAndThePasswordGoesNowhere() throws Exception {
        Path password = Files.writeString(tmp.resolve("password"), SECRET);
        try (ServerSocket foreign = new ServerSocket(0); FakeClusterNode node = new FakeClusterNode(foreign.getLocalPort(), false)) {
            AtomicInteger visits = new AtomicInteger();
            Thread.ofVirtual().start(() -> {
                while (!foreign.isClosed()) {
                    try (Socket ignored = foreign.accept()) {
                        visits.incrementAndGet();
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
            ListAppender<ILoggingEvent> log = rootLog();
            try (Redis quorum = Redis.connect(parse("  cluster: ['127.0.0.1:%d']\n  cluster_user: quorum\n  cluster_password: file:%s\n"
                    .formatted(node.port(), password)))) {
                assertThatThrownBy(() -> quorum.sync().get("{q}:anything")).isInstanceOf(RedisException.class);
                assertThatThrownBy(() -> quorum.sync().set("{q}:anything", "x")).isInstanceOf(RedisException.class);
            } finally {
                detach(log);
            }
            assertThat(visits.get()).as("connections to the host named in the redirect").isZero();
            assertThat(node.commands()).anyMatch(c -> c.startsWith("GET {q}:anything"));
            assertThat(log.list).extracting(ILoggingEvent::getFormattedMessage).noneMatch(m -> m.contains(SECRET));
        }
    }

    /** A refused password stops Quorum with one line naming the key to fix, not the password. */
    @Test
    void aClusterThatRefusesThePasswordNamesTheKeyAndNotTheSecret() throws Exception {
        Path password = Files.writeString(tmp.resolve("password"), SECRET);
        try (FakeClusterNode node = new FakeClusterNode(1, true)) {
            ListAppender<ILoggingEvent> log = rootLog();
            try {
                assertThatThrownBy(() -> Redis.connect(parse("  cluster: ['127.0.0.1:%d']\n  cluster_user: quorum\n  cluster_password: file:%s\n"
                        .formatted(node.port(), password))))
                        .isInstanceOf(ConfigException.class)
                        .hasMessage("config error: redis.cluster_password = \"file:" + password + "\": the Cluster's nodes refused the user and password (WRONGPASS)");
            } finally {
                detach(log);
            }
            assertThat(log.list).extracting(ILoggingEvent::getFormattedMessage).noneMatch(m -> m.contains(SECRET));
        }
    }

    private static ListAppender<ILoggingEvent> rootLog() {
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).addAppender(log);
        return log;
    }

    private static void detach(ListAppender<ILoggingEvent> log) {
        ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).detachAppender(log);
    }

    /**
     * Speaks just enough RESP3 to pass for a one-node Cluster that holds every slot, and answers
     * every data command with {@code MOVED} to {@code 127.0.0.1:redirectPort}; or refuses every password.
     */
    private static final class FakeClusterNode implements AutoCloseable {
        private final int redirectPort;
        private final boolean refusePassword;
        private final FakeRedisServer server;

        FakeClusterNode(int redirectPort, boolean refusePassword) throws IOException {
            this.redirectPort = redirectPort;
            this.refusePassword = refusePassword;
            this.server = FakeRedisServer.plain(this::answer);
        }

        int port() {
            return server.port();
        }

        /** Every command received, its words joined by spaces, passwords included (the test checks none is a foreign host's). */
        List<String> commands() {
            return server.commands();
        }

        private String answer(List<String> words) {
            String command = words.getFirst().toUpperCase();
            String id = "0123456789abcdef0123456789abcdef01234567";
            return switch (command) {
                case "HELLO", "AUTH" -> refusePassword ? "-WRONGPASS invalid username-password pair or user is disabled.\r\n"
                        : command.equals("AUTH") ? "+OK\r\n"
                        : "%7\r\n+server\r\n+redis\r\n+version\r\n+7.0.15\r\n+proto\r\n:3\r\n+id\r\n:1\r\n+mode\r\n+cluster\r\n+role\r\n+master\r\n+modules\r\n*0\r\n";
                case "PING" -> "+PONG\r\n";
                case "CLUSTER" -> FakeRedisServer.bulk(id + " 127.0.0.1:" + port() + "@1 myself,master - 0 0 1 connected 0-16383\n");
                case "INFO" -> FakeRedisServer.bulk("# Clients\r\nconnected_clients:1\r\n");
                case "WAIT", "INCR" -> ":0\r\n";
                case "GET", "SET", "EXISTS", "EVALSHA", "XADD" -> "-MOVED 11958 127.0.0.1:" + redirectPort + "\r\n";
                default -> "+OK\r\n";
            };
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
