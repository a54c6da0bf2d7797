package dev.quorum.request;

import dev.quorum.conversation.Identity;

import java.time.Instant;

/**
 * A filter over the request history; every part is optional.
 *
 * @param before only requests older than this id number (the cursor of the previous page)
 * @param limit  page size, 1..200
 */
public record RequestQuery(RequestState state, RequestType type, Identity user, Instant since, Long before, int limit) {
    public static final int MAX_LIMIT = 200;

    public RequestQuery {
        if (limit < 1 || limit > MAX_LIMIT) throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT);
    }

    public static RequestQuery latest(int limit) {
        return new RequestQuery(null, null, null, null, null, limit);
    }

    public RequestQuery by(Identity who) {
        return new RequestQuery(state, type, who, since, before, limit);
    }

    boolean matches(Request r) {
        return (state == null || r.state() == state)
                && (type == null || r.type() == type)
                && (user == null || r.requester().equals(user))
                && (since == null || !r.createdAt().isBefore(since));
    }
}
