package dev.quorum.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quorum.Quorum;
import dev.quorum.audit.SealKey;
import dev.quorum.config.ConfigLoader;
import dev.quorum.config.QuorumConfig;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * The whole Quorum, in-process, on the shared test Redis and a temp data folder, driven as a
 * member meets it: over real HTTP, reading replies from the real SSE stream (Errbot's testbot).
 */
public final class QuorumHarness implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] TEST_SEAL_KEY = new byte[32];

    static {
        new java.security.SecureRandom().nextBytes(TEST_SEAL_KEY);
    }

    private final Quorum quorum;
    private final HttpClient http = HttpClient.newHttpClient();

    private QuorumHarness(Quorum quorum) {
        this.quorum = quorum;
    }

    /** The shipped demo config, on a free port, with data in {@code dataDir}. */
    public static QuorumHarness start(Path dataDir) throws Exception {
        return start(dataDir, bundledConfigText(), Map.of(), Clock.systemUTC());
    }

    /** A config given as YAML text; {@code env} adds environment variables. */
    public static QuorumHarness start(Path dataDir, String yaml, Map<String, String> env, Clock clock) throws Exception {
        return new QuorumHarness(Quorum.start(config(dataDir, yaml, env), clock));
    }

    public static QuorumConfig config(Path dataDir, String yaml, Map<String, String> env) {
        shareSealKey(dataDir);
        Map<String, String> all = new HashMap<>(env);
        all.putIfAbsent("QUORUM_HTTP_PORT", "0");
        all.put("QUORUM_DATA", dataDir.toString());
        all.putIfAbsent("REDIS_URL", TestRedis.uri());
        return new ConfigLoader(all::get).parse(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "test");
    }

    /** The shipped config with demo mode off and a token for each user: {@code <name>-token-...}, see {@link #TOKENS}. */
    public static String tokenConfigText() throws IOException {
        String yaml = bundledConfigText().replace("demo: true                 # demo:", "demo: false                # demo:");
        for (Map.Entry<String, String> e : TOKENS.entrySet()) {
            yaml = yaml.replace("    " + e.getKey() + ": {}", "    " + e.getKey() + ": {token: " + e.getValue() + "}");
        }
        return yaml;
    }

    /** The console tokens of {@link #tokenConfigText()}. */
    public static final Map<String, String> TOKENS = Map.of("alice", "alice-token-0123456789", "bob", "bob-token-0123456789ab",
            "carol", "carol-token-0123456789", "dave", "dave-token-0123456789a");

    /**
     * Every Quorum on one Redis must seal with one key (an operator copies {@code keys/seal.key}
     * to each instance); the test JVM's instances share one, put in place before the first start.
     */
    private static void shareSealKey(Path dataDir) {
        Path file = SealKey.file(dataDir);
        if (Files.exists(file)) return;
        try {
            Files.createDirectories(file.getParent());
            Files.setPosixFilePermissions(file.getParent(), PosixFilePermissions.fromString("rwx------"));
            Files.write(file, TEST_SEAL_KEY);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String bundledConfigText() throws IOException {
        try (InputStream in = QuorumHarness.class.getResourceAsStream("/config/quorum.yaml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    public Quorum quorum() {
        return quorum;
    }

    public String url(String path) {
        return "http://localhost:" + quorum.port() + path;
    }

    /** {@code POST /api/console/messages} as a demo user; returns status and JSON body. */
    public Response say(String user, String text) throws Exception {
        return post("/api/console/messages", Map.of("X-Quorum-User", user), JSON.writeValueAsString(Map.of("text", text)));
    }

    /** {@link #say} a command that opens a request: it must be taken (202); returns the request's id. */
    public String ask(String user, String text) throws Exception {
        Response res = say(user, text);
        if (res.status() != 202) throw new AssertionError("expected 202 for '" + text + "' but got " + res.status() + ": " + res.json());
        return res.json().get("request_id").asText();
    }

    /** Waits up to 30 s until request {@code id} is in {@code state} ({@code GET /api/requests/{id}}). */
    public void awaitState(String id, String state) throws Exception {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
        while (!get("/api/requests/" + id).json().path("state").asText().equals(state)) {
            if (System.nanoTime() > deadline) throw new AssertionError(id + " is not " + state + ": " + get("/api/requests/" + id).json());
            Thread.sleep(50);
        }
    }

    public Response post(String path, Map<String, String> headers, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path))).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        headers.forEach(b::header);
        HttpResponse<String> res = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Response(res.statusCode(), parse(res.body()));
    }

    public Response get(String path, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path))).GET();
        headers.forEach(b::header);
        HttpResponse<String> res = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Response(res.statusCode(), parse(res.body()));
    }

    public Response get(String path) throws Exception {
        return get(path, Map.of());
    }

    /** Opens the console's event stream as demo user {@code user} ({@code X-Quorum-User}). */
    public SseClient events(String user) {
        return events(Map.of("X-Quorum-User", user));
    }

    /** Opens the console's event stream with these credentials (a token, a session cookie). */
    public SseClient events(Map<String, String> headers) {
        return new SseClient(http, url("/api/console/events"), headers);
    }

    public HttpClient http() {
        return http;
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return JSON.getNodeFactory().textNode(body);
        }
    }

    public record Response(int status, JsonNode json) {}

    @Override
    public void close() {
        quorum.close();
    }
}
