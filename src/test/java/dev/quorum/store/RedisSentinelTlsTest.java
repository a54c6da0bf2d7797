package dev.quorum.store;

import dev.quorum.testing.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * {@code rediss-sentinel://}: the same failover as {@link RedisSentinelTest}, with the master, its replica and the
 * three sentinels speaking only TLS (to Quorum, to each other), each with a certificate from a private CA for
 * 127.0.0.1, the address the sentinels announce, and Quorum verifying it in full (chain and address) both on the
 * sentinels and on each master they name, before and after the failover.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RedisSentinelTlsTest {
    private static final String PASSWORD = "sentinel-tls-s3cret-0123456789";

    @TempDir
    Path tmp;

    @Test
    void overTlsWithFullVerificationAVoteFromBeforeTheMasterIsKilledCountsAfterTheFailover() throws Exception {
        TestCertificates certs = TestCertificates.create(tmp.resolve("tls"), "127.0.0.1");
        try (RedisSentinelProcesses redis = RedisSentinelProcesses.startTls(tmp.resolve("redis"), PASSWORD, certs)) {
            RedisSentinelTest.voteAcrossAFailover(tmp, redis, "  tls_ca_file: " + certs.ca() + "\n  tls_verify: full\n",
                    "Redis Sentinel failover over TLS (RedisSentinelTlsTest: 1 master, 1 replica, 3 sentinels, rediss-sentinel://, tls_verify full)");
        }
    }
}
