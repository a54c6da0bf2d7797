package dev.quorum.attack;

import dev.quorum.config.ConfigException;
import dev.quorum.config.ConfigLoader;
import dev.quorum.config.RedisConfig;
import dev.quorum.store.Redis;
import dev.quorum.testing.FakeRedisServer;
import dev.quorum.testing.QuorumProcess;
import dev.quorum.testing.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A lying sentinel: one that Quorum asks for its master's address ({@code SENTINEL get-master-addr-by-name}) and
 * that names a server of the attacker's. Lettuce connects wherever the sentinel says, with the master's password
 * (the trust the README states). Over {@code rediss-sentinel://} with {@code tls_verify: full} the named server must
 * also show a certificate from Quorum's CA for the address named: an impostor without one gets a TLS handshake it
 * loses and not one command, and Quorum stops with one line naming the key to check.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SentinelRedirectAttackTest {
    private static final String SECRET = "sentinel-redirect-s3cret-0123456789";
    private static final String MASTER = "quorum-master";

    @TempDir
    Path tmp;

    private static RedisConfig parse(String redisYaml) {
        return new ConfigLoader(Map.<String, String>of()::get)
                .parse(new ByteArrayInputStream(("redis:\n" + redisYaml).getBytes(StandardCharsets.UTF_8)), "test").redis();
    }

    /** A sentinel that names {@code rogue} (on 127.0.0.1) as the master. */
    private static String lie(List<String> words, FakeRedisServer rogue) {
        return switch (words.getFirst().toUpperCase()) {
            case "SENTINEL" -> words.size() == 3 && words.get(1).equalsIgnoreCase("get-master-addr-by-name") && words.get(2).equals(MASTER)
                    ? FakeRedisServer.array("127.0.0.1", String.valueOf(rogue.port())) : "*-1\r\n";
            case "HELLO" -> FakeRedisServer.unknown(words);
            case "PING" -> "+PONG\r\n";
            default -> "+OK\r\n";
        };
    }

    /** The attacker's server: takes any password and says little else. */
    private static String impostor(List<String> words) {
        return switch (words.getFirst().toUpperCase()) {
            case "HELLO" -> FakeRedisServer.unknown(words);
            case "AUTH" -> "+OK\r\n";
            case "PING" -> "+PONG\r\n";
            default -> "-ERR not a real Redis\r\n";
        };
    }

    private static String url(String scheme, FakeRedisServer sentinel) {
        return scheme + "://:" + SECRET + "@127.0.0.1:" + sentinel.port() + "?sentinelMasterId=" + MASTER;
    }

    /** Quorum (through Redis.connect) on the sentinel's word; what it ended with does not matter here, only where it went. */
    private static void connectAndLetGo(RedisConfig config) {
        try (Redis ignored = Redis.connect(config)) {
            // connected to whatever the sentinel named
        } catch (RuntimeException refused) {
            // the impostor answers little: Quorum may stop after AUTH; the test looks at what the impostor got
        }
    }

    /** Without TLS, the README's word: Quorum connects, with the master's password, to whatever address the sentinels name. */
    @Test
    void overPlainSentinelQuorumTakesTheSentinelsWordAndSendsThePasswordToTheServerItNames() throws Exception {
        try (FakeRedisServer rogue = FakeRedisServer.plain(SentinelRedirectAttackTest::impostor);
             FakeRedisServer sentinel = FakeRedisServer.plain(w -> lie(w, rogue))) {
            connectAndLetGo(parse("  url: '" + url("redis-sentinel", sentinel) + "'\n"));
            assertThat(sentinel.commands()).contains("SENTINEL get-master-addr-by-name " + MASTER);
            assertThat(rogue.commands()).as("what the server the sentinel named received").anyMatch(c -> c.startsWith("AUTH") && c.endsWith(SECRET));
        }
    }

    /**
     * The sentinel is genuine as far as TLS goes (a certificate from Quorum's CA for its address) but names a server
     * whose certificate comes from the attacker's own CA, for the very address named. Full verification refuses it
     * in the handshake: the impostor is reached and gets no command, no AUTH, no write; Quorum does not start and says
     * so in one line, without a stack trace, and without the password.
     */
    @Test
    void overTlsAServerWithoutACertificateFromTheCaGetsNoCommandAndQuorumDoesNotStart() throws Exception {
        TestCertificates ours = TestCertificates.create(tmp.resolve("ours"), "127.0.0.1");
        TestCertificates theirs = TestCertificates.create(tmp.resolve("theirs"), "127.0.0.1");
        try (FakeRedisServer rogue = FakeRedisServer.tls(theirs.serverContext(), SentinelRedirectAttackTest::impostor);
             FakeRedisServer sentinel = FakeRedisServer.tls(ours.serverContext(), w -> lie(w, rogue))) {
            String url = url("rediss-sentinel", sentinel);
            // Not the advice for one server (trust the CA that signed it): this one may be the attacker's.
            String refusal = "config error: redis.tls_ca_file = \"" + ours.ca() + "\": the certificate of 127.0.0.1:" + rogue.port()
                    + " (the master a sentinel named) is not signed by a trusted CA: if that server is yours, set redis.tls_ca_file to the PEM file"
                    + " of the CA that signed it; if not, a sentinel names a server that is not yours";
            assertThatThrownBy(() -> Redis.connect(parse("  url: '" + url + "'\n  tls_ca_file: " + ours.ca() + "\n  tls_verify: full\n")))
                    .isInstanceOf(ConfigException.class).hasMessage(refusal);

            Path config = Files.writeString(tmp.resolve("quorum.yaml"), "redis:\n  tls_ca_file: " + ours.ca() + "\n  tls_verify: full\n");
            QuorumProcess.Run serve = QuorumProcess.run(tmp, Map.of("REDIS_URL", url, "QUORUM_DATA", tmp.resolve("data").toString(),
                    "QUORUM_HTTP_PORT", "0"), "serve", "--config", config.toString());
            assertThat(serve.exit()).as(serve.out()).isEqualTo(2);
            assertThat(serve.out().lines().filter(l -> l.startsWith("config error:")).toList()).containsExactly(refusal);
            assertThat(serve.out()).doesNotContain("\tat ", "Exception", SECRET);

            assertThat(sentinel.commands()).contains("SENTINEL get-master-addr-by-name " + MASTER);
            assertThat(rogue.connections()).as("the impostor was reached").isPositive();
            assertThat(rogue.commands()).as("commands the impostor received").isEmpty();
        }
    }

    /**
     * An impostor on a sentinel's address is not asked where the master is, with a certificate from another CA or from
     * Quorum's CA for another name: it gets no command, and the server it would name not even a connection.
     */
    @Test
    void overTlsASentinelWithoutACertificateFromTheCaForItsAddressIsNotAsked() throws Exception {
        TestCertificates ours = TestCertificates.create(tmp.resolve("ours"), "127.0.0.1");
        TestCertificates theirs = TestCertificates.create(tmp.resolve("theirs"), "127.0.0.1");
        TestCertificates elsewhere = ours.another("sentinel.elsewhere.test");
        try (FakeRedisServer rogue = FakeRedisServer.plain(SentinelRedirectAttackTest::impostor);
             FakeRedisServer otherCa = FakeRedisServer.tls(theirs.serverContext(), w -> lie(w, rogue));
             FakeRedisServer otherName = FakeRedisServer.tls(elsewhere.serverContext(), w -> lie(w, rogue))) {
            assertThatThrownBy(() -> Redis.connect(parse("  url: '" + url("rediss-sentinel", otherCa) + "'\n  tls_ca_file: " + ours.ca() + "\n")))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage("config error: redis.tls_ca_file = \"" + ours.ca() + "\": the certificate of the sentinel at 127.0.0.1:" + otherCa.port()
                            + " is not signed by a trusted CA: if that server is yours, set redis.tls_ca_file to the PEM file of the CA that signed it;"
                            + " if not, another server answers at that sentinel's address");
            assertThatThrownBy(() -> Redis.connect(parse("  url: '" + url("rediss-sentinel", otherName) + "'\n  tls_ca_file: " + ours.ca() + "\n")))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage("config error: redis.tls_verify = \"full\": the certificate of the sentinel at 127.0.0.1:" + otherName.port()
                            + " does not name its address: if that server is yours, give it a certificate that does (for an IP address, an IP SAN);"
                            + " if not, another server answers at that sentinel's address");
            for (FakeRedisServer sentinel : List.of(otherCa, otherName)) {
                assertThat(sentinel.connections()).as("the impostor sentinel was reached").isPositive();
                assertThat(sentinel.commands()).as("commands the impostor sentinel received").isEmpty();
            }
            assertThat(rogue.connections()).as("connections to the server they would have named").isZero();
        }
    }

    /**
     * The named server has a certificate from Quorum's own CA, but for another name than the address the sentinel
     * gave (127.0.0.1): full verification refuses it as well. With {@code tls_verify: ca} (the chain only) the same
     * server gets Quorum's password, which is why {@code full} is the default.
     */
    @Test
    void overTlsAServerWithTheCasCertificateForAnotherNameGetsNoCommandUnlessVerificationIsOnlyTheChain() throws Exception {
        TestCertificates ours = TestCertificates.create(tmp.resolve("ours"), "127.0.0.1");
        TestCertificates elsewhere = ours.another("redis.elsewhere.test");
        try (FakeRedisServer rogue = FakeRedisServer.tls(elsewhere.serverContext(), SentinelRedirectAttackTest::impostor);
             FakeRedisServer sentinel = FakeRedisServer.tls(ours.serverContext(), w -> lie(w, rogue))) {
            String tls = "  url: '" + url("rediss-sentinel", sentinel) + "'\n  tls_ca_file: " + ours.ca() + "\n";
            assertThatThrownBy(() -> Redis.connect(parse(tls + "  tls_verify: full\n"))).isInstanceOf(ConfigException.class)
                    .hasMessage("config error: redis.tls_verify = \"full\": the certificate of 127.0.0.1:" + rogue.port() + " (the master a sentinel named)"
                            + " does not name its address: if that server is yours, give it a certificate that does (for an IP address, an IP SAN);"
                            + " if not, a sentinel names a server that is not yours");
            assertThat(rogue.connections()).as("the impostor was reached").isPositive();
            assertThat(rogue.commands()).as("commands the impostor received under full verification").isEmpty();

            connectAndLetGo(parse(tls + "  tls_verify: ca\n"));
            assertThat(rogue.commands()).as("under tls_verify: ca").anyMatch(c -> c.startsWith("AUTH") && c.endsWith(SECRET));
        }
    }
}
