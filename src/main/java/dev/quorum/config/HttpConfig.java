package dev.quorum.config;

/**
 * Where the HTTP server listens and how chat links reach it.
 *
 * @param host       bind address; {@code 127.0.0.1} unless set, so that nothing but this machine
 *                   reaches the console until the operator decides otherwise
 * @param port       TCP port; {@code 0} picks a free one (tests)
 * @param publicUrl  the base URL that links posted in chat point to; defaults to {@code http://localhost:PORT}.
 *                   Browsers whose {@code Origin} or {@code Host} is neither this nor loopback are refused
 */
public record HttpConfig(String host, Integer port, String publicUrl) {
    public HttpConfig {
        host = host == null ? "127.0.0.1" : host;
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

    /**
     * Whether {@link #host} is a loopback address: {@code localhost}, an address in
     * {@code 127.0.0.0/8} written as four decimal numbers, or {@code ::1}. Anything else counts as
     * reachable from elsewhere: wildcards ({@code 0.0.0.0}, {@code ::}, {@code 0}), other
     * addresses, and host names, which DNS could point anywhere. Decided from the text alone,
     * without a DNS lookup.
     */
    public boolean loopbackOnly() {
        String h = host.strip().toLowerCase(java.util.Locale.ROOT);
        if (h.equals("localhost")) return true;
        if (h.matches("127(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}")) return true;
        if (h.startsWith("[") && h.endsWith("]")) h = h.substring(1, h.length() - 1);
        if (!h.matches("[0-9a-f:.]*:[0-9a-f:.]*")) return false; // only IPv6 literals below: no name lookups
        try {
            return java.net.InetAddress.getByName(h).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }
}
