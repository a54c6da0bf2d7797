package dev.quorum.github;

import io.vertx.core.json.JsonObject;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * GitHub's side of a webhook, for tests: payloads shaped like GitHub's (the fields Quorum reads,
 * and some it does not) and deliveries signed as GitHub signs them.
 */
public final class GitHubDeliveries {
    public static final String SHA_A = "a".repeat(40);
    public static final String SHA_B = "b".repeat(40);

    private GitHubDeliveries() {}

    /** {@code sha256=} and the HMAC-SHA256 of the body, hex. */
    public static String signature(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The headers GitHub sends with a delivery, signed with {@code secret}. */
    public static Map<String, String> headers(String secret, String event, String delivery, byte[] body) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("X-GitHub-Event", event);
        h.put("X-GitHub-Delivery", delivery);
        h.put("X-GitHub-Hook-ID", "123456");
        h.put("User-Agent", "GitHub-Hookshot/abc1234");
        h.put("Content-Type", "application/json");
        h.put("X-Hub-Signature-256", signature(secret, body));
        return h;
    }

    public static String newDelivery() {
        return UUID.randomUUID().toString();
    }

    public static HttpResponse<String> post(HttpClient http, String url, Map<String, String> headers, byte[] body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonObject repository(String fullName) {
        return new JsonObject().put("id", 1296269).put("full_name", fullName).put("name", fullName.substring(fullName.indexOf('/') + 1))
                .put("owner", new JsonObject().put("login", fullName.substring(0, fullName.indexOf('/'))));
    }

    static JsonObject user(String login) {
        return new JsonObject().put("login", login).put("id", login.hashCode()).put("type", login.endsWith("[bot]") ? "Bot" : "User");
    }

    public static JsonObject pullRequest(String repo, String action, int number, boolean merged, String head) {
        return new JsonObject().put("action", action).put("number", number).put("repository", repository(repo))
                .put("sender", user("octocat"))
                .put("pull_request", new JsonObject().put("number", number).put("state", action.equals("closed") ? "closed" : "open")
                        .put("merged", merged).put("merge_commit_sha", merged ? SHA_B : null).put("user", user("alice"))
                        .put("head", new JsonObject().put("ref", "feature/x").put("sha", head))
                        .put("base", new JsonObject().put("ref", "main").put("sha", SHA_B)));
    }

    public static JsonObject comment(String repo, int number, String login, String body) {
        return new JsonObject().put("action", "created").put("repository", repository(repo)).put("sender", user(login))
                .put("issue", new JsonObject().put("number", number).put("title", "a change")
                        .put("pull_request", new JsonObject().put("url", "https://api.github.com/repos/" + repo + "/pulls/" + number)))
                .put("comment", new JsonObject().put("id", 555L).put("body", body).put("user", user(login))
                        .put("created_at", "2026-12-01T12:00:00Z"));
    }

    public static JsonObject review(String repo, int number, String login, String state, String commit) {
        return new JsonObject().put("action", "submitted").put("repository", repository(repo)).put("sender", user(login))
                .put("pull_request", new JsonObject().put("number", number))
                .put("review", new JsonObject().put("id", 80L).put("state", state).put("commit_id", commit).put("user", user(login)));
    }

    public static JsonObject push(String repo, String ref, String before, String after) {
        return new JsonObject().put("ref", ref).put("before", before).put("after", after).put("forced", false)
                .put("repository", repository(repo)).put("sender", user("octocat"));
    }
}
