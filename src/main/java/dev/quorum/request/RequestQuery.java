package dev.quorum.request;

import dev.quorum.conversation.Identity;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A filter over the request history; every part is optional ({@code null}).
 *
 * @param user        who asked for it (the requester): any of these identities, one person's on every platform
 * @param approver    who approved it (an approve vote that was counted): any of these identities, as {@code user}
 * @param repo        the repository it works on, as its inputs name it
 * @param environment the environment it deploys to
 * @param since       created at or after
 * @param until       created before
 * @param text        words it contains (id, text, summary, reason, requester name), case-insensitive, taken literally
 * @param cursor      where the previous page stopped (its {@code next}); {@code null} for the first page
 * @param limit       page size, 1..200
 */
public record RequestQuery(RequestState state, RequestType type, Set<Identity> user, Set<Identity> approver, String repo, String environment,
                           Instant since, Instant until, String text, Sort sort, Cursor cursor, int limit) {
    public static final int MAX_LIMIT = 200;
    /** The longest text filter: it is matched against each row, so it is bounded like any input. */
    public static final int MAX_TEXT = 200;

    /** The order of a listing. */
    public enum Sort {
        CREATED_DESC, CREATED_ASC, UPDATED_DESC, UPDATED_ASC;

        public boolean byUpdate() {
            return this == UPDATED_DESC || this == UPDATED_ASC;
        }

        public boolean ascending() {
            return this == CREATED_ASC || this == UPDATED_ASC;
        }
    }

    /**
     * Where a page stopped: the score of its last row in the index the order follows (the request number, or
     * the last update in epoch ms) and that row's number, which breaks ties between equal update times.
     */
    public record Cursor(long score, long number) {
        /** {@code 41} (by creation: the number) or {@code 1764600000000.41} (by update), as {@link #wire()} writes it. */
        public static Cursor parse(String s) {
            if (s == null || !s.matches("\\d{1,18}(\\.\\d{1,18})?")) {
                throw new IllegalArgumentException("cursor must be the 'next' value of a previous page");
            }
            int dot = s.indexOf('.');
            return dot < 0 ? new Cursor(Long.parseLong(s), Long.parseLong(s))
                    : new Cursor(Long.parseLong(s.substring(0, dot)), Long.parseLong(s.substring(dot + 1)));
        }

        public String wire() {
            return score == number ? String.valueOf(number) : score + "." + number;
        }
    }

    public RequestQuery {
        if (limit < 1 || limit > MAX_LIMIT) throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT);
        if (text != null && text.length() > MAX_TEXT) throw new IllegalArgumentException("q must be at most " + MAX_TEXT + " characters");
        if (text != null && text.isBlank()) text = null;
        if (sort == null) sort = Sort.CREATED_DESC;
        user = user == null || user.isEmpty() ? null : Set.copyOf(user);
        approver = approver == null || approver.isEmpty() ? null : Set.copyOf(approver);
    }

    /** A filter by one identity, as a set for the components: {@code null} for none. */
    public static Set<Identity> one(Identity who) {
        return who == null ? null : Set.of(who);
    }

    /** The filters the history had before approver, repository, environment, date range, text and order. */
    public RequestQuery(RequestState state, RequestType type, Identity user, Instant since, Long before, int limit) {
        this(state, type, one(user), null, null, null, since, null, null, Sort.CREATED_DESC,
                before == null ? null : new Cursor(before, before), limit);
    }

    public static RequestQuery latest(int limit) {
        return new RequestQuery(null, null, null, null, null, limit);
    }

    /** The same filter for requests asked by any of {@code who} (one person's identities). */
    public RequestQuery by(Set<Identity> who) {
        return new RequestQuery(state, type, who, approver, repo, environment, since, until, text, sort, cursor, limit);
    }

    /** The same filter from another page on, with another page size. */
    public RequestQuery from(Cursor at, int size) {
        return new RequestQuery(state, type, user, approver, repo, environment, since, until, text, sort, at, size);
    }

    /** What the hash shows; approver, repository and environment are only in their indexes. */
    boolean matches(Request r) {
        return (state == null || r.state() == state)
                && (type == null || r.type() == type)
                && (user == null || user.contains(r.requester()))
                && (since == null || !r.createdAt().isBefore(since))
                && (until == null || r.createdAt().isBefore(until))
                && (text == null || says(r, text.toLowerCase(Locale.ROOT)));
    }

    /** A literal, case-insensitive substring: no pattern language, so nothing in {@code q} is special. */
    private static boolean says(Request r, String needle) {
        return says(needle, r.id(), r.text(), r.summary(), r.reason(), r.requesterName());
    }

    /** The hash fields the text filter reads, besides the id: {@link #saysText} on them before a row is loaded whole. */
    static final String[] TEXT_FIELDS = {"text", "summary", "reason", "requester_name"};

    /** Whether the id or the {@link #TEXT_FIELDS} (in that order) have the text filter's words; true without one. */
    boolean saysText(String id, List<String> fields) {
        if (text == null) return true;
        String[] hay = new String[fields.size() + 1];
        hay[0] = id;
        for (int i = 0; i < fields.size(); i++) hay[i + 1] = fields.get(i);
        return says(text.toLowerCase(Locale.ROOT), hay);
    }

    private static boolean says(String needle, String... hay) {
        for (String h : hay) {
            if (h != null && h.toLowerCase(Locale.ROOT).contains(needle)) return true;
        }
        return false;
    }
}
