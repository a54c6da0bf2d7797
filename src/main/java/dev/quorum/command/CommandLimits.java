package dev.quorum.command;

import dev.quorum.config.LimitsConfig;
import dev.quorum.conversation.IncomingMessage;
import dev.quorum.conversation.LimitReachedException;
import dev.quorum.store.LuaScript;
import dev.quorum.store.Redis;
import io.lettuce.core.ScriptOutputType;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Per-member and per-channel command rate limits ({@code limits.*}), counted in Redis in one Lua
 * step so that every instance shares one count. Votes are never counted: a member has at most one
 * vote per request anyway, and a vote held back by a limit could let a quorum expire. {@code help}
 * counts like any other command: it posts to the channel, which is what a flood would do.
 */
public final class CommandLimits {
    static final Duration WINDOW = Duration.ofMinutes(1);
    /** One hash tag for every count, so that a command's two counts share a slot on a Redis Cluster. */
    static final String PREFIX = "q:limit:{limits}:";
    private static final LuaScript LIMIT = LuaScript.load("command_limit");
    /** No limits: for routers built without Redis (tests of parsing and dispatch). */
    static final CommandLimits NONE = new CommandLimits(null, new LimitsConfig(0, 0));

    private final Redis redis;
    private final LimitsConfig config;

    public CommandLimits(Redis redis, LimitsConfig config) {
        this.redis = redis;
        this.config = config;
    }

    /**
     * Counts {@code command} against its sender's and its channel's limit.
     *
     * @return empty when it may run, else the refusal to answer with
     */
    Optional<LimitReachedException> admit(IncomingMessage message, Command command) {
        if (!counted(command) || (config.userPerMinute() == 0 && config.channelPerMinute() == 0)) return Optional.empty();
        String[] keys = {PREFIX + "u:" + message.sender(), PREFIX + "c:" + message.where().adapter() + ":" + message.where().channel()};
        List<Long> r = LIMIT.run(redis.sync(), ScriptOutputType.MULTI, keys, String.valueOf(config.userPerMinute()),
                String.valueOf(config.channelPerMinute()), String.valueOf(WINDOW.toMillis()));
        long which = r.get(0);
        if (which == 0) return Optional.empty();
        long seconds = Math.max(1, (r.get(1) + 999) / 1000);
        String reply = which == 1
                ? "You have reached the limit of " + config.userPerMinute() + " commands a minute; nothing was done. Try again in " + seconds + " s."
                : "This channel has reached the limit of " + config.channelPerMinute() + " commands a minute; nothing was done. Try again in " + seconds + " s.";
        return Optional.of(new LimitReachedException(reply, Duration.ofSeconds(seconds)));
    }

    /** Every command kind is named, so that a new one is a decision, not a default. */
    private static boolean counted(Command command) {
        return switch (command) {
            case Command.Approve a -> false;
            case Command.Reject r -> false;
            case Command.Help h -> true;
            case Command.Research r -> true;
            case Command.Code c -> true;
            case Command.Test t -> true;
            case Command.Merge m -> true;
            case Command.Deploy d -> true;
            case Command.Status s -> true;
            case Command.History h -> true;
            case Command.Cancel c -> true;
            case Command.Rerun r -> true;
            case Command.Freeze f -> true;
            case Command.Unfreeze u -> true;
            case Command.Policy p -> true;
        };
    }
}
