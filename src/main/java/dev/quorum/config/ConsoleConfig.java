package dev.quorum.config;

import java.time.Duration;
import java.util.Map;

/**
 * The built-in web console.
 *
 * @param demo               when true the page can switch between the configured users and the API accepts
 *                           {@code X-Quorum-User}; when false every API call needs a user's bearer token or session.
 *                           Demo mode serves loopback only (see {@code demoOnAllAddresses})
 * @param users              console user name to its settings
 * @param demoOnAllAddresses lets demo mode bind a non-loopback {@code http.host}: for a container whose port
 *                           the host publishes on its own loopback only; loudly logged at every start
 * @param sessionTtl         how long a console login (its session cookie) lasts
 * @param roles              console role ({@link #MANAGERS}) to its members (identities or people): what the console shows whom
 */
public record ConsoleConfig(Boolean demo, Map<String, ConsoleUser> users, Boolean demoOnAllAddresses, Duration sessionTtl,
                            Map<String, java.util.List<String>> roles) {
    /** The role whose members see every person's agent cost on the Insights page (everyone sees their own). */
    public static final String MANAGERS = "managers";

    public ConsoleConfig {
        demo = demo != null && demo;
        users = users == null ? Map.of() : Map.copyOf(users);
        demoOnAllAddresses = demoOnAllAddresses != null && demoOnAllAddresses;
        sessionTtl = sessionTtl == null ? Duration.ofHours(12) : sessionTtl;
        roles = roles == null ? Map.of() : Map.copyOf(roles);
    }

    public static ConsoleConfig defaults() {
        return new ConsoleConfig(null, null, null, null, null);
    }

    /** @param token the bearer token that authenticates this user; optional in demo mode */
    public record ConsoleUser(String token) {}
}
