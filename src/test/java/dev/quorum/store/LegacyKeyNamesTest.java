package dev.quorum.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quorum.testing.QuorumHarness;
import dev.quorum.testing.SseClient;
import dev.quorum.testing.TestRedis;
import io.lettuce.core.ScriptOutputType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A store written before the {q} hash tag is renamed at start, in one step, and nothing in it is lost. */
class LegacyKeyNamesTest {
    /** Turns today's store back into the old form: every {q}:x key renamed to q:x. */
    private static final String DOWNGRADE = """
            local n = 0
            for _, k in ipairs(redis.call('KEYS', '{q}:*')) do redis.call('RENAME', k, 'q:' .. string.sub(k, 5)); n = n + 1 end
            return n""";

    @TempDir
    Path data;

    @Test
    void anOldStoreIsRenamedAndItsHistoryFreezeAndAuditChainCarryOn() throws Exception {
        String yaml = QuorumHarness.bundledConfigText();
        Map<String, String> embedded = Map.of("REDIS_URL", "");
        try (QuorumHarness first = QuorumHarness.start(data, yaml, embedded, Clock.systemUTC());
             SseClient room = first.events("dave")) {
            first.say("alice", "research why the build is slow");
            first.say("dave", "freeze deploy window");
            room.awaitReply("FROZEN by dave");
        }
        // with Quorum stopped (a running one may still write, e.g. its console log), on its own data folder
        try (EmbeddedRedis server = new EmbeddedRedis(data.resolve("redis"), 0); Redis r = Redis.connect(server.start())) {
            long renamed = r.sync().eval(DOWNGRADE, ScriptOutputType.INTEGER, new String[0]);
            assertThat(renamed).isGreaterThan(5);
            assertThat(r.sync().keys("{q}:*")).isEmpty();
        }
        try (QuorumHarness second = QuorumHarness.start(data, yaml, embedded, Clock.systemUTC());
             SseClient room = second.events("bob")) {
            var redis = second.quorum().redis().sync();
            assertThat(redis.keys("q:*")).as("no key left under an old name").isEmpty();
            JsonNode list = second.get("/api/requests").json();
            assertThat(list.get("requests")).hasSize(1);
            assertThat(list.get("requests").get(0).get("text").asText()).isEqualTo("research why the build is slow");
            second.say("bob", "status");
            assertThat(room.awaitReply("FROZEN by dave").text()).contains("deploy window");
            second.say("dave", "unfreeze");
            room.awaitReply("Unfrozen");
            assertThat(second.say("alice", "research a second question").json().get("request_id").asText())
                    .as("the request counter was carried over").isEqualTo("R2");
            JsonNode verify = second.get("/api/audit/verify").json();
            assertThat(verify.get("ok").asBoolean()).as(verify.toString()).isTrue();
        }
    }

    @Test
    void aKeyWhoseNewNameIsTakenIsLeftNotOverwritten() {
        try (Redis redis = TestRedis.fresh()) {
            redis.sync().set("q:seq:request", "7");
            redis.sync().set("q:freeze", "old");
            redis.sync().set("{q}:freeze", "new");
            assertThat(LegacyKeyNames.upgrade(redis)).isEqualTo(1);
            assertThat(redis.sync().get("{q}:seq:request")).isEqualTo("7");
            assertThat(redis.sync().get("{q}:freeze")).isEqualTo("new");
            assertThat(redis.sync().get("q:freeze")).isEqualTo("old");
            assertThat(LegacyKeyNames.upgrade(redis)).as("a second start has nothing to move").isZero();
        }
    }
}
