package dev.quorum.evidence;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.quorum.audit.AuditLog;
import dev.quorum.audit.CanonicalJson;
import dev.quorum.audit.SealKey;
import dev.quorum.conversation.Conversation;
import dev.quorum.conversation.Identity;
import dev.quorum.conversation.Reply;
import dev.quorum.request.Request;
import dev.quorum.request.RequestState;
import dev.quorum.request.RequestType;
import dev.quorum.store.Redis;
import dev.quorum.testing.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Only records Quorum sealed are evidence: what someone wrote into Redis without the key is absent. */
class EvidenceStoreTest {
    private static final String A = "a".repeat(40);
    private static final String B = "b".repeat(40);
    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");

    @TempDir
    Path data;
    private Redis redis;
    private SealKey key;
    private EvidenceStore store;

    @BeforeEach
    void setUp() throws Exception {
        redis = TestRedis.fresh();
        key = AuditLog.open(redis, Clock.systemUTC(), data).key();
        store = new EvidenceStore(redis, key);
    }

    @AfterEach
    void tearDown() {
        redis.close();
    }

    private static EvidenceRecord record(String commit, EvidenceStatus status, long durationMs) {
        return EvidenceRecord.sealed("app", commit, "sh run-tests.sh", status, status == EvidenceStatus.PASSED ? 0 : 1, T0, durationMs,
                status == EvidenceStatus.PASSED ? new TestCounts(2, 2, 0, 0, 0) : new TestCounts(2, 1, 1, 0, 0), List.of(), "", List.of(), true);
    }

    /** What an attacker with write access to Redis can do: store a record with a right digest, without the key. */
    private void forge(EvidenceRecord r, String requestId, Instant at) {
        redis.sync().set("{q}:evidence:" + r.digest(), r.toJson());
        redis.sync().zadd("{q}:evidence:commit:app:" + r.commit(), at.toEpochMilli(), r.digest());
        redis.sync().set("{q}:req:" + requestId + ":evidence", r.digest());
    }

    @Test
    void aRecordQuorumStoredIsFoundByEveryRoute() {
        EvidenceRecord passed = record(A, EvidenceStatus.PASSED, 10);
        store.save(passed, "R1", T0);
        assertThat(store.find(passed.digest())).contains(passed);
        assertThat(store.forRequest("R1")).contains(passed);
        assertThat(store.latest("app", A)).contains(passed);
        assertThat(store.latestPassing("app", A)).contains(passed);
        assertThat(store.inspect(passed.digest())).isEqualTo(new StoredEvidence.Sealed(passed, passed.toJson()));
        assertThat(redis.sync().get("{q}:evidence:" + passed.digest() + ":seal")).isEqualTo(key.seal(SealKey.Purpose.EVIDENCE, passed.digest()));
    }

    @Test
    void aForgedNewerPassingRecordIsAbsentAndTheGenuineOneIsUsed() {
        EvidenceRecord failed = record(A, EvidenceStatus.FAILED, 10);
        store.save(failed, "R1", T0);
        EvidenceRecord forged = record(A, EvidenceStatus.PASSED, 11);
        forge(forged, "R2", T0.plusSeconds(60));
        assertThat(store.find(forged.digest())).isEmpty();
        assertThat(store.forRequest("R2")).isEmpty();
        assertThat(store.latest("app", A)).contains(failed);
        assertThat(store.latestPassing("app", A)).isEmpty();
        assertThat(store.inspect(forged.digest())).isEqualTo(new StoredEvidence.Unsealed(forged, forged.toJson()));
    }

    @Test
    void aWrongOrCopiedSealIsAsBadAsNone() {
        EvidenceRecord genuine = record(B, EvidenceStatus.PASSED, 10);
        store.save(genuine, "R1", T0);
        EvidenceRecord forged = record(A, EvidenceStatus.PASSED, 12);
        forge(forged, "R2", T0);
        redis.sync().set("{q}:evidence:" + forged.digest() + ":seal", redis.sync().get("{q}:evidence:" + genuine.digest() + ":seal"));
        assertThat(store.inspect(forged.digest())).isEqualTo(new StoredEvidence.Broken(
                "does NOT match its seal: Quorum did not store it (forged, or sealed with another key)"));
        redis.sync().set("{q}:evidence:" + forged.digest() + ":seal", CanonicalJson.sha256Hex(forged.digest()));
        assertThat(store.find(forged.digest())).isEmpty();
        assertThat(store.latestPassing("app", A)).isEmpty();
    }

    @Test
    void aGenuineRecordOfAnotherCommitFiledUnderThisOneIsAbsent() {
        EvidenceRecord ofB = record(B, EvidenceStatus.PASSED, 10);
        store.save(ofB, "R1", T0);
        redis.sync().zadd("{q}:evidence:commit:app:" + A, T0.toEpochMilli(), ofB.digest());
        assertThat(store.latest("app", A)).isEmpty();
        assertThat(store.latestPassing("app", A)).isEmpty();
        assertThat(store.latest("other", B)).isEmpty();
        assertThat(store.latest("app", B)).contains(ofB);
    }

    @Test
    void aChangedOrReplacedRecordIsBrokenEvenWithItsSeal() {
        EvidenceRecord genuine = record(A, EvidenceStatus.FAILED, 10);
        store.save(genuine, "R1", T0);
        redis.sync().set("{q}:evidence:" + genuine.digest(), genuine.toJson().replace("\"status\":\"failed\"", "\"status\":\"passed\""));
        assertThat(store.inspect(genuine.digest())).isEqualTo(new StoredEvidence.Broken("does NOT match its digest: the stored record was changed"));
        EvidenceRecord other = record(A, EvidenceStatus.PASSED, 13);
        redis.sync().set("{q}:evidence:" + genuine.digest(), other.toJson()); // intact, but not the record this digest names
        assertThat(store.inspect(genuine.digest())).isEqualTo(new StoredEvidence.Broken(
                "is filed under another digest (" + other.shortDigest() + "): the stored record was replaced"));
        assertThat(store.find(genuine.digest())).isEmpty();
    }

    @Test
    void anIgnoredRecordIsWarnedAboutOncePerDigest() {
        EvidenceRecord forged = record(A, EvidenceStatus.PASSED, 10);
        forge(forged, "R2", T0);
        Logger logger = (Logger) LoggerFactory.getLogger(EvidenceStore.class);
        ListAppender<ILoggingEvent> seen = new ListAppender<>();
        seen.start();
        logger.addAppender(seen);
        try {
            for (int i = 0; i < 3; i++) {
                store.find(forged.digest());
                store.latest("app", A);
            }
        } finally {
            logger.detachAppender(seen);
        }
        assertThat(seen.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
                "Evidence " + forged.digest() + " is not used: it carries no seal (stored before keying began, or forged)");
    }

    @Test
    void anUnsealedRecordIsShownMarkedUnsealedAndABrokenOneNotAtAll(@TempDir Path tmp) {
        EvidenceViews views = new EvidenceViews(store, new EvidenceService(new EvidenceSettings(tmp.resolve("work"), tmp.resolve("logs"),
                1, Duration.ofSeconds(1), Duration.ofSeconds(1), false, Map.of())));
        EvidenceRecord old = record(A, EvidenceStatus.PASSED, 10);
        forge(old, "R1", T0); // as stored before keying began
        Request r1 = request("R1");
        assertThat(views.seal().of(r1)).isEqualTo("unsealed");
        assertThat(views.of(r1).toString()).contains(old.digest());
        assertThat(views.fieldsFor(r1)).containsExactly(new Reply.Field("evidence", EvidenceLine.of(old) + " · unsealed"));

        redis.sync().set("{q}:evidence:" + old.digest() + ":seal", "00");
        assertThat(views.seal().of(r1)).isEqualTo("invalid");
        assertThat(views.of(r1)).isNull();
        assertThat(views.fieldsFor(r1)).containsExactly(new Reply.Field("evidence",
                "invalid: the stored record does NOT match its seal: Quorum did not store it (forged, or sealed with another key)"));
        assertThat(views.seal().of(request("R9"))).isNull();
    }

    private static Request request(String id) {
        return new Request(id, RequestType.TEST, RequestState.SUCCEEDED, Identity.console("alice"), "alice",
                new Conversation("console", "general", null), "test", T0, T0, null, null, null, null, 0);
    }
}
