package dev.quorum.request;

import java.util.List;

/** One page of history, newest first; {@code next} is the cursor for the following page, or {@code null}. */
public record RequestPage(List<Request> requests, Long next) {
    public RequestPage {
        requests = List.copyOf(requests);
    }
}
