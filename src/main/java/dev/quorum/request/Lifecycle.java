package dev.quorum.request;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import static dev.quorum.request.RequestState.*;

/**
 * The request state machine of SPEC §4, one table per kind of request. Every state change in
 * Quorum goes through {@link #check}; a transition not in the table is a bug and fails loudly
 * instead of silently overwriting a state.
 */
public final class Lifecycle {
    private static final Map<RequestState, Set<RequestState>> WORK = new EnumMap<>(RequestState.class);
    private static final Map<RequestState, Set<RequestState>> ACTION = new EnumMap<>(RequestState.class);

    static {
        // queued -> running -> succeeded | failed | cancelled
        WORK.put(QUEUED, EnumSet.of(RUNNING, CANCELLED, FAILED));
        WORK.put(RUNNING, EnumSet.of(SUCCEEDED, FAILED, CANCELLED));

        // queued -> verifying -> awaiting_approval -> executing -> done, or one of the endings
        ACTION.put(QUEUED, EnumSet.of(VERIFYING, CANCELLED, FAILED));
        ACTION.put(VERIFYING, EnumSet.of(AWAITING_APPROVAL, FAILED, CANCELLED, STALE));
        ACTION.put(AWAITING_APPROVAL, EnumSet.of(EXECUTING, REJECTED, EXPIRED, STALE, CANCELLED));
        ACTION.put(EXECUTING, EnumSet.of(DONE, FAILED, STALE));
    }

    private Lifecycle() {}

    /** The first state of every request. */
    public static RequestState initial() {
        return QUEUED;
    }

    public static boolean allowed(RequestType type, RequestState from, RequestState to) {
        Map<RequestState, Set<RequestState>> table = type.isAction() ? ACTION : WORK;
        return table.getOrDefault(from, Set.of()).contains(to);
    }

    /** @throws IllegalTransitionException when the table does not allow {@code from -> to} */
    public static void check(String id, RequestType type, RequestState from, RequestState to) {
        if (!allowed(type, from, to)) {
            throw new IllegalTransitionException(id, type, from, to);
        }
    }

    /** The states a request of this type can be in, for validating filters and docs. */
    public static Set<RequestState> statesOf(RequestType type) {
        Map<RequestState, Set<RequestState>> table = type.isAction() ? ACTION : WORK;
        EnumSet<RequestState> all = EnumSet.copyOf(table.keySet());
        table.values().forEach(all::addAll);
        return all;
    }
}
