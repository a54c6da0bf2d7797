package dev.quorum.cli;

import dev.quorum.audit.AuditLog;
import dev.quorum.config.RedisConfig;
import dev.quorum.evidence.EvidenceRecord;
import dev.quorum.evidence.EvidenceStatus;
import dev.quorum.evidence.EvidenceStore;
import dev.quorum.evidence.TestCounts;
import dev.quorum.store.Redis;
import dev.quorum.testing.QuorumHarness;
import dev.quorum.testing.TestRedis;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAddArgs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The CLI as an operator meets it: a real JVM process, its exit code and its output. */
class QuorumCliTest {
    @TempDir
    Path dir;

    record Run(int exit, String out) {}

    private Run quorum(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), QuorumCli.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out);
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
    void evidenceVerifyRecomputesTheDigestOfWhatIsStored() throws Exception {
        Map<String, String> env = Map.of("REDIS_URL", TestRedis.uri());
        try (Redis redis = TestRedis.fresh()) {
            EvidenceRecord record = EvidenceRecord.sealed("demo", "a".repeat(40), "mvn test", EvidenceStatus.PASSED, 0,
                    java.time.Instant.parse("2026-11-26T10:00:00Z"), 1200, new TestCounts(3, 3, 0, 0, 0), List.of(), "ok", List.of(), true);
            new EvidenceStore(redis).save(record, "R7", java.time.Instant.now());
            Run ok = quorum(env, "evidence", "verify", "R7");
            assertThat(ok.exit()).isZero();
            assertThat(ok.out()).contains("evidence " + record.digest() + " verified: passed");

            redis.sync().set("q:evidence:" + record.digest(), record.toJson().replace("\"total\":3", "\"total\":30"));
            Run tampered = quorum(env, "evidence", "verify", "R7");
            assertThat(tampered.exit()).isEqualTo(1);
            assertThat(tampered.out()).contains("does NOT match its digest");

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
            long entries = running.quorum().redis().sync().xlen("q:audit");
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
        Map<String, String> env = Map.of("REDIS_URL", TestRedis.uri());
        try (Redis redis = TestRedis.fresh()) {
            AuditLog audit = new AuditLog(redis, Clock.systemUTC());
            for (int i = 0; i < 3; i++) audit.append("vote", "console:bob", "R1", AuditLog.details("n", i));
            Run ok = quorum(env, "audit", "verify");
            assertThat(ok.exit()).isZero();
            assertThat(ok.out()).contains("audit log intact: 3 entries");

            List<StreamMessage<String, String>> all = redis.sync().xrange("q:audit", Range.create("-", "+"));
            redis.sync().del("q:audit");
            for (StreamMessage<String, String> m : all) {
                Map<String, String> body = new HashMap<>(m.getBody());
                if (m == all.get(1)) body.put("data", "{\"n\":42}");
                redis.sync().xadd("q:audit", new XAddArgs().id(m.getId()), body);
            }
            Run broken = quorum(env, "audit", "verify");
            assertThat(broken.exit()).isEqualTo(1);
            assertThat(broken.out()).contains("audit log BROKEN at entry " + all.get(1).getId());
        }
    }
}
