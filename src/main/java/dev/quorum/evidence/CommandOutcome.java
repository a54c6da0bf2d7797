package dev.quorum.evidence;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * How a command run ended.
 *
 * @param ending    why it stopped
 * @param exitCode  its exit code; null when it could not be reaped even by force
 * @param startedAt when the process started
 * @param duration  from start to end (or to the kill)
 * @param logTail   the last lines of its redacted output
 * @param problems  trouble beyond the ending itself, e.g. output cut short
 */
public record CommandOutcome(Ending ending, Integer exitCode, Instant startedAt, Duration duration, String logTail,
                      List<String> problems) {

    public enum Ending { EXITED, TIMED_OUT, CANCELLED }

    public CommandOutcome {
        problems = List.copyOf(problems);
    }
}
