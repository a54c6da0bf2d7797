package dev.quorum.web;

import dev.quorum.audit.CanonicalJson;
import dev.quorum.testing.QuorumHarness;
import dev.quorum.testing.RawHttp;
import dev.quorum.testing.SseClient;
import dev.quorum.testing.LiveQuorum;
import dev.quorum.testing.TestRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's login: an HttpOnly, SameSite=Strict session cookie kept in Redis, that works
 * for posting and for the event stream, on every instance, until logout, its TTL, or a change
 * of the credential it was made with.
 */
class ConsoleLoginTest {
    private static final Pattern COOKIE = Pattern.compile("quorum_session=([A-Za-z0-9_-]{43})");

    @RegisterExtension
    final LiveQuorum live = new LiveQuorum();

    private QuorumHarness q() {
        return live.q();
    }

    private RawHttp.Response call(QuorumHarness on, String method, String path, String cookie, String body) throws Exception {
        int port = on.quorum().port();
        String head = method + " " + path + " HTTP/1.1\nHost: localhost:" + port + "\nOrigin: http://localhost:" + port
                + (body.isEmpty() && method.equals("GET") ? "" : "\nContent-Type: application/json")
                + (cookie == null ? "" : "\nCookie: " + cookie);
        return RawHttp.send(port, head, body);
    }

    /** Logs in; the {@code name=value} pair to send back. */
    private String login(QuorumHarness on, String json) throws Exception {
        RawHttp.Response res = call(on, "POST", "/api/console/login", null, json);
        assertThat(res.status()).as(res.body()).isEqualTo(200);
        var m = COOKIE.matcher(res.header("Set-Cookie"));
        assertThat(m.find()).isTrue();
        return "quorum_session=" + m.group(1);
    }

    private String whoami(QuorumHarness on, String cookie) throws Exception {
        var user = call(on, "GET", "/api/console/whoami", cookie, "").json().get("user");
        return user.isNull() ? null : user.asText();
    }

    private List<String> sessionKeys() {
        return q().quorum().redis().sync().keys("{q}:console:session:*");
    }

    @Test
    void aDemoLoginSetsAStrictHttpOnlyCookieThatWorksForPostsAndTheStream() throws Exception {
        RawHttp.Response res = call(q(), "POST", "/api/console/login", null, "{\"user\":\"bob\"}");
        assertThat(res.status()).isEqualTo(200);
        assertThat(res.json().get("user").asText()).isEqualTo("bob");
        String setCookie = res.header("Set-Cookie");
        assertThat(setCookie).matches("quorum_session=[A-Za-z0-9_-]{43}; .*");
        assertThat(setCookie.toLowerCase()).as("attribute names are case-insensitive (Netty writes HTTPOnly)")
                .contains("; path=/", "; max-age=43200", "; httponly", "; samesite=strict").doesNotContain("secure");
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        String id = cookie.substring("quorum_session=".length());

        // Redis holds the id's hash, never the id: reading Redis yields no cookie.
        assertThat(sessionKeys()).containsExactly("{q}:console:session:" + CanonicalJson.sha256Hex(id));
        var redis = q().quorum().redis().sync();
        assertThat(redis.get(sessionKeys().getFirst())).isEqualTo("bob\ndemo");
        assertThat(redis.ttl(sessionKeys().getFirst())).isBetween(43_000L, 43_200L);

        assertThat(whoami(q(), cookie)).isEqualTo("bob");
        try (SseClient bob = q().events(Map.of("Cookie", cookie)); SseClient carol = q().events("carol")) {
            assertThat(bob.status()).isEqualTo(200);
            assertThat(call(q(), "POST", "/api/console/messages", cookie, "{\"text\":\"freeze\"}").status()).isEqualTo(202);
            SseClient.Event refusal = bob.awaitReply("Only on-call");
            assertThat(refusal.data().get("to").asText()).isEqualTo("bob"); // the stream knows it is bob's
            carol.await(e -> e.kind().equals("message") && e.data().path("from").asText().equals("bob"), java.time.Duration.ofSeconds(10));
        }
        assertThat(q().quorum().freeze().isFrozen()).isFalse();

        // Switching users is a new login: the old session ends with it.
        String carolCookie = login(q(), "{\"user\":\"carol\"}");
        RawHttp.Response switched = call(q(), "POST", "/api/console/login", cookie, "{\"user\":\"carol\"}");
        String carolAgain = switched.header("Set-Cookie").substring(0, switched.header("Set-Cookie").indexOf(';'));
        assertThat(whoami(q(), cookie)).isNull();
        assertThat(whoami(q(), carolAgain)).isEqualTo("carol");
        assertThat(sessionKeys()).hasSize(2); // carolCookie's and carolAgain's
        assertThat(whoami(q(), carolCookie)).isEqualTo("carol");
    }

    @Test
    void logoutEndsTheSessionEverywhere() throws Exception {
        String cookie = login(q(), "{\"user\":\"dave\"}");
        RawHttp.Response out = call(q(), "POST", "/api/console/logout", cookie, "{}");
        assertThat(out.status()).isEqualTo(200);
        assertThat(out.header("Set-Cookie")).startsWith("quorum_session=;");
        assertThat(out.header("Set-Cookie").toLowerCase()).contains("; max-age=0", "; httponly", "; samesite=strict");
        assertThat(sessionKeys()).isEmpty();
        assertThat(whoami(q(), cookie)).isNull();
        RawHttp.Response post = call(q(), "POST", "/api/console/messages", cookie, "{\"text\":\"freeze\"}");
        assertThat(post.status()).isEqualTo(401);
        try (SseClient stream = q().events(Map.of("Cookie", cookie))) {
            assertThat(stream.status()).isEqualTo(401);
        }
        assertThat(q().quorum().freeze().isFrozen()).isFalse();
    }

    @Test
    void aSessionMadeOnOneInstanceWorksOnAnotherAndAfterARestart() throws Exception {
        String cookie = login(q(), "{\"user\":\"alice\"}");
        try (QuorumHarness second = QuorumHarness.start(live.data().resolve("second"))) {
            assertThat(whoami(second, cookie)).isEqualTo("alice");
            live.stop();
            assertThat(call(second, "POST", "/api/console/messages", cookie, "{\"text\":\"status\"}").status()).isEqualTo(202);
        }
    }

    @Test
    void withoutDemoModeTheLoginTakesATokenAndAChangedTokenEndsItsSessions() throws Exception {
        String demoCookie = login(q(), "{\"user\":\"alice\"}");
        live.restart(QuorumHarness.tokenConfigText(), Map.of());
        assertThat(whoami(q(), demoCookie)).as("a demo login is void once demo mode is off").isNull();

        RawHttp.Response byName = call(q(), "POST", "/api/console/login", null, "{\"user\":\"alice\"}");
        assertThat(byName.status()).isEqualTo(400);
        assertThat(byName.json().get("error").asText()).isEqualTo("logging in by name works in demo mode only; send {\"token\": \"...\"}");
        RawHttp.Response wrong = call(q(), "POST", "/api/console/login", null, "{\"token\":\"wrong-token-0123456789\"}");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.json().get("error").asText()).isEqualTo("unknown token");
        assertThat(wrong.header("Set-Cookie")).isNull();
        RawHttp.Response notJson = call(q(), "POST", "/api/console/login", null, "token=alice-token-0123456789");
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.json().get("error").asText()).isEqualTo("the body must be {\"token\": \"...\"}");

        String cookie = login(q(), "{\"token\":\"alice-token-0123456789\"}");
        assertThat(whoami(q(), cookie)).isEqualTo("alice");
        assertThat(call(q(), "GET", "/api/requests", cookie, "").status()).isEqualTo(200);
        assertThat(call(q(), "GET", "/api/requests", null, "").status()).isEqualTo(401);
        assertThat(q().quorum().redis().sync().get(sessionKeys().getFirst())).doesNotContain("alice-token");

        live.restart(QuorumHarness.tokenConfigText().replace("alice-token-0123456789", "alice-token-rotated-9876"), Map.of());
        assertThat(whoami(q(), cookie)).as("the token it was made with is gone").isNull();
        assertThat(call(q(), "GET", "/api/requests", cookie, "").status()).isEqualTo(401);
    }

    @Test
    void aPublicHttpsAddressMakesTheCookieSecureAndIsAccepted() throws Exception {
        live.restart(QuorumHarness.bundledConfigText(), Map.of("QUORUM_PUBLIC_URL", "https://quorum.example.com"));
        int port = q().quorum().port();
        RawHttp.Response res = RawHttp.send(port, "POST /api/console/login HTTP/1.1\nHost: quorum.example.com\n"
                + "Origin: https://quorum.example.com\nContent-Type: application/json", "{\"user\":\"bob\"}");
        assertThat(res.status()).isEqualTo(200);
        assertThat(res.header("Set-Cookie").toLowerCase()).contains("; secure", "; httponly", "; samesite=strict");
        assertThat(RawHttp.send(port, "GET /api/requests HTTP/1.1\nHost: quorum.example.com:443", "").status()).isEqualTo(200);
        assertThat(RawHttp.send(port, "GET /api/requests HTTP/1.1\nHost: quorum.example.com\nOrigin: http://quorum.example.com", "").status())
                .as("the http origin of an https site is another origin").isEqualTo(403);
    }

    @Test
    void everyAnswerCarriesTheSecurityHeaders() throws Exception {
        for (String path : List.of("/", "/app.js", "/inbox.js", "/style.css", "/api/requests", "/api/no-such-route", "/health", "/api/console/whoami")) {
            RawHttp.Response res = call(q(), "GET", path, null, "");
            assertThat(res.header("X-Frame-Options")).as(path).isEqualTo("DENY");
            assertThat(res.header("X-Content-Type-Options")).as(path).isEqualTo("nosniff");
            assertThat(res.header("Referrer-Policy")).as(path).isEqualTo("no-referrer");
            assertThat(res.header("Content-Security-Policy")).as(path).isEqualTo("default-src 'none'; script-src 'self'; style-src 'self'; "
                    + "img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
            if (path.startsWith("/api/")) assertThat(res.header("Cache-Control")).as(path).isEqualTo("no-store");
        }
        // ES modules run only when served as JavaScript (nosniff); and never mixed with a cached older module.
        RawHttp.Response module = call(q(), "GET", "/inbox.js", null, "");
        assertThat(module.header("Content-Type")).matches("(text|application)/javascript.*");
        assertThat(module.header("Cache-Control")).isEqualTo("no-cache");
        // The page obeys its policy: scripts from files only, no inline handlers or styles.
        String page = call(q(), "GET", "/", null, "").body();
        assertThat(page).containsPattern("<script type=\"module\" src=\"app.js\"");
        assertThat(page).doesNotContainPattern("<script(?![^>]*\\ssrc=)").doesNotContainPattern("\\son[a-z]+=").doesNotContain("style=");
    }
}
