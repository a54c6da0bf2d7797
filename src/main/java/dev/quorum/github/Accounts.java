package dev.quorum.github;

import com.fasterxml.jackson.databind.JsonNode;

/** Telling GitHub's bot and app accounts from people: they never count as humans (SPEC §2). */
final class Accounts {
    private Accounts() {}

    /** {@code type: Bot} (apps, dependabot) or a {@code [bot]} login; anything unreadable counts as a bot. */
    static boolean isBot(JsonNode user) {
        String login = user.path("login").asText("");
        return login.isEmpty() || login.endsWith("[bot]") || !"User".equals(user.path("type").asText("User"));
    }
}
