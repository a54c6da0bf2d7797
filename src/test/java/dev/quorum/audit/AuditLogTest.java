package dev.quorum.audit;

import dev.quorum.store.Redis;
import dev.quorum.testing.TestRedis;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAddArgs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

class AuditLogTest {
    private Redis redis;
    private AuditLog audit;

    @BeforeEach
    void setUp() {
        redis = TestRedis.fresh();
        audit = new AuditLog(redis, Clock.systemUTC());
    }

    @AfterEach
    void tearDown() {
        redis.close();
    }

    private void appendSome(int n) {
        for (int i = 0; i < n; i++) audit.append("vote", "console:bob", "R" + i, AuditLog.details("vote", "approve", "n", i));
    }

    @Test
    void eachEntryCarriesTheHashOfTheOneBefore() {
        appendSome(3);
        List<AuditEntry> entries = audit.read(null, 10);
        assertThat(entries).hasSize(3);
        assertThat(entries.get(0).prev()).isEmpty();
        assertThat(entries.get(1).prev()).isEqualTo(entries.get(0).hash());
        assertThat(entries.get(2).prev()).isEqualTo(entries.get(1).hash());
        assertThat(audit.verify()).isEqualTo(new AuditVerification(true, 3, null, null));
    }

    @Test
    void aChangedEntryIsFound() {
        appendSome(5);
        List<StreamMessage<String, String>> all = redis.sync().xrange(AuditLog.STREAM, io.lettuce.core.Range.create("-", "+"));
        String victim = all.get(2).getId();
        rewrite(all, victim, Map.of("data", "{\"n\":2,\"vote\":\"reject\"}"));
        AuditVerification v = audit.verify();
        assertThat(v.ok()).isFalse();
        assertThat(v.firstBad()).isEqualTo(victim);
        assertThat(v.problem()).contains("does not match its hash");
    }

    @Test
    void aDeletedEntryIsFound() {
        appendSome(5);
        List<StreamMessage<String, String>> all = redis.sync().xrange(AuditLog.STREAM, io.lettuce.core.Range.create("-", "+"));
        redis.sync().xdel(AuditLog.STREAM, all.get(1).getId());
        AuditVerification v = audit.verify();
        assertThat(v.ok()).isFalse();
        assertThat(v.firstBad()).isEqualTo(all.get(2).getId());
        assertThat(v.problem()).contains("does not follow the entry before it");
    }

    @Test
    void aDeletedLastEntryIsFound() {
        appendSome(3);
        List<StreamMessage<String, String>> all = redis.sync().xrange(AuditLog.STREAM, io.lettuce.core.Range.create("-", "+"));
        redis.sync().xdel(AuditLog.STREAM, all.get(2).getId());
        AuditVerification v = audit.verify();
        assertThat(v.ok()).isFalse();
        assertThat(v.problem()).contains("entries after it were deleted");
    }

    @Test
    void aRehashedForgeryStillBreaksTheChain() {
        appendSome(4);
        List<StreamMessage<String, String>> all = redis.sync().xrange(AuditLog.STREAM, io.lettuce.core.Range.create("-", "+"));
        StreamMessage<String, String> victim = all.get(1);
        Map<String, String> forged = new HashMap<>(victim.getBody());
        forged.put("actor", "console:mallory");
        AuditEntry e = new AuditEntry(victim.getId(), java.time.Instant.parse(forged.get("at")), forged.get("type"), forged.get("actor"),
                forged.get("request"), forged.get("data"), forged.get("prev"), "");
        forged.put("hash", e.computeHash());
        rewrite(all, victim.getId(), forged);
        AuditVerification v = audit.verify();
        assertThat(v.ok()).isFalse();
        assertThat(v.firstBad()).isEqualTo(all.get(2).getId());
    }

    @Test
    void concurrentAppendsFromSeveralConnectionsKeepOneChain() throws Exception {
        try (Redis other = Redis.connect(TestRedis.uri()); var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            AuditLog second = new AuditLog(other, Clock.systemUTC());
            for (int i = 0; i < 100; i++) {
                AuditLog log = i % 2 == 0 ? audit : second;
                int n = i;
                pool.submit(() -> log.append("vote", "console:x", "R1", AuditLog.details("n", n)));
            }
        }
        assertThat(audit.verify()).isEqualTo(new AuditVerification(true, 100, null, null));
    }

    @Test
    void hundredsOfSimultaneousAppendsFromTwoInstancesAllLandInOneChain() throws Exception {
        try (Redis other = Redis.connect(TestRedis.uri()); var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            AuditLog second = new AuditLog(other, Clock.systemUTC());
            var all = new java.util.ArrayList<java.util.concurrent.Future<AuditEntry>>();
            for (int i = 0; i < 2000; i++) {
                AuditLog log = i % 4 == 0 ? second : audit;
                int n = i;
                all.add(pool.submit(() -> log.append("vote", "console:x", "R" + n, AuditLog.details("n", n))));
            }
            java.util.Set<String> ids = new java.util.HashSet<>();
            for (var f : all) ids.add(f.get().id());
            assertThat(ids).hasSize(2000);
        }
        assertThat(audit.verify()).isEqualTo(new AuditVerification(true, 2000, null, null));
    }

    /** Rebuilds the stream with one entry's fields replaced, keeping ids: what an attacker with Redis access could do. */
    private void rewrite(List<StreamMessage<String, String>> all, String id, Map<String, String> replacement) {
        redis.sync().del(AuditLog.STREAM);
        for (StreamMessage<String, String> m : all) {
            Map<String, String> body = new HashMap<>(m.getBody());
            if (m.getId().equals(id)) body.putAll(replacement);
            redis.sync().xadd(AuditLog.STREAM, new XAddArgs().id(m.getId()), body);
        }
    }
}
