package dev.quorum.github;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;

/**
 * The JSON Web Token a GitHub App authenticates with (RS256): issued 60 s in the past against clock
 * drift, expiring 9 minutes later (GitHub refuses more than 10), issuer the App ID. Used only to
 * ask for installation tokens. Thread-safe.
 */
final class AppJwt {
    static final Duration BACKDATE = Duration.ofSeconds(60);
    static final Duration LIFETIME = Duration.ofMinutes(9);
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final long appId;
    private final PrivateKey key;
    private final Clock clock;

    AppJwt(long appId, PrivateKey key, Clock clock) {
        this.appId = appId;
        this.key = key;
        this.clock = clock;
    }

    String sign() {
        long now = clock.instant().getEpochSecond();
        long iat = now - BACKDATE.toSeconds();
        String header = B64.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String claims = B64.encodeToString(("{\"iat\":" + iat + ",\"exp\":" + (iat + LIFETIME.toSeconds())
                + ",\"iss\":\"" + appId + "\"}").getBytes(StandardCharsets.UTF_8));
        String signed = header + "." + claims;
        try {
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initSign(key);
            rs256.update(signed.getBytes(StandardCharsets.US_ASCII));
            return signed + "." + B64.encodeToString(rs256.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign the GitHub App JWT: " + e.getClass().getSimpleName());
        }
    }
}
