package dev.quorum.sandbox;

import java.io.IOException;

/**
 * Where one repository's code runs. Every command Quorum runs from a repository (its tests, the coding
 * agent's {@code run_tests()}, a command deploy) is prepared here and started as the returned
 * {@link Launch} says. One of three kinds: confined by bubblewrap; explicitly unconfined
 * ({@code sandbox: off}); or unavailable, when no sandbox can be made here, so that nothing runs.
 * Implementations are thread-safe.
 */
public sealed interface Sandbox permits Bubblewrap, Unsandboxed, Unavailable {

    /**
     * Prepares one run.
     *
     * @throws SandboxException when the run cannot be confined (then it must not start); the
     *                          message says why, for the person who asked
     * @throws IOException      when the sandbox's own files cannot be written
     */
    Launch prepare(RunRequest run) throws SandboxException, IOException;

    /** Whether runs are confined; evidence records carry it as {@code sandboxed}. */
    boolean confines();

    /** Whether this repository has a dependency cache that no trusted run has filled yet. */
    default boolean cacheCold() {
        return false;
    }

    /** Records that a trusted run filled the cache. */
    default void cacheWarmed() {
    }

    /** One line for logs, e.g. {@code bubblewrap 0.8.0, network none, ...}. */
    String describe();
}
