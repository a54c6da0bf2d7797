package dev.quorum.agent.web;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What {@code fetch_url} may fetch.
 *
 * @param allowedHosts host names allowed, matched exactly (case-insensitive): {@code docs.python.org} does not allow
 *                     {@code python.org} nor {@code evil.docs.python.org.example}
 * @param maxBytes     bodies are cut after this many bytes
 * @param timeout      per request (connect and answer)
 * @param maxRedirects redirects followed, each to the same host only
 */
public record FetchSettings(Set<String> allowedHosts, int maxBytes, Duration timeout, int maxRedirects) {

    public FetchSettings {
        allowedHosts = allowedHosts.stream().map(h -> h.strip().toLowerCase(Locale.ROOT))
                .collect(Collectors.toUnmodifiableSet());
        if (maxBytes < 1 || maxRedirects < 0) {
            throw new IllegalArgumentException("fetch limits must be positive");
        }
        Objects.requireNonNull(timeout, "timeout");
    }

    /** Nothing allowed, 512 KB, 15 s, 3 redirects. */
    public static FetchSettings allowing(Set<String> hosts) {
        return new FetchSettings(hosts, 512 * 1024, Duration.ofSeconds(15), 3);
    }

    public boolean allows(String host) {
        return host != null && allowedHosts.contains(host.toLowerCase(Locale.ROOT));
    }
}
