package dev.quorum.request;

/**
 * A capability's part of a request's full record ({@code GET /api/requests/{id}}): evidence,
 * votes, subject, transcript. Returns something Jackson can serialise, or {@code null}.
 * Called on a virtual thread; may read Redis.
 */
public interface RequestFacet {
    /** The JSON field name, snake_case. */
    String name();

    Object of(Request request);
}
