package dev.quorum.config;

/**
 * How many commands Quorum takes per minute, counted in Redis so that every instance shares one
 * count. {@code 0} turns a limit off. Votes ({@code approve}, {@code reject}) are not counted.
 *
 * @param userPerMinute    commands one member may give in a minute, on all platforms together per identity
 * @param channelPerMinute commands one channel (or DM, or pull request) may carry in a minute, all members together
 */
public record LimitsConfig(Integer userPerMinute, Integer channelPerMinute) {
    public LimitsConfig {
        userPerMinute = userPerMinute == null ? 60 : userPerMinute;
        channelPerMinute = channelPerMinute == null ? 300 : channelPerMinute;
    }

    public static LimitsConfig defaults() {
        return new LimitsConfig(null, null);
    }
}
