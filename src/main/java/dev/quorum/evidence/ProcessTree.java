package dev.quorum.evidence;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Stops a process and everything it started: descendants first (so an orphan cannot slip out
 * from under a dead parent), politely, then by force after a grace period.
 *
 * <p>Limit: a descendant that detached itself completely (double fork into a new session) before
 * the kill is no longer a descendant and cannot be found this way. Stateless and thread-safe.
 */
final class ProcessTree {

    /** Rounds of looking for children forked while we were killing their parents. */
    private static final int SWEEPS = 3;

    private ProcessTree() {
    }

    /**
     * Asks {@code root} and its descendants to terminate, waits up to {@code grace}, then kills
     * the survivors. Blocks for at most about {@code grace} plus one second. Idempotent.
     *
     * @return true when every process found is gone
     */
    static boolean terminate(ProcessHandle root, Duration grace) {
        Set<ProcessHandle> found = new LinkedHashSet<>();
        for (int sweep = 0; sweep < SWEEPS; sweep++) {
            Set<ProcessHandle> fresh = new LinkedHashSet<>();
            root.descendants().forEach(fresh::add);
            for (ProcessHandle known : found) {
                known.descendants().forEach(fresh::add);
            }
            fresh.removeAll(found);
            if (fresh.isEmpty() && sweep > 0) {
                break;
            }
            fresh.forEach(ProcessHandle::destroy);
            found.addAll(fresh);
        }
        root.destroy();
        found.add(root);

        long deadline = System.nanoTime() + grace.toNanos();
        awaitExit(found, deadline);
        for (ProcessHandle process : found) {
            if (process.isAlive()) {
                process.destroyForcibly();
            }
        }
        awaitExit(found, System.nanoTime() + TimeUnit.SECONDS.toNanos(1));
        return found.stream().noneMatch(ProcessHandle::isAlive);
    }

    private static void awaitExit(Set<ProcessHandle> processes, long deadlineNanos) {
        for (ProcessHandle process : processes) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                return;
            }
            try {
                process.onExit().get(left, TimeUnit.NANOSECONDS);
            } catch (TimeoutException | ExecutionException e) {
                return; // whoever is left gets killed by force
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return; // killing goes on: this runs because someone wants the processes gone
            }
        }
    }
}
