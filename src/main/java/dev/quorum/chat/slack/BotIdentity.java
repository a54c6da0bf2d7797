package dev.quorum.chat.slack;

import java.util.Objects;

/**
 * Who Quorum is in the workspace, as {@code auth.test} says: its messages carry these ids, and
 * Quorum ignores them when they come back as events.
 *
 * @param userId the bot user's id ({@code U...}), as in mentions
 * @param botId  the bot's id ({@code B...}), as in {@code bot_id} of its messages
 * @param teamId the workspace
 */
record BotIdentity(String userId, String botId, String teamId) {
    BotIdentity {
        Objects.requireNonNull(userId, "userId");
    }
}
