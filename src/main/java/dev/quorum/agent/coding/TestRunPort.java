package dev.quorum.agent.coding;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Port: runs a repository's tests with Quorum's evidence runner. The lead wires it to the runner used by the
 * {@code test} command, so what the coding agent sees is the same evidence a person would get.
 *
 * <p>Called on the run's virtual thread and may block for minutes. Implementations must be safe for concurrent use
 * by different runs (each has its own working directory).
 */
@FunctionalInterface
public interface TestRunPort {

    /**
     * Runs the tests of {@code commitSha}, which the agent has just committed in {@code workingDirectory}.
     *
     * @throws IOException when the tests could not be run at all (not when they fail: that is evidence)
     */
    TestEvidence runTests(String requestId, Path workingDirectory, String commitSha) throws IOException;
}
