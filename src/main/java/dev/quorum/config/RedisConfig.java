package dev.quorum.config;

/**
 * Redis connection. Without {@code url} Quorum runs its own redis-server (see {@code store.EmbeddedRedis}).
 *
 * @param url          a Lettuce URI such as {@code redis://localhost:6379/0}; {@code null} means embedded
 * @param embeddedPort port of the embedded server; {@code 0} picks a free one
 */
public record RedisConfig(String url, Integer embeddedPort) {
    public RedisConfig {
        embeddedPort = embeddedPort == null ? 0 : embeddedPort;
        url = url == null || url.isBlank() ? null : url;
    }

    public static RedisConfig defaults() {
        return new RedisConfig(null, null);
    }

    public boolean embedded() {
        return url == null;
    }
}
