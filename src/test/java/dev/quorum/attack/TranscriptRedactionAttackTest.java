package dev.quorum.attack;

import static dev.quorum.agent.testing.FakeOpenAiServer.call;
import static dev.quorum.agent.testing.FakeOpenAiServer.text;
import static dev.quorum.agent.testing.FakeOpenAiServer.toolCalls;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quorum.agent.testing.AgentConfigs;
import dev.quorum.agent.testing.FakeHttpServer;
import dev.quorum.agent.testing.FakeOpenAiServer;
import dev.quorum.evidence.Redactor;
import dev.quorum.store.Redis;
import dev.quorum.testing.QuorumHarness;
import dev.quorum.testing.SseClient;
import dev.quorum.testing.Suites;
import dev.quorum.testing.TestRedis;
import dev.quorum.testing.TestRepo;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model (prompt-injected, or just careless) and a deployment system try to get a configured secret out of Quorum:
 * the model repeats it in its reply and its tool calls, reads it from files of the repository, in plain text, base64,
 * hex, URL-encoded and wrapped over two lines, and puts it where a cut would halve it; a webhook receiver echoes it.
 * Whatever Quorum stores (the transcript and result in Redis), serves ({@code /api/requests/{id}}) or posts (the chat
 * reply, the progress message) shows only {@value Redactor#MASK}. The real LangChain4j client against a fake
 * OpenAI-compatible server over HTTP, real git, real Redis, Quorum's real evidence runner.
 */
class TranscriptRedactionAttackTest {
    /** Built from parts so that no scanner takes it for a real credential. */
    private static final String SECRET = "qk-" + "Hunter2>>?Secret/Value~77";
    private static final String WEBHOOK_SECRET = "whsec-" + "9f3a7c1e5b2d8a40";

    @TempDir
    Path dir;
    private final FakeOpenAiServer model = FakeOpenAiServer.start();
    private TestRepo repo;
    private QuorumHarness q;

    @BeforeEach
    void setUp() throws Exception {
        TestRedis.flush();
        repo = TestRepo.init(dir.resolve("app"));
        repo.commit("an app whose config holds a secret in many forms", Map.of(
                Suites.SCRIPT, Suites.passing(1),
                "config/creds.txt", "basic=" + base64("svc:" + SECRET) + "\n"
                        + "folded: " + SECRET.substring(0, 10) + "\n" + SECRET.substring(10) + "\n"
                        + "hex " + hex(SECRET) + "\n"
                        + "url https://example.com/login?pw=" + URLEncoder.encode(SECRET, StandardCharsets.UTF_8) + "\n",
                // the secret straddles the transcript's cut of a tool result at 2,000 characters
                "docs/long.txt", "word ".repeat(398) + SECRET + "\nmore words\n"));
    }

    @AfterEach
    void tearDown() {
        if (q != null) q.close();
        model.close();
        repo.close();
    }

    private void start(String extraYaml) throws Exception {
        q = QuorumHarness.start(dir.resolve("data"), AgentConfigs.yaml(repo.dir(),
                "evidence: {secrets: [\"" + SECRET + "\"]}\n" + extraYaml), AgentConfigs.openAi(model), Clock.systemUTC());
    }

    @Test
    void aCodingAgentCannotGetASecretIntoTheTranscriptTheApiTheProgressOrTheReply() throws Exception {
        String split = SECRET.substring(0, 12) + "\n" + SECRET.substring(12);
        model.enqueue(toolCalls(call("read_file", "{\"path\":\"config/creds.txt\"}")))
                .enqueue(toolCalls(call("read_file", "{\"path\":\"docs/long.txt\"}")))
                .enqueue(toolCalls(call("write_file", new JsonObject().put("path", "notes.txt")
                        .put("content", "plain " + SECRET + "\nsplit " + split + "\n").encode())))
                // delayed past the progress throttle (2 s), so that the status naming this path is shown
                .enqueue(toolCalls(call("read_file", new JsonObject().put("path", "keys/" + base64(SECRET)).encode()))
                        .delayedBy(2_500))
                .enqueue(text("Done. The key is " + SECRET + ", as base64 " + base64(SECRET) + ", as hex " + hex(SECRET)
                        + ",\nfolded " + SECRET.substring(0, 5) + "\n" + SECRET.substring(5) + " and URL-encoded "
                        + URLEncoder.encode(SECRET, StandardCharsets.UTF_8) + "."));
        start("");
        try (SseClient events = q.events("alice")) {
            String id = q.ask("alice", "code write the key into notes.txt");
            SseClient.Event done = events.await(e -> e.kind().equals("reply") && e.text().startsWith(id + " · done"),
                    Duration.ofSeconds(60));
            events.await(e -> e.kind().equals("update") && e.text().contains(id) && e.text().endsWith("· succeeded"),
                    Duration.ofSeconds(10));

            assertThat(done.text()).contains("Done. The key is [REDACTED], as base64 [REDACTED], as hex [REDACTED],\n"
                    + "folded [REDACTED]\n[REDACTED] and URL-encoded [REDACTED].");
            assertNoTrace(done.data().toString());
            assertThat(events.seen()).anySatisfy(e -> assertThat(e.text()).endsWith("· reading [REDACTED]"));
            events.seen().forEach(e -> assertNoTrace(e.data().toString())); // every reply and progress edit

            JsonNode full = q.get("/api/requests/" + id).json();
            assertNoTrace(full.toString());
            JsonNode transcript = full.get("transcript");
            assertThat(transcript.get(1).get("result").asText())
                    .startsWith("basic=[REDACTED]\nfolded: [REDACTED]\n[REDACTED]\nhex [REDACTED]\n"
                            + "url https://example.com/login?pw=[REDACTED]");
            assertThat(transcript.get(3).get("result").asText())
                    .startsWith("word word").contains("word [REDACTED]").endsWith(" more chars]");
            assertThat(transcript.get(5).get("arguments").asText())
                    .isEqualTo("{\"path\":\"notes.txt\",\"content\":\"plain [REDACTED]\\nsplit [REDACTED]\\n[REDACTED]\\n\"}");
            assertThat(transcript.get(7).get("arguments").asText()).isEqualTo("{\"path\":\"[REDACTED]\"}"); // keys/ is base64 too
            assertThat(full.get("result").get("summary").asText()).startsWith("Done. The key is [REDACTED], as base64");

            try (Redis redis = Redis.connect(TestRedis.uri())) { // as stored, not only as served
                List<String> stored = new ArrayList<>(redis.sync().lrange("{q}:req:" + id + ":transcript", 0, -1));
                stored.add(redis.sync().get("{q}:req:" + id + ":result"));
                assertThat(stored).hasSizeGreaterThan(8);
                stored.forEach(TranscriptRedactionAttackTest::assertNoTrace);
            }
            // The model may read its own workspace: what it was shown is whole; only what Quorum keeps is masked.
            assertThat(model.toolResultsIn(1).getFirst()).contains(base64("svc:" + SECRET));
        }
    }

    @Test
    void aResearchReportCannotSmuggleASecretPastTheChatCut() throws Exception {
        // Outside the console the reply cuts a long report near 2,740 characters, and the secret starts just before
        // the cut (AgentRepliesTest cuts it so); the console shows the report whole, masked whole.
        String report = "lorem ".repeat(455) + SECRET + " and " + base64(SECRET) + " " + "ipsum ".repeat(150);
        model.enqueue(text(report));
        start("");
        try (SseClient events = q.events("alice")) {
            String id = q.ask("alice", "research what is our key?");
            SseClient.Event reply = events.await(e -> e.kind().equals("reply") && e.text().startsWith(id + " · research report"),
                    Duration.ofSeconds(30));

            assertThat(reply.text()).contains("lorem lorem", "[REDACTED] and [REDACTED] ipsum")
                    .doesNotContain("the whole report");
            assertNoTrace(reply.text());
            assertThat(reply.text()).doesNotContain(SECRET.substring(0, 8)); // no half of it either
            JsonNode result = q.get("/api/requests/" + id).json().get("result");
            assertThat(result.get("report").asText()).startsWith("lorem ".repeat(455) + "[REDACTED] and [REDACTED] ipsum");
        }
    }

    @Test
    void aDeploymentSystemThatEchoesSecretsGetsThemMaskedInTheOutputAndTheChat() throws Exception {
        String echo = "{\"received_signature_key\":\"" + WEBHOOK_SECRET + "\",\"debug\":\"" + base64("svc:" + SECRET)
                + "\",\"note\":\"password=" + "hunter2-prod" + "\"}";
        try (FakeHttpServer receiver = FakeHttpServer.start()) {
            receiver.enqueue(FakeHttpServer.Reply.status(200, echo)).enqueue(FakeHttpServer.Reply.status(400, echo));
            start("""
                    environments:
                      production: {repo: app, webhook: {url: "%1$s/prod", secret: %2$s, retries: 0}}
                      staging: {repo: app, webhook: {url: "%1$s/staging", secret: %2$s, retries: 0}}
                    policies:
                      deploy.production: {approvals: 1, eligible: [engineers]}
                      deploy.staging: {approvals: 1, eligible: [engineers]}
                    """.formatted(receiver.origin(), WEBHOOK_SECRET));
            try (SseClient room = q.events("alice")) {
                String done = deployApprovedByBob(room, "production");
                room.awaitReply("Done: " + done);
                String failed = deployApprovedByBob(room, "staging");
                SseClient.Event failure = room.awaitReply("Failed: " + failed);

                assertThat(failure.text()).contains("the deployment webhook refused it: HTTP 400 "
                        + "{\"received_signature_key\":\"[REDACTED]\",\"debug\":\"[REDACTED]\",\"note\":\"password=[REDACTED]\"}");
                room.seen().forEach(e -> assertNoTrace(e.data().toString()));
                JsonNode execution = q.get("/api/requests/" + done).json().get("execution");
                assertThat(execution.get("output").asText()).isEqualTo(
                        "{\"received_signature_key\":\"[REDACTED]\",\"debug\":\"[REDACTED]\",\"note\":\"password=[REDACTED]\"}");
                assertNoTrace(q.get("/api/requests/" + failed).json().toString());
            }
        }
    }

    private String deployApprovedByBob(SseClient room, String environment) throws Exception {
        String id = q.ask("alice", "deploy " + environment);
        room.await(e -> e.kind().equals("reply") && e.text().startsWith(id + " · ") && e.text().contains("awaiting approval"),
                Duration.ofSeconds(60));
        q.say("bob", "approve " + id);
        return id;
    }

    /** None of the forms in which the secrets could be read back: plain, split, base64 at any offset, hex, URL. */
    private static void assertNoTrace(String text) {
        String joined = text.replace("\\n", "").replace("\n", "");
        for (String form : forms()) {
            assertThat(text).doesNotContain(form);
            assertThat(joined).doesNotContain(form);
        }
    }

    private static List<String> forms() {
        List<String> forms = new ArrayList<>(List.of(SECRET, WEBHOOK_SECRET, "hunter2-prod", hex(SECRET),
                hex(SECRET).toUpperCase(java.util.Locale.ROOT), URLEncoder.encode(SECRET, StandardCharsets.UTF_8),
                // JSON as Quorum writes it escapes nothing of these, but a client may write '/' as '\/'
                SECRET.replace("/", "\\/")));
        for (String prefix : List.of("", "a", "ab")) { // the three offsets of the secret inside a longer base64 text
            String encoded = base64(prefix + SECRET);
            String core = encoded.substring((prefix.length() * 8 + 5) / 6, (prefix.length() + SECRET.length()) * 8 / 6);
            forms.add(core);
            forms.add(core.replace('+', '-').replace('/', '_'));
        }
        return forms;
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String hex(String text) {
        return HexFormat.of().formatHex(text.getBytes(StandardCharsets.UTF_8));
    }
}
