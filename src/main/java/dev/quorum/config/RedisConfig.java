package dev.quorum.config;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Redis connection. Without {@code url} Quorum runs its own redis-server (see {@code store.EmbeddedRedis}).
 *
 * @param url          a Lettuce URI such as {@code redis://user:password@host:6379/0} or
 *                     {@code rediss://user:password@host:6380}; {@code null} means embedded
 * @param embeddedPort port of the embedded server; {@code 0} picks a free one
 * @param tlsCaFile    PEM file of the CA certificates that may sign the server's certificate
 *                     ({@code rediss://} only); {@code null} trusts the JDK's default CAs
 * @param tlsVerify    {@code full} (chain and host name, the default), {@code ca} (chain only) or
 *                     {@code none} ({@code rediss://} only); {@code null} when not set
 * @param embeddedFsync the embedded server's {@code appendfsync}: {@code always} (the default) or
 *                      {@code everysec}; {@code null} when not set
 */
public record RedisConfig(String url, Integer embeddedPort, String tlsCaFile, String tlsVerify, String embeddedFsync) {
    /**
     * When the embedded server makes its AOF durable: {@code ALWAYS} before it answers a write
     * (nothing acknowledged is lost with the machine's power), {@code EVERYSEC} once a second
     * (up to about a second of acknowledged votes and state changes lost on a power cut).
     */
    public enum Fsync {
        ALWAYS, EVERYSEC;

        /** As written in the config and in redis.conf. */
        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** How much of the server's certificate is checked. */
    public enum Verify {
        FULL, CA, NONE;

        /** As written in the config. */
        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public RedisConfig {
        embeddedPort = embeddedPort == null ? 0 : embeddedPort;
        url = url == null || url.isBlank() ? null : url;
        tlsCaFile = tlsCaFile == null || tlsCaFile.isBlank() ? null : tlsCaFile;
    }

    public static RedisConfig defaults() {
        return new RedisConfig(null, null, null, null, null);
    }

    public boolean embedded() {
        return url == null;
    }

    /** True for a {@code rediss://} URL. */
    public boolean tls() {
        return url != null && url.startsWith("rediss://");
    }

    public Optional<Path> caFile() {
        return Optional.ofNullable(tlsCaFile).map(Path::of);
    }

    /** The verify mode; the validator has made sure {@code tls_verify} is one of the three. */
    public Verify verify() {
        return tlsVerify == null ? Verify.FULL : Verify.valueOf(tlsVerify.toUpperCase(Locale.ROOT));
    }

    /** The embedded server's fsync policy; the validator has made sure {@code embedded_fsync} is one of the two. */
    public Fsync fsync() {
        return embeddedFsync == null ? Fsync.ALWAYS : Fsync.valueOf(embeddedFsync.toUpperCase(Locale.ROOT));
    }

    /** The URL as it may be logged or shown: the password replaced by {@code ***}. */
    public String displayUrl() {
        return masked(url);
    }

    /**
     * {@code url} with the password of its user-info part replaced by {@code ***}. The user-info
     * ends at the last {@code @}, so a password with an unescaped {@code @} or {@code /} is
     * masked whole too.
     */
    public static String masked(String url) {
        if (url == null) return null;
        int scheme = url.indexOf("://");
        int at = url.lastIndexOf('@');
        if (scheme < 0 || at < scheme) return url;
        String userInfo = url.substring(scheme + 3, at);
        int colon = userInfo.indexOf(':');
        String shown = colon < 0 ? "***" : userInfo.substring(0, colon) + ":***";
        return url.substring(0, scheme + 3) + shown + url.substring(at);
    }
}
