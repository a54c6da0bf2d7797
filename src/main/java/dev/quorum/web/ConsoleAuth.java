package dev.quorum.web;

import dev.quorum.config.ConsoleConfig;
import io.vertx.core.http.HttpServerRequest;

import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Who is calling the console API: the console user whose bearer token it presents, or, in demo
 * mode only, the user named by {@code X-Quorum-User}. Tokens are compared in constant time.
 * Immutable and thread-safe.
 */
public final class ConsoleAuth {
    private final ConsoleConfig config;

    public ConsoleAuth(ConsoleConfig config) {
        this.config = config;
    }

    public boolean demo() {
        return config.demo();
    }

    /**
     * @param authorization the {@code Authorization} header, or a bare token (SSE query parameter)
     * @param demoUser      {@code X-Quorum-User}, honoured only in demo mode
     * @return the user name, or empty when not authenticated
     */
    public Optional<String> user(String authorization, String demoUser) {
        if (authorization != null && !authorization.isBlank()) {
            String token = authorization.regionMatches(true, 0, "Bearer ", 0, 7) ? authorization.substring(7).trim() : authorization.trim();
            for (Map.Entry<String, ConsoleConfig.ConsoleUser> e : config.users().entrySet()) {
                String expected = e.getValue() == null ? null : e.getValue().token();
                if (expected != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8))) {
                    return Optional.of(e.getKey());
                }
            }
            return Optional.empty();
        }
        if (config.demo() && demoUser != null && config.users().containsKey(demoUser)) {
            return Optional.of(demoUser);
        }
        return Optional.empty();
    }

    /**
     * The caller of an HTTP request: a bearer token from {@code Authorization} (or the
     * {@code token} query parameter, as browsers' EventSource cannot set headers), else the demo
     * user from {@code X-Quorum-User} (or {@code user}).
     */
    public Optional<String> caller(HttpServerRequest request) {
        return user(presentedToken(request), firstOf(request.getHeader("X-Quorum-User"), request.getParam("user")));
    }

    /** Whether the request carries a token at all (demo mode lets token-less reads through). */
    public static boolean hasToken(HttpServerRequest request) {
        return presentedToken(request) != null;
    }

    private static String presentedToken(HttpServerRequest request) {
        return firstOf(request.getHeader("Authorization"), request.getParam("token"));
    }

    private static String firstOf(String a, String b) {
        return a != null ? a : b;
    }

    /** The configured console users, sorted (the demo page offers them). */
    public List<String> userNames() {
        return config.users().keySet().stream().sorted().toList();
    }

    public String refusal() {
        return config.demo()
                ? "unknown user: send X-Quorum-User with one of " + String.join(", ", config.users().keySet().stream().sorted().toList()) + ", or a bearer token"
                : "missing or unknown bearer token";
    }
}
