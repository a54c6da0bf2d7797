package dev.quorum.attack;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quorum.testing.QuorumHarness;
import dev.quorum.testing.TestRedis;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzed bodies against a running Quorum's {@code POST /api/console/messages}: never a 5xx (the
 * store is up), never exception text, and a refused body changes nothing in Redis: no request, no
 * audit entry, nothing in the console's room.
 */
class ConsoleBodyFuzzTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** No repos, environments or model: a command that gets through is cheap, and limits off so that most do. */
    private static final String YAML = """
            console: {demo: true, users: {alice: {}}}
            groups: {oncall: [console:alice]}
            limits: {user_per_minute: 0, channel_per_minute: 0}
            """;
    private static QuorumHarness q;

    @BeforeContainer
    static void start() throws Exception {
        TestRedis.flush();
        q = QuorumHarness.start(Files.createTempDirectory("quorum-fuzz").resolve("data"), YAML, Map.of(), Clock.systemUTC());
    }

    @AfterContainer
    static void stop() {
        if (q != null) q.close();
    }

    @Property(tries = 300)
    void noBodyBringsA5xxOrExceptionTextAndARefusedOneChangesNothing(@ForAll("bodies") String body) throws Exception {
        RedisClusterCommands<String, String> redis = q.quorum().redis().sync();
        List<Object> before = StoreSnapshot.of(redis);

        HttpResponse<String> res = q.http().send(HttpRequest.newBuilder(URI.create(q.url("/api/console/messages")))
                .header("X-Quorum-User", "alice").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());

        Statistics.label("status").collect(res.statusCode());
        // both branches must be exercised, or the property proves less than it says
        Statistics.label("status").coverage(c -> {
            c.check(202).count(n -> n > 0);
            c.check(400).count(n -> n > 0);
        });
        assertThat(res.statusCode()).as(body).isIn(202, 400, 413);
        assertThat(res.body()).doesNotContain("Exception", "\tat ", "java.", "dev.quorum.", "io.vertx", "error E");
        var json = JSON.readTree(res.body());
        if (res.statusCode() == 202) {
            assertThat(json.get("accepted").asBoolean()).isTrue();
        } else {
            assertThat(json.get("error").isTextual()).isTrue();
            assertThat(StoreSnapshot.of(redis)).as("a refused body writes nothing").isEqualTo(before);
        }
    }

    @Provide
    Arbitrary<String> bodies() {
        Arbitrary<String> words = Arbitraries.of("status", "freeze", "unfreeze", "approve", "reject", "help", "history",
                "policy", "cancel", "rerun", "R1", "R0", "-1", "@alice", "<script>", "\"", "\\", "`", "\u0000", "\u202e", "🙂", "\n", "   ");
        Arbitrary<String> commandText = Arbitraries.oneOf(words.list().ofMaxSize(5).map(w -> String.join(" ", w)),
                Arbitraries.strings().ofMaxLength(200));
        Arbitrary<String> asJson = commandText.map(t -> write(Map.of("text", t)));
        Arbitrary<String> otherShapes = Arbitraries.oneOf(
                Arbitraries.of("", "null", "[]", "{}", "\"help\"", "42", "{\"text\": null}", "{\"text\": 5}", "{\"text\": [\"help\"]}",
                        "{\"text\": {\"text\": \"help\"}}", "{\"text\": \"help\", \"text\": 7}", "{\"Text\": \"help\"}", "{\"text\": \"help\"",
                        "{\"text\": \"\\ud800\"}", "{\"text\": \"" + "x".repeat(5000) + "\"}", "{\"text\": \"help " + "a".repeat(70_000) + "\"}"),
                Arbitraries.strings().ofMaxLength(300));
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(3, asJson), net.jqwik.api.Tuple.of(2, otherShapes));
    }

    private static String write(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
