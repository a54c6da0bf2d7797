package dev.quorum.sandbox;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * One command to run from a repository, in a workspace Quorum prepared.
 *
 * @param command  the shell text, run as {@code /bin/sh -c command}
 * @param checkout the checked-out tree: the only tree the run may change
 * @param home     the run's home folder (empty, private to the run)
 * @param tmp      the run's temporary folder (private to the run)
 * @param scratch  a private folder for the sandbox's own bookkeeping, never shown to the run as such
 * @param env      the run's whole environment as the caller built it (already scrubbed of Quorum's own)
 * @param trust    whose code it is: decides network and what may reach the cache
 */
public record RunRequest(String command, Path checkout, Path home, Path tmp, Path scratch, Map<String, String> env,
                         Trust trust) {
    public RunRequest {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(checkout, "checkout");
        Objects.requireNonNull(home, "home");
        Objects.requireNonNull(tmp, "tmp");
        Objects.requireNonNull(scratch, "scratch");
        Objects.requireNonNull(trust, "trust");
        env = Map.copyOf(env);
    }
}
