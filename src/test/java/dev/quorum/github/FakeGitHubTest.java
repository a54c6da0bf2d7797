package dev.quorum.github;

import com.sun.net.httpserver.HttpServer;
import dev.quorum.testing.GitHttpServer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** The fake's own contract, spoken to with a bare HTTP client: the other GitHub tests rely on it refusing what GitHub refuses. */
class FakeGitHubTest {
    private static final String TOKEN = "github_pat_fake";
    private FakeGitHub github;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        github = new FakeGitHub();
        github.acceptToken(TOKEN);
        github.addPull("acme", "shop", 7, "feature", "a".repeat(40), "main", "b".repeat(40), "alice");
    }

    @AfterEach
    void stop() throws Exception {
        github.close();
    }

    private HttpResponse<String> send(String method, String path, String auth, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(github.apiUrl() + path))
                .header("Accept", FakeGitHub.MEDIA_TYPE).header("X-GitHub-Api-Version", FakeGitHub.API_VERSION)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (auth != null) b.header("Authorization", auth);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void a_call_without_a_known_token_is_401_bad_credentials() throws Exception {
        HttpResponse<String> none = send("GET", "repos/acme/shop/pulls/7", null, null);
        HttpResponse<String> wrong = send("GET", "repos/acme/shop/pulls/7", "Bearer nope", null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(new JsonObject(wrong.body()).getString("message")).isEqualTo("Bad credentials");
        assertThat(github.calls()).hasSize(2);
    }

    @Test
    void merging_with_a_sha_that_is_not_the_head_is_409_and_merges_nothing() throws Exception {
        HttpResponse<String> r = send("PUT", "repos/acme/shop/pulls/7/merge", "Bearer " + TOKEN,
                new JsonObject().put("sha", "c".repeat(40)).put("merge_method", "squash").encode());
        assertThat(r.statusCode()).isEqualTo(409);
        assertThat(github.pull("acme", "shop", 7).orElseThrow().merged).isFalse();
        HttpResponse<String> right = send("PUT", "repos/acme/shop/pulls/7/merge", "Bearer " + TOKEN,
                new JsonObject().put("sha", "a".repeat(40)).encode());
        assertThat(right.statusCode()).isEqualTo(200);
        assertThat(send("PUT", "repos/acme/shop/pulls/7/merge", "Bearer " + TOKEN, "{}").statusCode()).isEqualTo(405);
    }

    @Test
    void an_app_jwt_signed_with_another_key_or_expired_gets_no_installation_token() throws Exception {
        AppKeys app = AppKeys.generate();
        github.registerApp(42, app.pair().getPublic(), 9);
        String forged = new AppJwt(42, AppKeys.generate().pair().getPrivate(), Clock.systemUTC()).sign();
        String expired = new AppJwt(42, app.pair().getPrivate(), Clock.fixed(Instant.now().minus(Duration.ofMinutes(20)), ZoneOffset.UTC)).sign();
        String otherApp = new AppJwt(43, app.pair().getPrivate(), Clock.systemUTC()).sign();
        String good = new AppJwt(42, app.pair().getPrivate(), Clock.systemUTC()).sign();
        assertThat(send("POST", "app/installations/9/access_tokens", "Bearer " + forged, null).statusCode()).isEqualTo(401);
        assertThat(send("POST", "app/installations/9/access_tokens", "Bearer " + expired, null).statusCode()).isEqualTo(401);
        assertThat(send("POST", "app/installations/9/access_tokens", "Bearer " + otherApp, null).statusCode()).isEqualTo(401);
        assertThat(github.issuedTokens()).isEmpty();
        HttpResponse<String> ok = send("POST", "app/installations/9/access_tokens", "Bearer " + good, null);
        assertThat(ok.statusCode()).isEqualTo(201);
        assertThat(new JsonObject(ok.body()).getString("token")).isEqualTo(github.issuedTokens().getFirst());
    }

    @Test
    void check_runs_are_for_apps_only_as_on_github() throws Exception {
        HttpResponse<String> r = send("POST", "repos/acme/shop/check-runs", "Bearer " + TOKEN,
                new JsonObject().put("name", "quorum").put("head_sha", "a".repeat(40)).encode());
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(new JsonObject(r.body()).getString("message")).isEqualTo("Resource not accessible by personal access token");
    }
    @Test
    void a_push_by_someone_moves_the_pull_request_and_is_delivered_signed(@TempDir Path tmp) throws Exception {
        List<Map.Entry<Map<String, String>, byte[]>> received = new CopyOnWriteArrayList<>();
        HttpServer hook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hook.createContext("/github/webhook", exchange -> {
            Map<String, String> headers = new HashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v.getFirst()));
            received.add(Map.entry(headers, exchange.getRequestBody().readAllBytes()));
            exchange.sendResponseHeaders(202, -1);
            exchange.close();
        });
        hook.start();
        try (FakeGitHub withGit = FakeGitHub.withGit(tmp.resolve("github"))) {
            withGit.webhook("http://127.0.0.1:" + hook.getAddress().getPort() + "/github/webhook", "s3cret-hook");
            FakeGitHub.Repo shop = withGit.createRepo("acme", "shop");
            shop.pushTo("feature", Map.of("f.txt", "1\n"));
            int n = shop.openPull("feature", "main", "alice");
            received.clear();

            String moved = shop.pushTo("feature", Map.of("f.txt", "2\n"));

            assertThat(shop.pull(n).headSha).isEqualTo(moved);
            assertThat(GitHttpServer.git(shop.bare(), "rev-parse", "refs/pull/" + n + "/head")).isEqualTo(moved);
            assertThat(received).extracting(r -> r.getKey().get("x-github-event")).containsExactly("push", "pull_request");
            assertThat(received).allSatisfy(r -> assertThat(r.getKey().get("x-hub-signature-256"))
                    .isEqualTo(GitHubDeliveries.signature("s3cret-hook", r.getValue())));
            JsonObject sync = new JsonObject(new String(received.get(1).getValue(), StandardCharsets.UTF_8));
            assertThat(sync.getString("action")).isEqualTo("synchronize");
            assertThat(sync.getJsonObject("pull_request").getJsonObject("head").getString("sha")).isEqualTo(moved);
            assertThat(withGit.deliveries()).extracting(FakeGitHub.Delivery::status).containsOnly(202);
        } finally {
            hook.stop(0);
        }
    }
}
