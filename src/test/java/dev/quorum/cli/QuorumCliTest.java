package dev.quorum.cli;

import dev.quorum.audit.AuditLog;
import dev.quorum.config.RedisConfig;
import dev.quorum.evidence.EvidenceRecord;
import dev.quorum.evidence.EvidenceStatus;
import dev.quorum.evidence.EvidenceStore;
import dev.quorum.evidence.TestCounts;
import dev.quorum.store.Redis;
import dev.quorum.testing.QuorumHarness;
import dev.quorum.testing.QuorumProcess;
import dev.quorum.testing.QuorumProcess.Run;
import dev.quorum.testing.TestRedis;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAddArgs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The CLI as an operator meets it: a real JVM process, its exit code and its output. */
class QuorumCliTest {
    @TempDir
    Path dir;

    private Run quorum(Map<String, String> env, String... args) throws IOException, InterruptedException {
        return QuorumProcess.run(dir, env, args);
    }

    @Test
    void aConfigWithATypoEndsWithExitCode2AndOneLine() throws Exception {
        Path config = dir.resolve("quorum.yaml");
        Files.writeString(config, "http:\n  prot: 8080\n");
        Run run = quorum(Map.of(), "--config", config.toString());
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.out().strip()).isEqualTo("config error: http.prot = \"prot\": unknown key; did you mean 'port'?");
    }

    @Test
    void aBadEnvironmentOverrideEndsWithExitCode2() throws Exception {
        Run run = quorum(Map.of("QUORUM_HTTP_PORT", "http"), "serve");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.out().strip()).isEqualTo("config error: http.port (from QUORUM_HTTP_PORT) = \"http\": must be a whole number");
    }

    @Test
    void versionAndHelpAnswerWithoutStarting() throws Exception {
        Run version = quorum(Map.of(), "--version");
        assertThat(version.exit()).isZero();
        assertThat(version.out()).startsWith("quorum ");
        Run help = quorum(Map.of(), "--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("serve", "audit");
        Run usage = quorum(Map.of(), "audit", "--frobnicate");
        assertThat(usage.exit()).isEqualTo(2);
    }

    @Test
    void evidenceVerifyRecomputesTheDigestOfWhatIsStoredAndChecksItsSeal() throws Exception {
        Map<String, String> env = Map.of("REDIS_URL", TestRedis.uri(), "QUORUM_DATA", dir.resolve("data").toString());
        try (Redis redis = TestRedis.fresh()) {
            AuditLog audit = AuditLog.open(redis, Clock.systemUTC(), dir.resolve("data"));
            EvidenceRecord record = EvidenceRecord.sealed("demo", "a".repeat(40), "mvn test", EvidenceStatus.PASSED, 0,
                    java.time.Instant.parse("2026-11-26T10:00:00Z"), 1200, new TestCounts(3, 3, 0, 0, 0), List.of(), "ok", List.of(), true);
            new EvidenceStore(redis, audit.key()).save(record, "R7", java.time.Instant.now());
            Run ok = quorum(env, "evidence", "verify", "R7");
            assertThat(ok.exit()).isZero();
            assertThat(ok.out().strip()).isEqualTo("evidence " + record.digest() + " verified: passed at " + "a".repeat(40)
                    + " (3 tests); digest and seal hold");

            String key = "{q}:evidence:" + record.digest();
            redis.sync().set(key, record.toJson().replace("\"total\":3", "\"total\":30"));
            Run tampered = quorum(env, "evidence", "verify", "R7");
            assertThat(tampered.exit()).isEqualTo(1);
            assertThat(tampered.out().strip()).isEqualTo("evidence " + record.digest() + " does NOT match its digest: the stored record was changed");

            // a record anyone can make: a right SHA-256 digest, and a "seal" without the key
            EvidenceRecord forged = EvidenceRecord.sealed("demo", "b".repeat(40), "mvn test", EvidenceStatus.PASSED, 0,
                    java.time.Instant.parse("2026-11-26T10:00:00Z"), 1200, new TestCounts(9, 9, 0, 0, 0), List.of(), "ok", List.of(), true);
            redis.sync().set("{q}:evidence:" + forged.digest(), forged.toJson());
            redis.sync().set("{q}:req:R9:evidence", forged.digest());
            Run unsealed = quorum(env, "evidence", "verify", "R9");
            assertThat(unsealed.exit()).isEqualTo(1);
            assertThat(unsealed.out().strip()).isEqualTo("evidence " + forged.digest() + " matches its digest but carries no seal: it was "
                    + "stored before keying began, or forged; Quorum never attaches it to a vote or a deploy");
            redis.sync().set("{q}:evidence:" + forged.digest() + ":seal", dev.quorum.audit.CanonicalJson.sha256Hex(forged.digest()));
            Run badSeal = quorum(env, "evidence", "verify", forged.digest());
            assertThat(badSeal.exit()).isEqualTo(1);
            assertThat(badSeal.out().strip()).isEqualTo("evidence " + forged.digest()
                    + " does NOT match its seal: Quorum did not store it (forged, or sealed with another key)");

            Run missing = quorum(env, "evidence", "verify", "R8");
            assertThat(missing.exit()).isEqualTo(1);
            assertThat(missing.out()).contains("no evidence for R8");
        }
    }

    @Test
    void auditVerifyReadsTheEmbeddedRedisOfARunningQuorumWithItsPassword() throws Exception {
        Path data = dir.resolve("data");
        Map<String, String> embedded = Map.of("REDIS_URL", "", "QUORUM_DATA", data.toString());
        try (QuorumHarness running = QuorumHarness.start(data, QuorumHarness.bundledConfigText(), Map.of("REDIS_URL", ""), Clock.systemUTC())) {
            running.say("dave", "freeze");
            running.say("dave", "unfreeze");
            long entries = running.quorum().redis().sync().xlen("{q}:audit");
            assertThat(entries).isGreaterThanOrEqualTo(2);
            Run ok = quorum(embedded, "audit", "verify");
            assertThat(ok.out()).contains("audit log intact: " + entries + " entries");
            assertThat(ok.exit()).isZero();
            assertThat(ok.out()).as("used the running server").doesNotContain("Starting embedded Redis");
            assertThat(ok.out()).doesNotContain(Files.readString(data.resolve("redis/quorum-redis.credentials")).lines()
                    .filter(l -> l.startsWith("password=")).findFirst().orElseThrow().substring("password=".length()));
        }
    }

    @Test
    void aRedisThatRefusesThePasswordEndsTheCliWithOneLineAndExitCode2() throws Exception {
        String uri = TestRedis.uri();
        String wrong = uri.substring(0, uri.indexOf(':', "redis://".length()) + 1) + "not-the-password" + uri.substring(uri.lastIndexOf('@'));
        Run run = quorum(Map.of("REDIS_URL", wrong), "audit", "verify");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.out().lines().filter(l -> l.startsWith("config error:")).toList())
                .containsExactly("config error: redis.url = \"" + RedisConfig.masked(wrong) + "\": the server refused the user and password (WRONGPASS)");
        assertThat(run.out()).doesNotContain("not-the-password");
    }

    @Test
    void auditVerifyExitsZeroWhenIntactAndOneWhenTampered() throws Exception {
        Path data = dir.resolve("data");
        Map<String, String> env = Map.of("REDIS_URL", TestRedis.uri(), "QUORUM_DATA", data.toString());
        try (Redis redis = TestRedis.fresh()) {
            AuditLog audit = AuditLog.open(redis, Clock.systemUTC(), data);
            for (int i = 0; i < 3; i++) audit.append("vote", "console:bob", "R1", AuditLog.details("n", i));
            Run ok = quorum(env, "audit", "verify");
            assertThat(ok.exit()).isZero();
            assertThat(ok.out().strip()).isEqualTo("audit log intact: 3 entries\nnote: 3 sealed entries checked with key "
                    + audit.key().id() + " against 3 anchors in " + data.resolve("audit/anchors"));

            List<StreamMessage<String, String>> all = redis.sync().xrange("{q}:audit", Range.create("-", "+"));
            redis.sync().del("{q}:audit");
            for (StreamMessage<String, String> m : all) {
                Map<String, String> body = new HashMap<>(m.getBody());
                if (m == all.get(1)) body.put("data", "{\"n\":42}");
                redis.sync().xadd("{q}:audit", new XAddArgs().id(m.getId()), body);
            }
            Run broken = quorum(env, "audit", "verify");
            assertThat(broken.exit()).isEqualTo(1);
            assertThat(broken.out().strip()).isEqualTo("audit log BROKEN at entry " + all.get(1).getId()
                    + ": entry 2 does not match its hash (the entry was changed)");
        }
    }

    @Test
    void auditVerifyRefusesAKeyOthersCanRead() throws Exception {
        Path data = dir.resolve("data");
        try (Redis redis = TestRedis.fresh()) {
            AuditLog.open(redis, Clock.systemUTC(), data);
        }
        Path key = data.resolve("keys/seal.key");
        Files.setPosixFilePermissions(key, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r-----"));
        Run refused = quorum(Map.of("REDIS_URL", TestRedis.uri(), "QUORUM_DATA", data.toString()), "audit", "verify");
        assertThat(refused.exit()).isEqualTo(2);
        assertThat(refused.out().strip()).isEqualTo("config error: data = \"" + data + "\": the seal key " + key
                + " is open to group or others (rw-r-----); make it owner-only: chmod 600 " + key);
    }

    /**
     * A command that only reads, on your own Redis (not the embedded one, which has no replicas):
     * no WAIT, no {@code {q}:durable} marker, no key changed. Quorum learns its replicas at its first
     * critical write, which this command never makes.
     */
    @Test
    void auditVerifyOnYourOwnRedisWritesNothingAndSendsNoWait() throws Exception {
        Path data = dir.resolve("data");
        try (Redis redis = TestRedis.fresh()) {
            AuditLog audit = AuditLog.open(redis, Clock.systemUTC(), data);
            audit.append("vote", "console:bob", "R1", AuditLog.details("n", 1));
            List<String> keys = redis.sync().keys("*");
            long waits = waitsSent(redis);
            Run ok = quorum(Map.of("REDIS_URL", TestRedis.uri(), "QUORUM_DATA", data.toString()), "audit", "verify");
            assertThat(ok.out()).contains("audit log intact: 1 entries");
            assertThat(ok.exit()).isZero();
            assertThat(redis.sync().exists("{q}:durable")).as("no marker").isZero();
            assertThat(redis.sync().keys("*")).containsExactlyInAnyOrderElementsOf(keys);
            assertThat(waitsSent(redis)).as("WAITs the server counted").isEqualTo(waits);
        }
    }

    /** Calls of WAIT since the server started, from {@code INFO commandstats}. */
    private static long waitsSent(Redis redis) {
        return redis.sync().info("commandstats").lines().filter(l -> l.startsWith("cmdstat_wait:calls="))
                .mapToLong(l -> Long.parseLong(l.substring("cmdstat_wait:calls=".length(), l.indexOf(',')))).sum();
    }
}
