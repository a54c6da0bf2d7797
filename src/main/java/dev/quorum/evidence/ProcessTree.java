package dev.quorum.evidence;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;

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

    /** How often to look whether processes are gone; non-child processes cannot be waited for. */
    private static final Duration POLL = Duration.ofMillis(50);

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

        awaitExit(found, grace);
        for (ProcessHandle process : found) {
            if (isRunning(process)) {
                process.destroyForcibly();
            }
        }
        awaitExit(found, Duration.ofSeconds(1));
        return found.stream().noneMatch(ProcessTree::isRunning);
    }

    /**
     * Alive and not a zombie. A killed grandchild whose parent died waits, as a zombie, for PID 1
     * to reap it, which in a container may take seconds; it no longer runs, and
     * {@link ProcessHandle#isAlive()} alone would call it alive.
     */
    static boolean isRunning(ProcessHandle process) {
        if (!process.isAlive()) {
            return false;
        }
        try {
            // /proc/<pid>/stat is "pid (command) state ..."; the command may hold spaces and parentheses
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            String afterCommand = stat.substring(stat.lastIndexOf(')') + 1).strip();
            return !afterCommand.startsWith("Z") && !afterCommand.startsWith("X");
        } catch (IOException | RuntimeException e) {
            return process.isAlive(); // no /proc (not Linux) or already gone
        }
    }

    private static void awaitExit(Set<ProcessHandle> processes, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (processes.stream().anyMatch(ProcessTree::isRunning) && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return; // killing goes on: this runs because someone wants the processes gone
            }
        }
    }
}
