package dev.quorum.sandbox;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A prepared run: the process to start, and what the sandbox does once it has ended (remove its
 * limits, keep what a trusted run added to the cache). Used by one thread; {@link #finish} once.
 *
 * @see Sandbox#prepare(RunRequest)
 */
public final class Launch {

    /** What happens after the process; returns problems worth reporting, e.g. a limit that was hit. */
    @FunctionalInterface
    interface Aftermath {
        List<String> after(boolean completed);

        Aftermath NONE = completed -> List.of();
    }

    private final List<String> argv;
    private final Map<String, String> env;
    private final Path directory;
    private final boolean sandboxed;
    private final Aftermath aftermath;
    private boolean finished;

    Launch(List<String> argv, Map<String, String> env, Path directory, boolean sandboxed, Aftermath aftermath) {
        this.argv = List.copyOf(argv);
        this.env = Map.copyOf(env);
        this.directory = Objects.requireNonNull(directory, "directory");
        this.sandboxed = sandboxed;
        this.aftermath = Objects.requireNonNull(aftermath, "aftermath");
    }

    /** The program and its arguments. */
    public List<String> argv() {
        return argv;
    }

    /** The whole environment of the started program. */
    public Map<String, String> env() {
        return env;
    }

    /** Where the program starts (on the host). */
    public Path directory() {
        return directory;
    }

    /** Whether the run is confined; evidence records say so. */
    public boolean sandboxed() {
        return sandboxed;
    }

    /**
     * Cleans up after the process has ended or was killed. Idempotent.
     *
     * @param completed the command exited by itself (not killed at its time limit or cancelled)
     * @return problems the run met that its output may not show, e.g. a memory limit that was reached
     */
    public List<String> finish(boolean completed) {
        if (finished) return List.of();
        finished = true;
        return aftermath.after(completed);
    }
}
