package dev.quorum.attack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quorum.audit.AuditEntry;
import dev.quorum.audit.AuditLog;
import dev.quorum.audit.AuditVerification;
import dev.quorum.conversation.Conversation;
import dev.quorum.conversation.Identity;
import dev.quorum.conversation.IncomingMessage;
import dev.quorum.request.Request;
import dev.quorum.request.RequestState;
import dev.quorum.request.RequestStore;
import dev.quorum.request.RequestType;
import dev.quorum.request.Requests;
import dev.quorum.request.WorkQueue;
import dev.quorum.store.Redis;
import dev.quorum.testing.CapturedLog;
import dev.quorum.testing.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Someone who can write to Redis writes to the audit outbox, hoping Quorum seals their words into
 * the chain as its own (a forged execution, a vote), or that a malformed entry stops the drain so
 * that real changes stay out of the chain. Whatever the outbox holds, the drain goes on: an entry
 * Quorum's scripts could not have written is sealed only as {@code audit.outbox_rejected}, quoting
 * it, attributed to no request, logged on one line and counted by verify.
 */
class AuditOutboxAttackTest {
    private static final Conversation ROOM = new Conversation("console", "general", null);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NOW = String.valueOf(System.currentTimeMillis());

    @TempDir
    Path data;
    private Redis redis;
    private AuditLog audit;
    private Requests requests;

    @BeforeEach
    void setUp() throws Exception {
        redis = TestRedis.fresh();
        audit = AuditLog.open(redis, Clock.systemUTC(), data);
        requests = new Requests(new RequestStore(redis), audit, new WorkQueue(redis), Clock.systemUTC());
    }

    @AfterEach
    void tearDown() {
        redis.close();
    }

    private void forge(Map<String, String> fields) {
        redis.sync().xadd(AuditLog.OUTBOX, fields);
    }

    private static Map<String, String> entry(String type, String request, String data) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("type", type);
        m.put("actor", "console:mallory");
        m.put("request", request);
        m.put("data", data);
        m.put("at", NOW);
        return m;
    }

    private List<JsonNode> rejected() throws Exception {
        List<JsonNode> out = new java.util.ArrayList<>();
        for (AuditEntry e : audit.read(null, 100_000)) {
            if (e.type().equals(AuditLog.OUTBOX_REJECTED)) {
                assertThat(e.requestId()).as("a rejected entry is in no request's history").isNull();
                assertThat(e.actor()).isEqualTo("quorum");
                out.add(JSON.readTree(e.data()));
            }
        }
        return out;
    }

    @Test
    void entriesQuorumCouldNotHaveWrittenAreSealedOnlyAsRejectedAndQuoted() throws Exception {
        Map<String, String> extra = entry("request.state", "R1", "{\"from\":\"queued\",\"to\":\"running\",\"reason\":\"\"}");
        extra.put("seal", "forged");
        Map<String, String> badTime = entry("request.created", "R1", "{}");
        badTime.put("at", "yesterday");
        forge(entry("execution", "R1", "{\"outcome\":\"done\"}"));
        forge(entry("request.state", "R1", "{not json"));
        forge(entry("request.state", "R1\nINFO forged line", "{\"from\":\"queued\",\"to\":\"running\"}"));
        forge(badTime);
        forge(extra);
        forge(Map.of("x", "y"));
        forge(entry("request.state", "R1", "{\"to\":\"done\"}"));
        forge(entry("request.state", "R1", "{\"reason\":\"" + "A".repeat(1_100_000) + "\"}"));

        Request r;
        try (CapturedLog log = CapturedLog.of(AuditLog.class)) {
            r = requests.open(RequestType.TEST, IncomingMessage.human(Identity.console("alice"), ROOM, "test"), "test", null);
            assertThat(log.events()).hasSize(8).allSatisfy(e -> assertThat(e.getFormattedMessage()).doesNotContain("\n"));
        }

        assertThat(redis.sync().xlen(AuditLog.OUTBOX)).as("nothing stays behind to block the next drain").isZero();
        assertThat(rejected()).extracting(j -> j.get("why").asText()).containsExactly(
                "its kind 'execution' is not one Quorum writes there",
                "its details are not JSON",
                "'R1\nINFO forged line' is not a request id",
                "its time 'yesterday' is not a time in milliseconds",
                "it has fields Quorum does not write: seal",
                "it has fields Quorum does not write: x",
                "a state change without the states it went from and to",
                "its details are longer than 1048576 characters");
        JsonNode first = rejected().getFirst();
        assertThat(first.get("fields").get("type").asText()).isEqualTo("execution");
        assertThat(first.get("fields").get("actor").asText()).isEqualTo("console:mallory");
        assertThat(rejected().getLast().get("fields").get("data").asText()).hasSize(501).endsWith("…");
        assertThat(audit.read(null, 100_000)).noneMatch(e -> e.type().equals("execution"));
        assertThat(audit.forRequest(r.id())).extracting(AuditEntry::type).containsExactly("request.created");

        AuditVerification v = audit.verify();
        assertThat(v.ok()).as(v.toString()).isTrue();
        assertThat(v.notes()).contains("8 audit outbox entries (the first is entry 1) were not written by Quorum and are kept as "
                + "audit.outbox_rejected: they were forged or damaged in Redis; look at who can write to it");
    }

    @Test
    void aFloodOfForgedEntriesDoesNotHoldBackARealChange() throws Exception {
        Request r = requests.open(RequestType.TEST, IncomingMessage.human(Identity.console("alice"), ROOM, "test"), "test", null);
        for (int i = 0; i < 1000; i++) forge(Map.of("junk", String.valueOf(i)));

        Request running;
        try (CapturedLog ignored = CapturedLog.of(AuditLog.class)) {
            running = requests.move(r, RequestState.RUNNING, "quorum", null).orElseThrow();
        }

        assertThat(running.state()).isEqualTo(RequestState.RUNNING);
        assertThat(audit.forRequest(r.id())).extracting(AuditEntry::type).containsExactly("request.created", "request.state");
        assertThat(redis.sync().xlen(AuditLog.OUTBOX)).isZero();
        assertThat(rejected()).hasSize(1000);
        assertThat(audit.verify().ok()).isTrue();
    }

    @Test
    void aSingleEntryThatCannotBeReadIsReportedAloneAndSaysSo() throws Exception {
        forge(entry("vote", "R9", "{}"));
        try (CapturedLog log = CapturedLog.of(AuditLog.class)) {
            assertThat(audit.drain()).isEqualTo(1);
            assertThat(log.events()).singleElement().satisfies(e -> assertThat(e.getFormattedMessage())
                    .matches("Audit outbox entry \\d+-\\d+ was not written by Quorum \\(its kind 'vote' is not one Quorum writes there\\); "
                            + "it goes into the chain as audit.outbox_rejected"));
        }
        assertThat(audit.verify().notes()).contains("1 audit outbox entry (entry 1) was not written by Quorum and is kept as "
                + "audit.outbox_rejected: it was forged or damaged in Redis; look at who can write to it");
    }
}
