package dev.quorum.attack;

import dev.quorum.agent.testing.QuorumProcess;
import dev.quorum.conversation.Identity;
import dev.quorum.conversation.IncomingMessage;
import dev.quorum.chat.console.ConsoleAdapter;
import dev.quorum.config.ConfigException;
import dev.quorum.request.FreezeSwitch;
import dev.quorum.request.RequestType;
import dev.quorum.testing.QuorumHarness;
import dev.quorum.testing.RawHttp;
import dev.quorum.testing.SseClient;
import dev.quorum.testing.LiveQuorum;
import dev.quorum.testing.TestRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A hostile web page against the console, as the issue saw it live: a cross-origin
 * {@code text/plain} POST to {@code /api/console/messages?user=dave} froze Quorum as the on-call,
 * and a form-encoded one unfroze it. Each attack is sent as the exact bytes a browser would send
 * for that page (raw sockets, so that {@code Host} can be forged as DNS rebinding does) to a
 * real Quorum in demo mode; each must be refused with its status and change nothing: not the
 * freeze, not the request list, not the audit log, not the room, not the sessions.
 */
class CrossSiteAttackTest {
    private static final String ORIGIN_REFUSED = "refused: Origin \"%s\" is not this Quorum's page";
    private static final String NOT_JSON = "the body must be application/json";

    @RegisterExtension
    final LiveQuorum live = new LiveQuorum();

    private QuorumHarness q() {
        return live.q();
    }

    /** Everything an attack could change. */
    private record Snapshot(Optional<FreezeSwitch.Frozen> freeze, long requests, long audit, long room, List<String> sessions) {}

    private Snapshot snapshot() {
        var redis = q().quorum().redis().sync();
        return new Snapshot(q().quorum().freeze().current(), redis.zcard("{q}:idx:time"), redis.xlen("{q}:audit"),
                redis.xlen("{q}:console:log"), redis.keys("{q}:console:session:*").stream().sorted().toList());
    }

    private int port() {
        return q().quorum().port();
    }

    private String ours() {
        return "http://localhost:" + port();
    }

    /** dave's real session cookie: what the browser attaches wherever SameSite lets it (a page on another port of localhost is same-site). */
    private String daveSession() throws Exception {
        RawHttp.Response login = RawHttp.send(port(), "POST /api/console/login HTTP/1.1\nHost: localhost:" + port()
                + "\nOrigin: " + ours() + "\nContent-Type: application/json", "{\"user\":\"dave\"}");
        assertThat(login.status()).isEqualTo(200);
        String cookie = login.header("Set-Cookie");
        return cookie.substring(0, cookie.indexOf(';'));
    }

    /**
     * @param name    what the page does
     * @param head    request line and headers; {@code PORT} is the bound port, {@code COOKIE} dave's session
     * @param body    the body, {@code CMD} the command the page wants run
     * @param status  the refusal
     * @param error   its exact text; {@code PORT} as above
     */
    record Attack(String name, String head, String body, int status, String error) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Attack> crossSitePosts() {
        String post = "POST /api/console/messages?user=dave HTTP/1.1\nHost: localhost:PORT\n";
        String json = "{\"text\":\"CMD\"}";
        return Stream.of(
                new Attack("text/plain POST with ?user=dave from another site (the live attack)",
                        post + "Origin: https://evil.example\nContent-Type: text/plain;charset=UTF-8", json, 403, ORIGIN_REFUSED.formatted("https://evil.example")),
                new Attack("text/plain POST from a browser that sends no Origin",
                        post + "Content-Type: text/plain;charset=UTF-8", json, 415, NOT_JSON),
                new Attack("form-encoded POST from another site",
                        post + "Origin: https://evil.example\nContent-Type: application/x-www-form-urlencoded", "text=CMD", 403, ORIGIN_REFUSED.formatted("https://evil.example")),
                new Attack("form-encoded POST without Origin",
                        post + "Content-Type: application/x-www-form-urlencoded", "text=CMD", 415, NOT_JSON),
                new Attack("multipart POST without Origin",
                        post + "Content-Type: multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\nCMD\r\n--x--\r\n", 415, NOT_JSON),
                new Attack("a POST with no Content-Type at all (fetch no-cors, Blob body)",
                        post + "Origin: " + "http://localhost:PORT", json, 415, NOT_JSON),
                new Attack("JSON with X-Quorum-User from a foreign Origin (had a preflight let it through)",
                        post + "Origin: https://evil.example\nContent-Type: application/json\nX-Quorum-User: dave", json, 403, ORIGIN_REFUSED.formatted("https://evil.example")),
                new Attack("Origin: null (a sandboxed iframe, a file: or data: page)",
                        post + "Origin: null\nContent-Type: application/json\nX-Quorum-User: dave", json, 403, ORIGIN_REFUSED.formatted("null")),
                new Attack("a page on another port of localhost, with dave's cookie (same-site, so SameSite does not stop it)",
                        post + "Origin: http://localhost:1\nContent-Type: application/json\nCookie: COOKIE", json, 403, ORIGIN_REFUSED.formatted("http://localhost:1")),
                new Attack("text/plain with dave's cookie and no Origin",
                        post + "Content-Type: text/plain\nCookie: COOKIE", json, 415, NOT_JSON),
                new Attack("a second Origin header next to ours",
                        post + "Origin: http://localhost:PORT\nOrigin: https://evil.example\nContent-Type: application/json\nX-Quorum-User: dave", json, 403,
                        ORIGIN_REFUSED.formatted("http://localhost:PORT, https://evil.example")),
                new Attack("DNS rebinding: evil.example resolves to 127.0.0.1, so the page is same-origin and sends what it likes",
                        "POST /api/console/messages HTTP/1.1\nHost: evil.example:PORT\nOrigin: http://evil.example:PORT\nContent-Type: application/json\nX-Quorum-User: dave\nCookie: COOKIE",
                        json, 403, "refused: Host \"evil.example:PORT\" is not an address of this Quorum; use localhost, 127.0.0.1 or [::1] on port PORT, or the address in http.public_url"),
                new Attack("DNS rebinding from a browser that omits Origin",
                        "POST /api/console/messages HTTP/1.1\nHost: evil.example:PORT\nContent-Type: application/json\nX-Quorum-User: dave",
                        json, 403, "refused: Host \"evil.example:PORT\" is not an address of this Quorum; use localhost, 127.0.0.1 or [::1] on port PORT, or the address in http.public_url"),
                new Attack("a Host that is localhost on another port",
                        "POST /api/console/messages HTTP/1.1\nHost: localhost:1\nContent-Type: application/json\nX-Quorum-User: dave",
                        json, 403, "refused: Host \"localhost:1\" is not an address of this Quorum; use localhost, 127.0.0.1 or [::1] on port PORT, or the address in http.public_url"),
                new Attack("?user=dave on a JSON POST from the page's own origin, without a login",
                        post + "Origin: http://localhost:PORT\nContent-Type: application/json", json, 401,
                        "unknown user: log in, or send X-Quorum-User with one of alice, bob, carol, dave, or a bearer token"),
                new Attack("a login as dave from another site (login CSRF)",
                        "POST /api/console/login HTTP/1.1\nHost: localhost:PORT\nOrigin: https://evil.example\nContent-Type: text/plain", "{\"user\":\"dave\"}", 403,
                        ORIGIN_REFUSED.formatted("https://evil.example")),
                new Attack("a form-encoded login without Origin",
                        "POST /api/console/login HTTP/1.1\nHost: localhost:PORT\nContent-Type: application/x-www-form-urlencoded", "user=dave", 415, NOT_JSON));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("crossSitePosts")
    void aHostilePageCannotFreezeOrUnfreeze(Attack attack) throws Exception {
        String cookie = daveSession();
        for (String command : List.of("freeze pwned by a web page", "unfreeze")) {
            if (command.equals("unfreeze")) {
                assertThat(q().say("dave", "freeze a real incident").status()).isEqualTo(202);
                assertThat(q().quorum().freeze().isFrozen()).isTrue();
            }
            Snapshot before = snapshot();
            RawHttp.Response res = RawHttp.send(port(), attack.head().replace("PORT", String.valueOf(port())).replace("COOKIE", cookie),
                    attack.body().replace("CMD", command));
            assertThat(res.status()).as(command).isEqualTo(attack.status());
            assertThat(res.json().path("error").asText()).isEqualTo(attack.error().replace("PORT", String.valueOf(port())));
            assertThat(res.header("Content-Type")).startsWith("application/json");
            assertThat(res.header("Access-Control-Allow-Origin")).isNull();
            assertThat(snapshot()).as("after " + command).isEqualTo(before);
        }
    }

    /** The control: the same bytes as the page itself sends them do work, so the refusals above are the checks', not the harness's. */
    @Test
    void theSameRequestFromTheConsolePageItselfFreezes() throws Exception {
        String cookie = daveSession();
        try (SseClient room = q().events("carol")) {
            RawHttp.Response res = RawHttp.send(port(), "POST /api/console/messages HTTP/1.1\nHost: localhost:" + port()
                    + "\nOrigin: " + ours() + "\nContent-Type: application/json; charset=utf-8\nCookie: " + cookie, "{\"text\":\"freeze drill\"}");
            assertThat(res.status()).isEqualTo(202);
            room.awaitReply("FROZEN by dave");
        }
        assertThat(q().quorum().freeze().current()).hasValueSatisfying(f -> assertThat(f.by()).isEqualTo("console:dave"));
    }

    static Stream<Arguments> rebindingReads() {
        return Stream.of(
                Arguments.of("GET /api/requests HTTP/1.1\nHost: evil.example:PORT"),
                Arguments.of("GET /api/audit HTTP/1.1\nHost: evil.example:PORT"),
                Arguments.of("GET /api/console/events HTTP/1.1\nHost: evil.example:PORT\nX-Quorum-User: dave"),
                Arguments.of("GET / HTTP/1.1\nHost: evil.example:PORT"),
                Arguments.of("GET /app.js HTTP/1.1\nHost: evil.example"),
                Arguments.of("GET /api/requests HTTP/1.1\nHost: 127.0.0.1.nip.io:PORT"),
                Arguments.of("GET /api/requests HTTP/1.1\nHost: localhost.:PORT"),
                Arguments.of("GET /api/requests HTTP/1.1\nHost: [::ffff:127.0.0.1]:PORT"),
                Arguments.of("GET /api/requests HTTP/1.1\nHost: localhost:PORT\nOrigin: https://evil.example"),
                Arguments.of("GET /api/console/events HTTP/1.1\nHost: localhost:PORT\nOrigin: null\nX-Quorum-User: dave"),
                Arguments.of("GET /api/requests HTTP/1.1\nHost: localhost:PORT\nHost: evil.example:PORT"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rebindingReads")
    void aRebindingOrCrossOriginPageReadsNothing(String head) throws Exception {
        assertThat(q().say("alice", "status").status()).isEqualTo(202); // the room has alice's message
        RawHttp.Response res = RawHttp.send(port(), head.replace("PORT", String.valueOf(port())), "");
        assertThat(res.status()).isEqualTo(403);
        assertThat(res.json().path("error").asText()).startsWith("refused: ");
        assertThat(res.body()).doesNotContain("requests", "console:alice", "<html", "event:");
    }

    @Test
    void aCorsPreflightIsNeverGranted() throws Exception {
        for (String origin : List.of("https://evil.example", ours())) {
            RawHttp.Response res = RawHttp.send(port(), "OPTIONS /api/console/messages HTTP/1.1\nHost: localhost:" + port() + "\nOrigin: " + origin
                    + "\nAccess-Control-Request-Method: POST\nAccess-Control-Request-Headers: content-type, x-quorum-user", "");
            assertThat(res.headers().keySet()).as(origin).noneMatch(h -> h.startsWith("access-control-"));
            assertThat(res.status()).as(origin).isGreaterThanOrEqualTo(400);
        }
    }

    @Test
    void theAddressesOfThisQuorumAreServed() throws Exception {
        for (String host : List.of("localhost:PORT", "127.0.0.1:PORT", "[::1]:PORT", "LOCALHOST:PORT")) {
            RawHttp.Response res = RawHttp.send(port(), ("GET /api/requests HTTP/1.1\nHost: " + host + "\nOrigin: http://" + host)
                    .replace("PORT", String.valueOf(port())), "");
            assertThat(res.status()).as(host).isEqualTo(200);
            assertThat(res.json().has("requests")).isTrue();
        }
    }

    @Test
    void userInTheUrlAuthenticatesNothing() throws Exception {
        Snapshot before = snapshot();
        RawHttp.Response events = RawHttp.send(port(), "GET /api/console/events?user=dave HTTP/1.1\nHost: localhost:" + port(), "");
        assertThat(events.status()).isEqualTo(401);
        assertThat(events.body()).doesNotContain("event:");
        RawHttp.Response whoami = RawHttp.send(port(), "GET /api/console/whoami?user=dave HTTP/1.1\nHost: localhost:" + port(), "");
        assertThat(whoami.status()).isEqualTo(200);
        assertThat(whoami.json().get("user").isNull()).isTrue();
        // On the history, user= is the SPEC's requester filter and nothing more.
        q().quorum().requests().open(RequestType.RESEARCH, IncomingMessage.human(Identity.console("alice"), ConsoleAdapter.ROOM, "research x"),
                "research x", null);
        RawHttp.Response filtered = RawHttp.send(port(), "GET /api/requests?user=dave HTTP/1.1\nHost: localhost:" + port(), "");
        assertThat(filtered.json().get("requests")).isEmpty();
        RawHttp.Response all = RawHttp.send(port(), "GET /api/requests HTTP/1.1\nHost: localhost:" + port(), "");
        assertThat(all.json().get("requests")).hasSize(1);
        assertThat(snapshot().freeze()).isEqualTo(before.freeze());
    }

    @Test
    void aTokenInTheUrlIsRefusedOnEveryRouteAndChangesNothing() throws Exception {
        live.restart(QuorumHarness.tokenConfigText(), Map.of());
        Snapshot before = snapshot();
        for (String target : List.of("/api/requests?token=dave-token-0123456789a", "/api/audit/verify?token=dave-token-0123456789a",
                "/api/console/events?token=dave-token-0123456789a", "/api/console/whoami?token=dave-token-0123456789a")) {
            RawHttp.Response res = RawHttp.send(port(), "GET " + target + " HTTP/1.1\nHost: localhost:" + port(), "");
            assertThat(res.status()).as(target).isEqualTo(400);
            assertThat(res.json().get("error").asText()).isEqualTo("a token in the URL is refused (URLs end up in logs and histories); "
                    + "send it as Authorization: Bearer <token>, or log in");
        }
        RawHttp.Response post = RawHttp.send(port(), "POST /api/console/messages?token=dave-token-0123456789a HTTP/1.1\nHost: localhost:"
                + port() + "\nContent-Type: application/json", "{\"text\":\"freeze\"}");
        assertThat(post.status()).isEqualTo(400);
        assertThat(snapshot()).isEqualTo(before);
        // The same token in its header works, so the refusal above is about the URL.
        RawHttp.Response header = RawHttp.send(port(), "POST /api/console/messages HTTP/1.1\nHost: localhost:" + port()
                + "\nAuthorization: Bearer dave-token-0123456789a\nContent-Type: application/json", "{\"text\":\"status\"}");
        assertThat(header.status()).isEqualTo(202);
    }

    @Test
    void slacksSignedEndpointIsLeftToItsOwnSignatureCheck() throws Exception {
        // Slack calls by the public name, form-encoded, without Origin: the browser checks must not
        // turn it away; its signature check decides (401 for a bad one, nothing stored).
        com.sun.net.httpserver.HttpServer slackApi = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        slackApi.createContext("/", exchange -> {
            byte[] ok = "{\"ok\":true,\"user_id\":\"UQ\",\"bot_id\":\"BQ\",\"team_id\":\"T1\",\"user\":\"quorum\",\"team\":\"t\",\"url\":\"https://t.slack.com/\"}"
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, ok.length);
            exchange.getResponseBody().write(ok);
            exchange.close();
        });
        slackApi.start();
        try {
            live.restart(QuorumHarness.bundledConfigText(), Map.of("SLACK_BOT_TOKEN", "xoxb-test",
                    "SLACK_SIGNING_SECRET", "0123456789abcdef0123456789abcdef",
                    "SLACK_API_URL", "http://127.0.0.1:" + slackApi.getAddress().getPort() + "/api/"));
            Snapshot before = snapshot();
            String slack = "POST /slack/events HTTP/1.1\nHost: quorum.example.com\nContent-Type: application/x-www-form-urlencoded\n";
            RawHttp.Response check = RawHttp.send(port(), slack, "ssl_check=1");
            assertThat(check.status()).isEqualTo(200);
            RawHttp.Response forged = RawHttp.send(port(), slack + "X-Slack-Request-Timestamp: " + (System.currentTimeMillis() / 1000)
                    + "\nX-Slack-Signature: v0=00", "command=%2Fquorum&text=freeze&user_id=U1&channel_id=C1");
            assertThat(forged.status()).isEqualTo(401);
            assertThat(forged.header("X-Frame-Options")).isEqualTo("DENY");
            assertThat(snapshot()).isEqualTo(before);
        } finally {
            slackApi.stop(0);
        }
    }

    // ---- demo mode serves loopback only -----------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "::", "[::]", "0", "192.168.1.5", "quorum.example.com", "127.0.0.1.nip.io", "127.1", "0x7f.0.0.1"})
    void demoModeOnAnAddressOtherMachinesReachIsAConfigError(String host) throws Exception {
        assertThatThrownBy(() -> QuorumHarness.config(live.data(), QuorumHarness.bundledConfigText(), Map.of("QUORUM_HTTP_HOST", host)))
                .isInstanceOf(ConfigException.class)
                .hasMessage("config error: http.host = \"" + host + "\": console.demo serves loopback only; "
                        + "use 127.0.0.1 (the default), or set console.demo: false and give every console user a token");
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "localhost", "::1", "[::1]", "127.0.1.1"})
    void demoModeOnLoopbackIsFine(String host) throws Exception {
        assertThat(QuorumHarness.config(live.data(), QuorumHarness.bundledConfigText(), Map.of("QUORUM_HTTP_HOST", host)).http().host()).isEqualTo(host);
    }

    @Test
    void theShippedDemoOnAllAddressesEndsTheProcessWithExitCode2AndOneLine() throws Exception {
        Path config = live.data().resolve("quorum.yaml");
        Files.writeString(config, QuorumHarness.bundledConfigText().replace("host: 127.0.0.1 ", "host: 0.0.0.0   "));
        List<String> cmd = new ArrayList<>(dev.quorum.testing.QuorumProcess.java());
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.quorum.cli.QuorumCli", "serve", "--config", config.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(live.data().toFile()).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("QUORUM_") || k.equals("REDIS_URL"));
        pb.environment().put("REDIS_URL", TestRedis.uri());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(out.strip()).isEqualTo("config error: http.host = \"0.0.0.0\": console.demo serves loopback only; "
                + "use 127.0.0.1 (the default), or set console.demo: false and give every console user a token");
    }

    /** The Docker image's explicit opt-in: it starts, says so loudly, and still refuses foreign hosts. */
    @Test
    void theExplicitOptInServesTheDemoOnAllAddressesAndSaysSo() throws Exception {
        live.stop();
        TestRedis.flush(); // a fresh installation: its audit log is sealed with the key it makes itself
        Path config = live.data().resolve("quorum.yaml");
        Files.writeString(config, QuorumHarness.bundledConfigText());
        Path log = live.data().resolve("quorum.log");
        int port = dev.quorum.Ports.free();
        try (QuorumProcess quorum = QuorumProcess.start(config, Map.of("QUORUM_HTTP_HOST", "0.0.0.0", "QUORUM_DEMO_ON_ALL_ADDRESSES", "true",
                "QUORUM_HTTP_PORT", String.valueOf(port), "REDIS_URL", TestRedis.uri(), "QUORUM_DATA", live.data().resolve("data").toString()), log)) {
            assertThat(Files.readString(log)).contains("WARN", "DEMO CONSOLE ON ALL ADDRESSES: console.demo_on_all_addresses is on and http.host is 0.0.0.0");
            assertThat(RawHttp.send(port, "GET /api/requests HTTP/1.1\nHost: localhost:" + port, "").status()).isEqualTo(200);
            assertThat(RawHttp.send(port, "GET /api/requests HTTP/1.1\nHost: evil.example:" + port, "").status()).isEqualTo(403);
        }
    }
}
