package dev.quorum.request;

import java.util.List;

/**
 * One page of history in the query's order; {@code next} is the cursor for the following page, or {@code null}
 * when there is none. A page may hold fewer rows than asked and still have a {@code next}: the search stopped
 * at its bound (see {@link HistorySearch}) and goes on from there.
 */
public record RequestPage(List<Request> requests, RequestQuery.Cursor next) {
    public RequestPage {
        requests = List.copyOf(requests);
    }
}
