package dev.quorum.config;

import java.time.Duration;

/**
 * How one Quorum instance takes work from the shared queue.
 *
 * @param concurrency  jobs of every kind (tests, agent runs) this instance works on at once
 * @param heartbeat    how often it tells the other instances that its jobs are alive
 * @param reclaimAfter a job whose instance has been silent this long is taken over by another
 * @param maxAttempts  deliveries of one job (of any kind) before it is given up on: its request fails and the
 *                     job goes to the dead letters
 */
public record WorkersConfig(Integer concurrency, Duration heartbeat, Duration reclaimAfter, Integer maxAttempts) {
    public WorkersConfig {
        concurrency = concurrency == null ? 16 : concurrency;
        heartbeat = heartbeat == null ? Duration.ofSeconds(5) : heartbeat;
        reclaimAfter = reclaimAfter == null ? Duration.ofSeconds(30) : reclaimAfter;
        maxAttempts = maxAttempts == null ? 3 : maxAttempts;
    }

    public static WorkersConfig defaults() {
        return new WorkersConfig(null, null, null, null);
    }
}
