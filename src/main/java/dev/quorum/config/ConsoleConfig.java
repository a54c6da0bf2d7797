package dev.quorum.config;

import java.util.Map;

/**
 * The built-in web console.
 *
 * @param demo  when true the page can switch between the configured users and the API accepts
 *              {@code X-Quorum-User}; when false every API call needs a user's bearer token
 * @param users console user name to its settings
 */
public record ConsoleConfig(Boolean demo, Map<String, ConsoleUser> users) {
    public ConsoleConfig {
        demo = demo != null && demo;
        users = users == null ? Map.of() : Map.copyOf(users);
    }

    public static ConsoleConfig defaults() {
        return new ConsoleConfig(null, null);
    }

    /** @param token the bearer token that authenticates this user; optional in demo mode */
    public record ConsoleUser(String token) {}
}
