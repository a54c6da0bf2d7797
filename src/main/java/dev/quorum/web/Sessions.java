package dev.quorum.web;

import dev.quorum.audit.CanonicalJson;
import dev.quorum.store.Redis;
import io.lettuce.core.SetArgs;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Console logins, in Redis so that a session works on every instance and survives a restart.
 * The id is 256 random bits, known only to the browser; Redis keeps its SHA-256, so reading
 * Redis does not yield a usable cookie. Each session ends after its TTL or at logout. Calls
 * Redis asynchronously and completes on the caller's Vert.x context. Thread-safe.
 */
final class Sessions {
    private static final String KEY = "{q}:console:session:";
    private static final SecureRandom RANDOM = new SecureRandom();
    /** 32 bytes in URL-safe base64 without padding. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{43}");

    private final Vertx vertx;
    private final Redis redis;
    private final Duration ttl;

    /**
     * @param user  the console user
     * @param proof how the login was proved: {@code demo}, or a fingerprint of the token used, so
     *              that a changed token (or the end of demo mode) ends the sessions made with the old one
     */
    record Session(String user, String proof) {}

    Sessions(Vertx vertx, Redis redis, Duration ttl) {
        this.vertx = vertx;
        this.redis = redis;
        this.ttl = ttl;
    }

    Duration ttl() {
        return ttl;
    }

    /** Stores a new session; its id, for the cookie. */
    Future<String> open(Session session) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        return bridge(redis.async().set(key(id), session.user() + "\n" + session.proof(), SetArgs.Builder.ex(ttl.toSeconds())))
                .map(ok -> id);
    }

    /** The live session with that id; empty for an unknown, expired or malformed id. */
    Future<Optional<Session>> find(String id) {
        if (id == null || !ID.matcher(id).matches()) return Future.succeededFuture(Optional.empty());
        return bridge(redis.async().get(key(id))).map(value -> {
            if (value == null) return Optional.empty();
            int nl = value.indexOf('\n');
            return nl < 0 ? Optional.empty() : Optional.of(new Session(value.substring(0, nl), value.substring(nl + 1)));
        });
    }

    /** Ends a session; an unknown id is already ended. */
    Future<Void> close(String id) {
        if (id == null || !ID.matcher(id).matches()) return Future.succeededFuture();
        return bridge(redis.async().del(key(id))).mapEmpty();
    }

    private static String key(String id) {
        return KEY + CanonicalJson.sha256Hex(id);
    }

    private <T> Future<T> bridge(java.util.concurrent.CompletionStage<T> stage) {
        return Future.fromCompletionStage(stage, vertx.getOrCreateContext());
    }
}
