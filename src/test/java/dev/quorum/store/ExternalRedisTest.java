package dev.quorum.store;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.quorum.config.ConfigException;
import dev.quorum.config.ConfigLoader;
import dev.quorum.config.RedisConfig;
import dev.quorum.testing.RespClient;
import dev.quorum.testing.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Quorum on a Redis its operator runs: credentials in the URL, an ACL user, TLS with a private CA. */
class ExternalRedisTest {
    private static final Path REDIS_7 = Path.of("/usr/bin/redis-server");

    @TempDir
    Path tmp;

    private static RedisConfig redis(String yaml) {
        return new ConfigLoader(Map.<String, String>of()::get)
                .parse(new ByteArrayInputStream(("redis:\n" + yaml).getBytes(StandardCharsets.UTF_8)), "test").redis();
    }

    @Test
    void thePasswordInTheUrlOpensARequirepassServer() throws Exception {
        try (RedisServerProcess server = RedisServerProcess.plain(REDIS_7, "--requirepass", "s3cret-0123456789");
             Redis quorum = Redis.connect(redis("  url: redis://:s3cret-0123456789@127.0.0.1:" + server.port() + "/3\n"))) {
            quorum.sync().set("{q}:x", "1");
            assertThat(quorum.sync().get("{q}:x")).isEqualTo("1");
            try (RespClient stranger = RespClient.connect(server.port())) {
                assertThat(stranger.call("GET", "{q}:x")).startsWith("-NOAUTH");
            }
        }
    }

    @Test
    void aWrongOrMissingPasswordStopsQuorumWithOneLineThatDoesNotShowIt() throws Exception {
        try (RedisServerProcess server = RedisServerProcess.plain(REDIS_7, "--requirepass", "s3cret-0123456789")) {
            String host = "127.0.0.1:" + server.port();
            assertThatThrownBy(() -> Redis.connect(redis("  url: redis://quorum:guessed@" + host + "\n")))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage("config error: redis.url = \"redis://quorum:***@" + host + "\": the server refused the user and password (WRONGPASS)");
            assertThatThrownBy(() -> Redis.connect(redis("  url: redis://" + host + "\n")))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage("config error: redis.url = \"redis://" + host + "\": the server wants a password: "
                            + "give it in the URL as redis[s]://user:password@host:port");
        }
    }

    @Test
    void theLogShowsUrlsWithTheirPasswordMaskedAndWarnsWhenThereIsNone() throws Exception {
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
        root.addAppender(log);
        String embeddedUri;
        int open;
        try (RedisServerProcess guarded = RedisServerProcess.plain(REDIS_7, "--requirepass", "s3cret-0123456789");
             RedisServerProcess unguarded = RedisServerProcess.plain(REDIS_7)) {
            open = unguarded.port();
            try (Redis r = Redis.connect(redis("  url: redis://:s3cret-0123456789@localhost:" + guarded.port() + "\n"))) {
                assertThat(r.ping()).isTrue();
            }
            assertThatThrownBy(() -> Redis.connect(redis("  url: redis://:wrong-s3cret@localhost:" + guarded.port() + "\n")))
                    .isInstanceOf(ConfigException.class);
            try (Redis r = Redis.connect(redis("  url: redis://127.0.0.1:" + open + "\n"))) {
                assertThat(r.ping()).isTrue();
            }
            try (EmbeddedRedis embedded = new EmbeddedRedis(tmp.resolve("embedded"), 0); Redis r = Redis.connect(embedded.start())) {
                embeddedUri = embedded.uri();
                assertThat(r.ping()).isTrue();
            }
        } finally {
            root.detachAppender(log);
        }
        List<String> lines = log.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(lines).anyMatch(l -> l.startsWith("Connecting to Redis at redis://:***@localhost:"));
        assertThat(lines).contains("Redis at redis://127.0.0.1:" + open + " is used without a password: whatever can reach it can act as Quorum. "
                + "Give Quorum an ACL user (README, \"Redis\")");
        assertThat(String.join("\n", lines)).doesNotContain("s3cret-0123456789").doesNotContain("wrong-s3cret")
                .doesNotContain(EmbeddedRedisTest.password(embeddedUri));
    }

    static Stream<Path> binaries() throws IOException {
        return Stream.of(REDIS_7, EmbeddedRedis.extractBundled());
    }

    /**
     * The README's ACL lines, as written there, are enough for a whole merge and deploy, and
     * Redis logs no command or key that it refused Quorum.
     */
    @ParameterizedTest
    @MethodSource("binaries")
    void theReadmeAclUserIsAllQuorumNeeds(Path binary) throws Exception {
        try (RedisServerProcess server = RedisServerProcess.plain(binary)) {
            try (RespClient setup = RespClient.connect(server.port())) {
                assertThat(setup.call("ACL", "SETUSER", "admin", "on", ">admin-0123456789", "~*", "&*", "+@all")).isEqualTo("+OK");
                for (String line : readmeAclLines()) {
                    String[] words = line.replace(">a-long-random-password", ">quorum-0123456789").split(" ");
                    assertThat(setup.call(words)).as(line).isEqualTo("+OK");
                }
            }
            try (RespClient stranger = RespClient.connect(server.port())) {
                assertThat(stranger.call("PING")).startsWith("-NOAUTH");
            }
            String url = "redis://quorum:quorum-0123456789@127.0.0.1:" + server.port();
            ApprovalFlow.mergeAndDeploy(tmp, "", Map.of("REDIS_URL", url));
            try (Redis admin = Redis.connect("redis://admin:admin-0123456789@127.0.0.1:" + server.port())) {
                assertThat(admin.sync().aclLog()).as("commands, keys or channels Redis refused Quorum").isEmpty();
                assertThat(admin.sync().keys("*")).isNotEmpty().allMatch(k -> k.startsWith("{q}:"));
            }
            try (RespClient quorum = RespClient.connect(server.port())) {
                assertThat(quorum.call("AUTH", "quorum", "quorum-0123456789")).isEqualTo("+OK");
                assertThat(quorum.call("SET", "not-quorums", "1")).startsWith("-NOPERM");
                assertThat(quorum.call("CONFIG", "GET", "*")).startsWith("-NOPERM");
                assertThat(quorum.call("FLUSHALL")).startsWith("-NOPERM");
            }
        }
    }

    private static List<String> readmeAclLines() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("README.md")).stream().filter(l -> l.startsWith("ACL SETUSER ")).toList();
        assertThat(lines).hasSize(2);
        return lines;
    }

    @Test
    void tlsWithThePrivateCaConnectsAndWithoutItIsRefusedInOneLine() throws Exception {
        TestCertificates certs = TestCertificates.create(tmp.resolve("tls"), "localhost");
        TestCertificates otherCa = TestCertificates.create(tmp.resolve("other"), "localhost");
        try (RedisServerProcess server = RedisServerProcess.tls(certs, "--requirepass", "s3cret-0123456789")) {
            String url = "rediss://:s3cret-0123456789@localhost:" + server.port();
            try (Redis quorum = Redis.connect(redis("  url: " + url + "\n  tls_ca_file: " + certs.ca() + "\n"))) {
                quorum.sync().set("{q}:tls", "1");
                assertThat(quorum.sync().get("{q}:tls")).isEqualTo("1");
            }
            assertThatThrownBy(() -> Redis.connect(redis("  url: " + url + "\n")))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage("config error: redis.tls_ca_file = (missing): the server's certificate is not signed by a trusted CA; "
                            + "set redis.tls_ca_file to the PEM file of the CA that signed it");
            assertThatThrownBy(() -> Redis.connect(redis("  url: " + url + "\n  tls_ca_file: " + otherCa.ca() + "\n")))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage("config error: redis.tls_ca_file = \"" + otherCa.ca() + "\": the server's certificate is not signed by a trusted CA; "
                            + "set redis.tls_ca_file to the PEM file of the CA that signed it");
            try (RespClient plain = RespClient.connect(server.port())) {
                assertThat(plain.raw("AUTH s3cret-0123456789\r\nSET q:plain 1\r\n")).doesNotContain("+OK");
            }
        }
    }

    @Test
    void aCertificateForAnotherNameIsRefusedUnlessVerifyIsCa() throws Exception {
        TestCertificates certs = TestCertificates.create(tmp.resolve("tls"), "redis.internal");
        try (RedisServerProcess server = RedisServerProcess.tls(certs, "--requirepass", "s3cret-0123456789")) {
            String url = "rediss://:s3cret-0123456789@127.0.0.1:" + server.port();
            assertThatThrownBy(() -> Redis.connect(redis("  url: " + url + "\n  tls_ca_file: " + certs.ca() + "\n")))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage("config error: redis.tls_verify = \"full\": the server's certificate does not name the host in redis.url; "
                            + "connect by a name or address it lists, or set tls_verify: ca");
            try (Redis quorum = Redis.connect(redis("  url: " + url + "\n  tls_ca_file: " + certs.ca() + "\n  tls_verify: ca\n"))) {
                assertThat(quorum.ping()).isTrue();
            }
        }
    }
}
