package dev.quorum.evidence;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * One invocation of a test command.
 *
 * @param command  the shell string, run as {@code /bin/sh -c command}
 * @param directory where it runs
 * @param env      its whole environment
 * @param timeout  when its process tree is killed
 * @param redactor masks the output before it reaches {@code logFile} or the tail
 * @param logFile  receives the merged, redacted output
 */
public record CommandRun(String command, Path directory, Map<String, String> env, Duration timeout,
                  Redactor redactor, Path logFile) {

    public CommandRun {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(redactor, "redactor");
        Objects.requireNonNull(logFile, "logFile");
        env = Map.copyOf(env);
    }
}
