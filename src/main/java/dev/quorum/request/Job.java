package dev.quorum.request;

import java.util.Objects;

/**
 * A unit of work in the queue: run the request's {@code kind} step.
 *
 * @param kind what to do, e.g. {@code run} (work requests), {@code verify} and {@code execute} (actions)
 */
public record Job(String requestId, String kind) {
    public Job {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(kind, "kind");
    }
}
