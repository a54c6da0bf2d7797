package dev.quorum.evidence;

import dev.quorum.sandbox.Launch;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * One invocation of a command from a repository, as its sandbox prepared it.
 *
 * @param launch   the process to start (inside its sandbox), and what to do once it ended
 * @param timeout  when its process tree is killed
 * @param redactor masks the output before it reaches {@code logFile} or the tail
 * @param logFile  receives the merged, redacted output
 */
public record CommandRun(Launch launch, Duration timeout, Redactor redactor, Path logFile) {

    public CommandRun {
        Objects.requireNonNull(launch, "launch");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(redactor, "redactor");
        Objects.requireNonNull(logFile, "logFile");
    }
}
