package dev.quorum.request;

/** A state change the lifecycle does not allow: a programming error, never user input. */
public final class IllegalTransitionException extends IllegalStateException {
    public IllegalTransitionException(String id, RequestType type, RequestState from, RequestState to) {
        super("request " + id + " (" + type.wire() + ") cannot go from " + from.wire() + " to " + to.wire());
    }
}
