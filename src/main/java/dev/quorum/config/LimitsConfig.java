package dev.quorum.config;

/**
 * How many commands Quorum takes per minute, counted in Redis so that every instance shares one
 * count, and a cap on the shared work queue. {@code 0} turns a limit off. Votes ({@code approve}, {@code reject}) are not counted.
 *
 * @param userPerMinute    commands one member may give in a minute, on all platforms together per identity
 * @param channelPerMinute commands one channel (or DM, or pull request) may carry in a minute, all members together
 * @param maxQueuedJobs    jobs (waiting or running) in the queue all instances share past which commands that
 *                         would open a new request are refused
 */
public record LimitsConfig(Integer userPerMinute, Integer channelPerMinute, Integer maxQueuedJobs) {
    public LimitsConfig {
        userPerMinute = userPerMinute == null ? 60 : userPerMinute;
        channelPerMinute = channelPerMinute == null ? 300 : channelPerMinute;
        maxQueuedJobs = maxQueuedJobs == null ? 1000 : maxQueuedJobs;
    }

    /** Rate limits only, no queue cap. */
    public LimitsConfig(int userPerMinute, int channelPerMinute) {
        this(userPerMinute, channelPerMinute, 0);
    }

    public static LimitsConfig defaults() {
        return new LimitsConfig(null, null, null);
    }
}
