package dev.quorum.config;

import dev.quorum.testing.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@code redis} section: credentials and TLS in, passwords never out. */
class RedisConfigTest {
    @TempDir
    Path tmp;

    private static QuorumConfig parse(String yaml, Map<String, String> env) {
        return new ConfigLoader(env::get).parse(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "test");
    }

    private static QuorumConfig parse(String yaml) {
        return parse(yaml, Map.of());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "redis://quorum:s3cret@db:6379/0 | redis://quorum:***@db:6379/0",
            "rediss://quorum:s3cret@db.example.com:6380 | rediss://quorum:***@db.example.com:6380",
            "redis://:s3cret@db:6379 | redis://:***@db:6379",
            "redis://s3cret@db:6379 | redis://***@db:6379",
            "redis://quorum:p@ss/w:rd@db:6379 | redis://quorum:***@db:6379",
            "redis://db:6379 | redis://db:6379"})
    void theShownUrlHasNoPassword(String url, String shown) {
        assertThat(RedisConfig.masked(url)).isEqualTo(shown);
    }

    @Test
    void credentialsAndTlsAreReadFromTheYamlAndTheEnvironment() throws Exception {
        Path ca = TestCertificates.create(tmp, "db.internal").ca();
        QuorumConfig c = parse("redis: {tls_ca_file: %s, tls_verify: ca}\n".formatted(ca),
                Map.of("REDIS_URL", "rediss://quorum:s3cret@db.internal:6380/2"));
        assertThat(c.redis().url()).isEqualTo("rediss://quorum:s3cret@db.internal:6380/2");
        assertThat(c.redis().tls()).isTrue();
        assertThat(c.redis().caFile()).contains(ca);
        assertThat(c.redis().verify()).isEqualTo(RedisConfig.Verify.CA);
        assertThat(c.redis().displayUrl()).isEqualTo("rediss://quorum:***@db.internal:6380/2");
        assertThat(parse("redis: {url: 'rediss://db:6380'}\n").redis().verify()).isEqualTo(RedisConfig.Verify.FULL);
    }

    @Test
    void aBadUrlIsNamedWithItsPasswordMasked() {
        assertThatThrownBy(() -> parse("redis: {url: 'http://quorum:s3cret@db:6379'}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("config error: redis.url = \"http://quorum:***@db:6379\": must start with redis://, rediss://, redis-sentinel:// or rediss-sentinel://");
        assertThatThrownBy(() -> parse("{}\n", Map.of("REDIS_URL", "redis://quorum:s3cret@db:63x9/0")))
                .hasMessage("config error: redis.url = \"redis://quorum:***@db:63x9/0\": not a Redis URL: use "
                        + "redis[s]://[user:password@]host[:port][/db], with @ : / in the password percent-encoded");
        assertThatThrownBy(() -> parse("redis: {url: 'redis://quorum:s3cret@db:6379/zero'}\n"))
                .hasMessageContaining("redis://quorum:***@db:6379/zero").hasMessageNotContaining("s3cret");
        assertThatThrownBy(() -> parse("redis: {url: 'rediss://quorum:s3cret@'}\n"))
                .hasMessageContaining("not a Redis URL").hasMessageNotContaining("s3cret");
    }

    @Test
    void theEmbeddedServerFsyncsEveryWriteUnlessToldOnceASecondAndOnlyItIsTold() throws Exception {
        assertThat(parse("{}\n").redis().fsync()).isEqualTo(RedisConfig.Fsync.ALWAYS);
        assertThat(parse("redis: {embedded_fsync: everysec}\n").redis().fsync()).isEqualTo(RedisConfig.Fsync.EVERYSEC);
        assertThat(parse("redis: {embedded_fsync: always}\n").redis().fsync()).isEqualTo(RedisConfig.Fsync.ALWAYS);
        assertThatThrownBy(() -> parse("redis: {embedded_fsync: never}\n"))
                .hasMessage("config error: redis.embedded_fsync = \"never\": must be always or everysec");
        assertThatThrownBy(() -> parse("redis: {url: 'redis://db:6379', embedded_fsync: everysec}\n"))
                .hasMessage("config error: redis.embedded_fsync = \"everysec\": applies only to the embedded server (no redis.url); "
                        + "set appendfsync on your own Redis");
    }

    @Test
    void tlsKeysNeedARedissUrlAndAReadableCaFile() throws Exception {
        assertThatThrownBy(() -> parse("redis: {url: 'redis://db:6379', tls_ca_file: /etc/ca.pem}\n"))
                .hasMessage("config error: redis.tls_ca_file = \"/etc/ca.pem\": applies only to a rediss:// redis.url (Redis over TLS)");
        assertThatThrownBy(() -> parse("redis: {tls_verify: none}\n"))
                .hasMessage("config error: redis.tls_verify = \"none\": applies only to a rediss:// redis.url (Redis over TLS)");
        assertThatThrownBy(() -> parse("redis: {url: 'rediss://db:6380', tls_verify: strict}\n"))
                .hasMessage("config error: redis.tls_verify = \"strict\": must be full, ca or none");
        Path missing = tmp.resolve("nope.pem");
        assertThatThrownBy(() -> parse("redis: {url: 'rediss://db:6380', tls_ca_file: %s}\n".formatted(missing)))
                .hasMessage("config error: redis.tls_ca_file = \"" + missing + "\": no such file");
        Path notPem = tmp.resolve("key.txt");
        Files.writeString(notPem, "-----BEGIN NOTHING-----\nabc\n-----END NOTHING-----\n");
        assertThatThrownBy(() -> parse("redis: {url: 'rediss://db:6380', tls_ca_file: %s}\n".formatted(notPem)))
                .hasMessage("config error: redis.tls_ca_file = \"" + notPem + "\": not a PEM file of CA certificates");
        Path empty = tmp.resolve("empty.pem");
        Files.writeString(empty, "");
        assertThatThrownBy(() -> parse("redis: {url: 'rediss://db:6380', tls_ca_file: %s}\n".formatted(empty)))
                .hasMessage("config error: redis.tls_ca_file = \"" + empty + "\": not a PEM file of CA certificates");
    }
}
