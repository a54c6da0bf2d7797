package dev.quorum.chat.slack;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Members' display names for replies ("FROZEN by alice"), asked of Slack once per member and
 * kept in memory. Names decide nothing (SPEC §2); when Slack cannot tell (no {@code users:read}
 * scope, an error) the user id stands in. Thread-safe; the first lookup of a member blocks for
 * one Web API call.
 */
final class DisplayNames {
    private static final Logger LOG = LoggerFactory.getLogger(DisplayNames.class);
    /** A bound on memory; a workspace larger than this just asks again. */
    private static final int MAX_CACHED = 10_000;

    private final RateLimitedSlackClient api;
    private final Map<String, String> names = new ConcurrentHashMap<>();
    private volatile boolean unavailable;

    DisplayNames(RateLimitedSlackClient api) {
        this.api = api;
    }

    /** The member's name, or {@code given} when the payload carried one, or the user id. */
    String of(String userId, String given) {
        if (given != null && !given.isBlank()) return given;
        String known = names.get(userId);
        if (known != null || unavailable) return known != null ? known : userId;
        try {
            String name = api.displayName(userId).orElse(userId);
            if (names.size() >= MAX_CACHED) names.clear();
            names.put(userId, name);
            return name;
        } catch (SlackCallException e) {
            if ("missing_scope".equals(e.error())) {
                unavailable = true;
                LOG.warn("The Slack app lacks the users:read scope; replies name members by their user id");
            } else {
                LOG.debug("No display name for {}: {}", userId, e.getMessage());
            }
            return userId;
        }
    }
}
