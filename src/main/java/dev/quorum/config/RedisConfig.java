package dev.quorum.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
 * @param cluster         seed nodes ({@code host:port}) of a Redis Cluster, instead of {@code url}; empty when none
 * @param clusterUser     the ACL user on the Cluster's nodes; {@code null} for {@code default}
 * @param clusterPassword where the Cluster's password is kept ({@code env:NAME} or {@code file:/path}); {@code null} for none
 * @param clusterTls      the Cluster's nodes speak TLS (with {@code tls_ca_file} and {@code tls_verify}); {@code null} when not set
 * @param waitReplicas    how many replicas a critical write waits for ({@code WAIT}); {@code null}: 1 while the
 *                        master has a replica (learned at the first critical write, and again later), else 0
 * @param waitTimeout     how long such a write waits for them at most; {@code null}: 1 s
 */
public record RedisConfig(String url, Integer embeddedPort, String tlsCaFile, String tlsVerify, String embeddedFsync,
                          List<String> cluster, String clusterUser, String clusterPassword, Boolean clusterTls,
                          Integer waitReplicas, Duration waitTimeout) {
    /** How long a critical write waits for a replica unless told. */
    public static final Duration DEFAULT_WAIT_TIMEOUT = Duration.ofSeconds(1);
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
        cluster = cluster == null ? List.of() : List.copyOf(cluster);
        clusterUser = clusterUser == null || clusterUser.isBlank() ? null : clusterUser;
        clusterPassword = clusterPassword == null || clusterPassword.isBlank() ? null : clusterPassword;
        waitTimeout = waitTimeout == null ? DEFAULT_WAIT_TIMEOUT : waitTimeout;
    }

    public static RedisConfig defaults() {
        return new RedisConfig(null, null, null, null, null, null, null, null, null, null, null);
    }

    public boolean embedded() {
        return url == null && cluster.isEmpty();
    }

    /** True when {@code cluster} names a Redis Cluster's nodes. */
    public boolean isCluster() {
        return !cluster.isEmpty();
    }

    /** True for a {@code redis-sentinel://} or {@code rediss-sentinel://} URL: the master is found through Sentinel. */
    public boolean sentinel() {
        return url != null && (url.startsWith("redis-sentinel://") || url.startsWith("rediss-sentinel://"));
    }

    /** True for a {@code rediss://} or {@code rediss-sentinel://} URL, or a Cluster with {@code cluster_tls: true}. */
    public boolean tls() {
        return url != null ? url.startsWith("rediss://") || url.startsWith("rediss-sentinel://") : Boolean.TRUE.equals(clusterTls);
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

    /** The URL as it may be logged or shown: the password replaced by {@code ***}; for a Cluster, its nodes. */
    public String displayUrl() {
        return url == null && isCluster() ? "cluster " + String.join(",", cluster) : masked(url);
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
