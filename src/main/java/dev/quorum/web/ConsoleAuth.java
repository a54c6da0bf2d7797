package dev.quorum.web;

import dev.quorum.audit.CanonicalJson;
import dev.quorum.config.ConsoleConfig;
import dev.quorum.config.HttpConfig;
import dev.quorum.store.Redis;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * Who is calling the console API, and how one logs in. A caller is the console user whose bearer
 * token the request presents ({@code Authorization}), else, in demo mode only, the user named by
 * {@code X-Quorum-User}, else the user of its session cookie. Nothing in the URL ever
 * authenticates. Tokens are compared in constant time.
 *
 * <p>{@code POST /api/console/login} with {@code {"token": "..."}} (in demo mode also
 * {@code {"user": "bob"}}: demo users have no tokens) sets an {@code HttpOnly},
 * {@code SameSite=Strict} session cookie ({@code Secure} when {@code http.public_url} is https);
 * {@code POST /api/console/logout} ends it. The console page uses only the cookie, so its
 * script never holds a credential and its event stream needs nothing in the URL. Thread-safe.
 */
public final class ConsoleAuth implements HttpEndpoint {
    public static final String COOKIE = "quorum_session";
    private static final String CALLER = "quorum.caller";
    private static final String DEMO_PROOF = "demo";
    private static final long MAX_LOGIN_BODY = 4096;
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleAuth.class);

    private final ConsoleConfig config;
    private final HttpConfig http;
    private final Sessions sessions;

    public ConsoleAuth(Vertx vertx, ConsoleConfig config, HttpConfig http, Redis redis) {
        this.config = config;
        this.http = http;
        this.sessions = new Sessions(vertx, redis, config.sessionTtl());
    }

    public boolean demo() {
        return config.demo();
    }

    @Override
    public void mount(Router r) {
        if (config.demo() && !http.loopbackOnly()) {
            LOG.warn("DEMO CONSOLE ON ALL ADDRESSES: console.demo_on_all_addresses is on and http.host is {}: anyone who reaches "
                    + "port {} may act as any console user without a token. Publish it on loopback only "
                    + "(docker run -p 127.0.0.1:8080:8080 ...) or turn console.demo off.", http.host(), http.port());
        }
        r.post("/api/console/login").handler(BodyHandler.create(false).setBodyLimit(MAX_LOGIN_BODY)).handler(this::login);
        r.post("/api/console/logout").handler(this::logout);
    }

    /**
     * The caller of this request, or empty when it proves no console user. A request that
     * presents a bearer token is judged by that token alone. Resolved once per request.
     */
    public Future<Optional<String>> caller(RoutingContext ctx) {
        Future<Optional<String>> known = ctx.get(CALLER);
        if (known == null) {
            known = resolve(ctx.request());
            ctx.put(CALLER, known);
        }
        return known;
    }

    /** Runs {@code then} with the caller's name, or answers 401 (503 when sessions cannot be read). */
    public void asCaller(RoutingContext ctx, BiConsumer<RoutingContext, String> then) {
        caller(ctx).onComplete(who -> {
            if (who.failed()) Json.error(ctx, 503, "sessions are unavailable; try again");
            else if (who.result().isEmpty()) Json.error(ctx, 401, refusal());
            else then.accept(ctx, who.result().get());
        });
    }

    private Future<Optional<String>> resolve(HttpServerRequest request) {
        String authorization = request.getHeader("Authorization");
        if (authorization != null) {
            boolean bearer = authorization.regionMatches(true, 0, "Bearer ", 0, 7);
            return Future.succeededFuture(bearer ? userOfToken(authorization.substring(7).trim()) : Optional.empty());
        }
        String demoUser = request.getHeader("X-Quorum-User");
        if (config.demo() && demoUser != null) {
            return Future.succeededFuture(config.users().containsKey(demoUser) ? Optional.of(demoUser) : Optional.empty());
        }
        Cookie cookie = request.getCookie(COOKIE);
        if (cookie == null) return Future.succeededFuture(Optional.empty());
        return sessions.find(cookie.getValue()).map(s -> s.filter(this::stillValid).map(Sessions.Session::user));
    }

    /** Whether the request brings a bearer token (demo mode lets reads without one through). */
    public static boolean hasToken(HttpServerRequest request) {
        return request.getHeader("Authorization") != null;
    }

    private Optional<String> userOfToken(String token) {
        byte[] given = token.getBytes(StandardCharsets.UTF_8);
        for (Map.Entry<String, ConsoleConfig.ConsoleUser> e : config.users().entrySet()) {
            String expected = e.getValue() == null ? null : e.getValue().token();
            if (expected != null && !expected.isBlank() && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given)) {
                return Optional.of(e.getKey());
            }
        }
        return Optional.empty();
    }

    /** A session counts while its user is configured and the way it was proved still holds. */
    private boolean stillValid(Sessions.Session s) {
        if (!config.users().containsKey(s.user())) return false;
        if (s.proof().equals(DEMO_PROOF)) return config.demo();
        ConsoleConfig.ConsoleUser user = config.users().get(s.user());
        String token = user == null ? null : user.token();
        return token != null && !token.isBlank() && MessageDigest.isEqual(
                fingerprint(s.user(), token).getBytes(StandardCharsets.US_ASCII), s.proof().getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * 32 bits of the token's hash: enough to notice that the token changed, too few to confirm a
     * guessed token with should Redis be read.
     */
    private static String fingerprint(String user, String token) {
        return CanonicalJson.sha256Hex("quorum console session\n" + user + "\n" + token).substring(0, 8);
    }

    private void login(RoutingContext ctx) {
        JsonObject body;
        try {
            body = ctx.body().asJsonObject();
        } catch (DecodeException | ClassCastException e) {
            body = null;
        }
        Object token = body == null ? null : body.getValue("token");
        Object demoUser = body == null ? null : body.getValue("user");
        Sessions.Session session;
        if (token instanceof String t && !t.isBlank()) {
            Optional<String> user = userOfToken(t.trim());
            if (user.isEmpty()) {
                LOG.warn("Console login with an unknown token from {}", ctx.request().remoteAddress());
                Json.error(ctx, 401, "unknown token");
                return;
            }
            session = new Sessions.Session(user.get(), fingerprint(user.get(), config.users().get(user.get()).token()));
        } else if (demoUser instanceof String u && token == null) {
            if (!config.demo()) {
                Json.error(ctx, 400, "logging in by name works in demo mode only; send {\"token\": \"...\"}");
                return;
            }
            if (!config.users().containsKey(u)) {
                Json.error(ctx, 401, "unknown user: one of " + String.join(", ", userNames()));
                return;
            }
            session = new Sessions.Session(u, DEMO_PROOF);
        } else {
            Json.error(ctx, 400, config.demo() ? "the body must be {\"token\": \"...\"} or {\"user\": \"<name>\"}" : "the body must be {\"token\": \"...\"}");
            return;
        }
        Cookie previous = ctx.request().getCookie(COOKIE);
        sessions.close(previous == null ? null : previous.getValue())
                .compose(v -> sessions.open(session))
                .onSuccess(id -> {
                    ctx.response().addCookie(cookie(id, sessions.ttl().toSeconds()));
                    Map<String, Object> out = new LinkedHashMap<>();
                    out.put("user", session.user());
                    out.put("expires_in", sessions.ttl().toSeconds());
                    Json.send(ctx, 200, out);
                })
                .onFailure(e -> Json.error(ctx, 503, "the login could not be stored; try again"));
    }

    private void logout(RoutingContext ctx) {
        Cookie cookie = ctx.request().getCookie(COOKIE);
        sessions.close(cookie == null ? null : cookie.getValue())
                .onSuccess(v -> {
                    ctx.response().addCookie(cookie("", 0));
                    Map<String, Object> out = new LinkedHashMap<>();
                    out.put("user", null);
                    Json.send(ctx, 200, out);
                })
                .onFailure(e -> Json.error(ctx, 503, "the logout could not be stored; try again"));
    }

    private Cookie cookie(String value, long maxAgeSeconds) {
        return Cookie.cookie(COOKIE, value).setPath("/").setHttpOnly(true).setSameSite(CookieSameSite.STRICT)
                .setSecure(http.publicUrl() != null && http.publicUrl().regionMatches(true, 0, "https:", 0, 6))
                .setMaxAge(maxAgeSeconds);
    }

    /** The configured console users, sorted (the demo page offers them). */
    public List<String> userNames() {
        return config.users().keySet().stream().sorted().toList();
    }

    public String refusal() {
        return config.demo()
                ? "unknown user: log in, or send X-Quorum-User with one of " + String.join(", ", userNames()) + ", or a bearer token"
                : "missing or unknown bearer token or session; log in with POST /api/console/login";
    }
}
