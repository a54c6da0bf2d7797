package dev.quorum.approval;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A reference implementation of SPEC §5 for one merge request, small enough to check by eye:
 * two approvals from engineers, authors never approve, one reject vetoes, a window of 60
 * minutes, a freeze holds execution, and a push makes everything stale. The property test runs
 * the same history through Quorum and through this, and they must agree.
 */
final class QuorumModel {
    enum State { OPEN, EXECUTING, DONE, REJECTED, EXPIRED, STALE }

    static final Set<String> ENGINEERS = Set.of("alice", "bob", "carol", "dave");
    static final String AUTHOR = "alice";
    static final int NEEDED = 2;
    static final long WINDOW_MINUTES = 60;

    State state = State.OPEN;
    final Set<String> voted = new LinkedHashSet<>();
    final Set<String> approvals = new LinkedHashSet<>();
    boolean frozen;
    boolean quorumWhileFrozen;
    boolean pushed;
    long minutes;
    int executions;

    void vote(String user, boolean approve) {
        if (state != State.OPEN || quorumWhileFrozen) return;
        if (!ENGINEERS.contains(user)) return;
        if (approve && user.equals(AUTHOR)) return;
        if (pushed) {
            state = State.STALE;
            return;
        }
        if (minutes >= WINDOW_MINUTES) {
            state = State.EXPIRED;
            return;
        }
        if (!voted.add(user)) return;
        if (!approve) {
            state = State.REJECTED;
            return;
        }
        approvals.add(user);
        if (approvals.size() >= NEEDED) {
            if (frozen) quorumWhileFrozen = true;
            else state = State.EXECUTING;
        }
    }

    void push() {
        pushed = true;
    }

    void advance(long m) {
        minutes += m;
    }

    void sweep() {
        if (state == State.OPEN && minutes >= WINDOW_MINUTES) state = State.EXPIRED;
    }

    void freeze() {
        frozen = true;
    }

    void unfreeze() {
        if (!frozen) return;
        frozen = false;
        if (state != State.OPEN || !quorumWhileFrozen) return;
        if (pushed) state = State.STALE;
        else if (minutes >= WINDOW_MINUTES) state = State.EXPIRED;
        else state = State.EXECUTING;
    }

    void runJobs() {
        if (frozen || state != State.EXECUTING) return;
        if (pushed) {
            state = State.STALE;
        } else {
            state = State.DONE;
            executions++;
        }
    }
}
