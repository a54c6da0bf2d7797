package dev.quorum.evidence;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Installation-wide settings of {@link EvidenceService}. Immutable and thread-safe.
 *
 * @param workRoot             where workspaces are made, one fresh directory per run
 * @param logDir               where each run's full redacted log is kept, as {@code <digest>.log}
 * @param maxConcurrentRuns    how many test commands may run at once; more wait in FIFO order
 * @param heartbeat            how often a running command reports {@link RunEvent.StillRunning}
 * @param killGrace            after asking a process tree to stop, how long before it is killed
 * @param keepFailedWorkspaces keep the workspace of a run that did not pass, for a human to look at
 * @param hostEnv              the environment the allowed variables and the base are taken from,
 *                             normally {@link System#getenv()}
 */
public record EvidenceSettings(Path workRoot, Path logDir, int maxConcurrentRuns, Duration heartbeat,
                               Duration killGrace, boolean keepFailedWorkspaces, Map<String, String> hostEnv) {

    public EvidenceSettings {
        Objects.requireNonNull(workRoot, "work_root");
        Objects.requireNonNull(logDir, "log_dir");
        Objects.requireNonNull(heartbeat, "heartbeat");
        Objects.requireNonNull(killGrace, "kill_grace");
        if (maxConcurrentRuns < 1) {
            throw new IllegalArgumentException("max concurrent test runs must be at least 1, got " + maxConcurrentRuns);
        }
        if (heartbeat.isNegative() || heartbeat.isZero()) {
            throw new IllegalArgumentException("heartbeat must be positive, got " + heartbeat);
        }
        if (killGrace.isNegative()) {
            throw new IllegalArgumentException("kill grace must not be negative, got " + killGrace);
        }
        hostEnv = Map.copyOf(hostEnv);
    }

    /** Defaults under a data directory: 2 runs at once, a heartbeat every 10 s, 5 s grace. */
    public static EvidenceSettings under(Path dataDir, int maxConcurrentRuns) {
        return new EvidenceSettings(dataDir.resolve("workspaces"), dataDir.resolve("evidence-logs"),
                maxConcurrentRuns, Duration.ofSeconds(10), Duration.ofSeconds(5), false, System.getenv());
    }
}
