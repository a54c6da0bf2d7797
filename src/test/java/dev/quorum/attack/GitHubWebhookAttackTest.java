package dev.quorum.attack;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quorum.github.GitHubDeliveries;
import dev.quorum.store.Redis;
import dev.quorum.testing.LiveQuorum;
import dev.quorum.testing.QuorumHarness;
import dev.quorum.testing.TestRedis;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Someone who knows Quorum's address, but not the webhook secret, against {@code POST
 * /github/webhook} of a whole Quorum: forged and borrowed signatures, replays, a huge body,
 * malformed JSON, a bot's command. Each is refused with its status and leaves nothing behind:
 * no claim in Redis, no {@code github.event} in the audit log. GitHub's HMAC covers the body
 * only, so a replay under a fresh delivery id is an attack too.
 */
class GitHubWebhookAttackTest {
    private static final String SECRET = "webhook-secret-0123456789abcdef";

    @RegisterExtension
    final LiveQuorum live = new LiveQuorum();
    private QuorumHarness q;

    @BeforeEach
    void githubRepo() throws Exception {
        Path secret = Files.writeString(live.data().resolve("github-webhook-secret"), SECRET + "\n");
        Path token = Files.writeString(live.data().resolve("github-token"), "github_pat_unused_here");
        String yaml = QuorumHarness.bundledConfigText()
                .replaceFirst("\nrepos:\n", "\nrepos:\n  shop:\n    github: {owner: acme, repo: shop}\n")
                .replaceFirst("  # webhook_secret: env:GITHUB_WEBHOOK_SECRET[^\n]*", "  webhook_secret: file:" + secret)
                .replaceFirst("  # token: env:GITHUB_TOKEN[^\n]*", "  token: file:" + token);
        assertThat(yaml).contains("webhook_secret: file:").contains("github: {owner: acme, repo: shop}");
        q = live.restart(yaml, Map.of("GITHUB_API_URL", "http://127.0.0.1:9/")); // nothing here calls GitHub: a closed port
    }

    private HttpResponse<String> send(Map<String, String> headers, byte[] body) throws Exception {
        return GitHubDeliveries.post(q.http(), q.url("/github/webhook"), headers, body);
    }

    private static byte[] bytes(JsonObject json) {
        return json.encode().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] approveComment() {
        return bytes(GitHubDeliveries.comment("acme/shop", 7, "mallory", "/quorum approve R1"));
    }

    private List<String> githubAudit() throws Exception {
        JsonNode entries = q.get("/api/audit?limit=1000", Map.of("X-Quorum-User", "alice")).json().path("entries");
        return StreamSupport.stream(entries.spliterator(), false).map(e -> e.path("type").asText())
                .filter(t -> t.startsWith("github")).toList();
    }

    private void assertNothingStored() throws Exception {
        try (Redis redis = Redis.connect(TestRedis.uri())) {
            assertThat(redis.sync().keys("{q}:github:*")).isEmpty();
        }
        assertThat(githubAudit()).isEmpty();
    }

    private static String error(HttpResponse<String> r) {
        return new JsonObject(r.body()).getString("error");
    }

    @Test
    void a_forged_signature_is_401_and_stores_nothing() throws Exception {
        byte[] body = approveComment();
        Map<String, String> headers = new LinkedHashMap<>(GitHubDeliveries.headers(SECRET, "issue_comment", GitHubDeliveries.newDelivery(), body));
        List<String> forgeries = List.of("sha256=" + "0".repeat(64), GitHubDeliveries.signature("guessed-secret", body),
                GitHubDeliveries.signature(SECRET, body).toUpperCase(), GitHubDeliveries.signature(SECRET, body).substring(0, 40),
                GitHubDeliveries.signature(SECRET, body).replace("sha256=", "sha1="), "");
        List<Integer> statuses = new ArrayList<>();
        for (String forged : forgeries) {
            headers.put("X-Hub-Signature-256", forged);
            HttpResponse<String> r = send(headers, body);
            statuses.add(r.statusCode());
            assertThat(error(r)).isEqualTo("missing or wrong X-Hub-Signature-256");
        }
        headers.remove("X-Hub-Signature-256");
        statuses.add(send(headers, body).statusCode());

        assertThat(statuses).containsOnly(401).hasSize(forgeries.size() + 1);
        assertNothingStored();
    }

    @Test
    void the_signature_of_another_body_is_401_and_stores_nothing() throws Exception {
        byte[] seen = bytes(GitHubDeliveries.comment("acme/shop", 7, "mallory", "/quorum help"));
        byte[] wanted = approveComment();
        Map<String, String> headers = GitHubDeliveries.headers(SECRET, "issue_comment", GitHubDeliveries.newDelivery(), seen);

        HttpResponse<String> r = send(headers, wanted);

        assertThat(r.statusCode()).isEqualTo(401);
        assertNothingStored();
    }

    @Test
    void a_replayed_delivery_is_handled_once_even_under_a_new_delivery_id_or_event_type() throws Exception {
        byte[] body = approveComment();
        String delivery = GitHubDeliveries.newDelivery();
        HttpResponse<String> first = send(GitHubDeliveries.headers(SECRET, "issue_comment", delivery, body), body);
        HttpResponse<String> replay = send(GitHubDeliveries.headers(SECRET, "issue_comment", delivery, body), body);
        HttpResponse<String> newId = send(GitHubDeliveries.headers(SECRET, "issue_comment", GitHubDeliveries.newDelivery(), body), body);

        assertThat(first.body()).isEqualTo("{\"accepted\":true}");
        assertThat(replay.statusCode()).isEqualTo(200);
        assertThat(replay.body()).isEqualTo("{\"duplicate\":true}");
        assertThat(newId.body()).isEqualTo("{\"duplicate\":true}");
        // handled once: one event, and once the word that mallory is nobody Quorum takes commands from on GitHub
        assertThat(githubAudit()).containsExactlyInAnyOrder("github.event", "github.comment.ignored");
    }

    @Test
    void a_huge_body_is_413_before_anything_is_read() throws Exception {
        byte[] body = new byte[5 * 1024 * 1024];
        java.util.Arrays.fill(body, (byte) ' ');
        body[0] = '{';
        body[body.length - 1] = '}';
        HttpResponse<String> r = send(GitHubDeliveries.headers(SECRET, "issue_comment", GitHubDeliveries.newDelivery(), body), body);

        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(error(r)).isEqualTo("the body is too large");
        assertNothingStored();
    }

    @Test
    void malformed_json_under_a_valid_signature_is_400_and_stores_nothing() throws Exception {
        for (String text : List.of("{\"action\":\"created\",", "[1,2,3]", "\"a string\"", "")) {
            byte[] body = text.getBytes(StandardCharsets.UTF_8);
            HttpResponse<String> r = send(GitHubDeliveries.headers(SECRET, "issue_comment", GitHubDeliveries.newDelivery(), body), body);
            assertThat(r.statusCode()).as(text).isEqualTo(400);
            assertThat(error(r)).isEqualTo("the body is not a JSON object");
        }
        assertNothingStored();
    }

    @Test
    void a_valid_signature_without_githubs_delivery_headers_is_400_and_stores_nothing() throws Exception {
        byte[] body = approveComment();
        Map<String, String> headers = new LinkedHashMap<>(GitHubDeliveries.headers(SECRET, "issue_comment", "../../etc", body));
        HttpResponse<String> badId = send(headers, body);
        headers.remove("X-GitHub-Event");
        HttpResponse<String> noEvent = send(headers, body);

        assertThat(List.of(badId.statusCode(), noEvent.statusCode())).containsOnly(400);
        assertThat(error(badId)).isEqualTo("X-GitHub-Event and X-GitHub-Delivery are required");
        assertNothingStored();
    }

    @Test
    void a_quorum_command_from_a_bot_account_is_ignored() throws Exception {
        for (String bot : List.of("quorum-app[bot]", "dependabot[bot]")) {
            byte[] body = bytes(GitHubDeliveries.comment("acme/shop", 7, bot, "/quorum approve R1"));
            HttpResponse<String> r = send(GitHubDeliveries.headers(SECRET, "issue_comment", GitHubDeliveries.newDelivery(), body), body);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(new JsonObject(r.body()).getString("ignored")).isEqualTo("a comment by the bot account " + bot);
        }
        JsonObject disguised = GitHubDeliveries.comment("acme/shop", 7, "mallory", "/quorum approve R1");
        disguised.getJsonObject("comment").getJsonObject("user").put("type", "Bot"); // an app whose login has no [bot]
        byte[] body = bytes(disguised);
        HttpResponse<String> r = send(GitHubDeliveries.headers(SECRET, "issue_comment", GitHubDeliveries.newDelivery(), body), body);
        assertThat(new JsonObject(r.body()).getString("ignored")).isEqualTo("a comment by the bot account mallory");
        assertNothingStored();
    }
}
