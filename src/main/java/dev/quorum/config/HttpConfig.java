package dev.quorum.config;

/**
 * Where the HTTP server listens and how chat links reach it.
 *
 * @param host       bind address
 * @param port       TCP port; {@code 0} picks a free one (tests)
 * @param publicUrl  the base URL that links posted in chat point to; defaults to {@code http://localhost:PORT}
 */
public record HttpConfig(String host, Integer port, String publicUrl) {
    public HttpConfig {
        host = host == null ? "0.0.0.0" : host;
        port = port == null ? 8080 : port;
    }

    public static HttpConfig defaults() {
        return new HttpConfig(null, null, null);
    }

    /** The base URL for links, without a trailing slash. */
    public String linkBase(int boundPort) {
        String base = publicUrl == null ? "http://localhost:" + boundPort : publicUrl;
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }
}
