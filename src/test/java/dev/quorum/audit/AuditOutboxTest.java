package dev.quorum.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quorum.conversation.Conversation;
import dev.quorum.conversation.Identity;
import dev.quorum.conversation.IncomingMessage;
import dev.quorum.request.Request;
import dev.quorum.request.RequestState;
import dev.quorum.request.RequestStore;
import dev.quorum.request.RequestType;
import dev.quorum.store.Redis;
import dev.quorum.testing.QuorumHarness;
import dev.quorum.testing.TestRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The audit outbox: a change's entry, written in the change's own step, reaches the chain once, whatever dies when. */
class AuditOutboxTest {
    private static final Conversation ROOM = new Conversation("console", "general", null);

    @TempDir
    Path dir;

    /** The request.state entries of a request in the chain, as {@code from->to by actor: reason}. */
    private static List<String> stateEntries(Redis redis, String id) {
        return AuditLog.page(redis, null, 100_000).stream().filter(e -> e.type().equals("request.state") && id.equals(e.requestId()))
                .map(e -> {
                    try {
                        JsonNode d = new com.fasterxml.jackson.databind.ObjectMapper().readTree(e.data());
                        return d.get("from").asText() + "->" + d.get("to").asText() + " by " + e.actor() + ": " + d.get("reason").asText();
                    } catch (java.io.IOException x) {
                        throw new java.io.UncheckedIOException(x);
                    }
                }).toList();
    }

    @Test
    void aChangeWhoseInstanceDiedBeforeItsDrainIsSealedExactlyOnceAtTheRestart() throws Exception {
        TestRedis.flush();
        Path data = dir.resolve("data");
        Request r;
        try (QuorumHarness first = QuorumHarness.start(data)) {
            r = first.quorum().requests().open(RequestType.RESEARCH, IncomingMessage.human(Identity.console("alice"), ROOM, "research why"),
                    "research why", null);
        }
        try (Redis redis = Redis.connect(TestRedis.uri())) {
            // An instance makes the next change and dies before its drain: the change's step ran (with its
            // outbox entry), nothing after it did. No Quorum runs now, so nothing drains behind the test's back.
            assertThat(new RequestStore(redis).transition(r, RequestState.QUEUED, RequestState.CANCELLED, Map.of("reason", "not needed"),
                    Instant.now(), "console:alice", "not needed")).isTrue();
            assertThat(redis.sync().xlen(AuditLog.OUTBOX)).isEqualTo(1);
            assertThat(stateEntries(redis, r.id())).isEmpty();
            for (int start = 1; start <= 2; start++) {
                try (QuorumHarness again = QuorumHarness.start(data)) {
                    JsonNode verify = again.get("/api/audit/verify").json();
                    assertThat(verify.get("ok").asBoolean()).as(verify.toString()).isTrue();
                    assertThat(stateEntries(redis, r.id())).as("after start " + start)
                            .containsExactly("queued->cancelled by console:alice: not needed");
                    assertThat(redis.sync().xlen(AuditLog.OUTBOX)).isZero();
                    assertThat(again.get("/api/requests/" + r.id()).json().get("history").toString()).contains("\"to\":\"cancelled\"");
                }
            }
        }
    }

    @Test
    void aDrainThatFailsLeavesTheEntriesInTheOutboxForTheNextOne() throws Exception {
        Redis redis = TestRedis.fresh();
        AuditLog audit = AuditLog.open(redis, Clock.systemUTC(), dir.resolve("a"));
        RequestStore store = new RequestStore(redis);
        Request r = store.create(RequestType.TEST, Identity.console("bob"), "bob", ROOM, "test", null, Instant.now());
        redis.close(); // the store goes away between the change and its drain
        assertThat(org.assertj.core.api.Assertions.catchThrowable(audit::drain)).isNotNull();

        try (Redis back = Redis.connect(TestRedis.uri())) {
            assertThat(back.sync().xlen(AuditLog.OUTBOX)).isEqualTo(1);
            AuditLog restarted = AuditLog.open(back, Clock.systemUTC(), dir.resolve("a"));
            assertThat(restarted.forRequest(r.id())).extracting(AuditEntry::type).containsExactly("request.created");
            assertThat(restarted.drain()).isZero();
            assertThat(restarted.verify().ok()).as(restarted.verify().toString()).isTrue();
        }
    }

    @Test
    void twoInstancesDrainingAtOnceSealEachOutboxEntryOnce() throws Exception {
        Redis redis = TestRedis.fresh();
        Path other = dir.resolve("other");
        AuditLog first = AuditLog.open(redis, Clock.systemUTC(), dir.resolve("first"));
        AuditLogTest.copyKey(dir.resolve("first"), other);
        try (Redis secondRedis = Redis.connect(TestRedis.uri())) {
            AuditLog second = AuditLog.open(secondRedis, Clock.systemUTC(), other);
            RequestStore one = new RequestStore(redis);
            RequestStore two = new RequestStore(secondRedis);
            try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < 600; i++) {
                    int n = i;
                    pool.submit(() -> {
                        switch (n % 4) {
                            case 0 -> one.create(RequestType.TEST, Identity.console("a"), "a", ROOM, "test " + n, null, Instant.now());
                            case 1 -> two.create(RequestType.TEST, Identity.console("b"), "b", ROOM, "test " + n, null, Instant.now());
                            case 2 -> (n % 8 == 2 ? first : second).append("vote", "console:c", null, AuditLog.details("n", n));
                            default -> (n % 8 == 3 ? first : second).drain();
                        }
                        return null;
                    });
                }
            }
            first.drain();
            assertThat(redis.sync().xlen(AuditLog.OUTBOX)).isZero();
            Map<String, Long> created = AuditLog.page(redis, null, 100_000).stream().filter(e -> e.type().equals("request.created"))
                    .collect(Collectors.groupingBy(AuditEntry::requestId, Collectors.counting()));
            assertThat(created).hasSize(300);
            assertThat(created.values()).containsOnly(1L);
            assertThat(AuditLog.page(redis, null, 100_000)).hasSize(450);
            assertThat(first.verify().ok()).as(first.verify().toString()).isTrue();
            assertThat(second.verify().ok()).as(second.verify().toString()).isTrue();
        }
        redis.close();
    }

    @Test
    void aChangeIsInTheChainWhenItsCallReturnsAndTheOutboxKeepsNothing() throws Exception {
        Redis redis = TestRedis.fresh();
        Clock clock = Clock.systemUTC();
        AuditLog audit = AuditLog.open(redis, clock, dir.resolve("a"));
        var requests = new dev.quorum.request.Requests(new RequestStore(redis), audit, new dev.quorum.request.WorkQueue(redis), clock);
        Request r = requests.open(RequestType.TEST, IncomingMessage.human(Identity.console("alice"), ROOM, "test"), "test", null);
        Request running = requests.move(r, RequestState.RUNNING, "quorum", null).orElseThrow();
        requests.move(running, RequestState.FAILED, "console:alice", "stopped").orElseThrow();
        assertThat(redis.sync().xlen(AuditLog.OUTBOX)).isZero();
        assertThat(stateEntries(redis, r.id())).containsExactly("queued->running by quorum: ", "running->failed by console:alice: stopped");
        redis.close();
    }

    @Test
    void largeEntriesAreDrainedInSeveralStepsAndAllOfThemAtOnce() throws Exception {
        Redis redis = TestRedis.fresh();
        AuditLog audit = AuditLog.open(redis, Clock.systemUTC(), dir.resolve("a"));
        String reason = "x".repeat(1_000_000); // a reason quoting a long test output, say
        for (int i = 0; i < 7; i++) {
            redis.sync().xadd(AuditLog.OUTBOX, Map.of("type", "request.state", "actor", "quorum", "request", "R" + (i + 1),
                    "data", AuditLog.details(RequestStore.stateChange(RequestState.RUNNING, RequestState.FAILED, reason)),
                    "at", String.valueOf(System.currentTimeMillis())));
        }

        assertThat(audit.drain()).isEqualTo(7);

        assertThat(redis.sync().xlen(AuditLog.OUTBOX)).isZero();
        assertThat(AuditLog.page(redis, null, 100)).extracting(AuditEntry::requestId).containsExactly("R1", "R2", "R3", "R4", "R5", "R6", "R7");
        assertThat(audit.verify().ok()).isTrue();
        redis.close();
    }
}
