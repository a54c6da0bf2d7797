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
import java.util.function.LongSupplier;

/**
 * Per-member and per-channel command rate limits ({@code limits.*}), counted in Redis in one Lua
 * step so that every instance shares one count. Votes are never counted: a member has at most one
 * vote per request anyway, and a vote held back by a limit could let a quorum expire. {@code help}
 * counts like any other command: it posts to the channel, which is what a flood would do. Past
 * {@code limits.max_queued_jobs} jobs in the shared queue, commands that would open a request with
 * a job are refused before anything is written; votes, cancels and reads still work, so that a full
 * queue can be drained. The depth read here refuses early, before a handler does any work; the cap
 * itself is enforced in the step that opens the request and queues its job ({@code request_create.lua}),
 * so that instances racing at the cap never pass it, and that refusal gets the same reply.
 */
public final class CommandLimits {
    static final Duration WINDOW = Duration.ofMinutes(1);
    /** One hash tag for every count, so that a command's two counts share a slot on a Redis Cluster. */
    static final String PREFIX = "{q}:limit:";
    private static final LuaScript LIMIT = LuaScript.load("command_limit");
    /** How long a member is asked to wait when the queue is full: about what a test run takes. */
    static final Duration QUEUE_RETRY = Duration.ofMinutes(1);
    /** No limits: for routers built without Redis (tests of parsing and dispatch). */
    static final CommandLimits NONE = new CommandLimits(null, new LimitsConfig(0, 0), () -> 0);

    private final Redis redis;
    private final LimitsConfig config;
    private final LongSupplier queueDepth;

    /** @param queueDepth jobs waiting or running in the queue all instances share */
    public CommandLimits(Redis redis, LimitsConfig config, LongSupplier queueDepth) {
        this.redis = redis;
        this.config = config;
        this.queueDepth = queueDepth;
    }

    private enum Weight { VOTE, COMMAND, NEW_JOB }

    /**
     * Counts {@code command} against its sender's and its channel's limit.
     *
     * @return empty when it may run, else the refusal to answer with
     */
    Optional<LimitReachedException> admit(IncomingMessage message, Command command) {
        Weight weight = weight(command);
        if (weight == Weight.NEW_JOB && config.maxQueuedJobs() > 0 && queueDepth.getAsLong() >= config.maxQueuedJobs()) {
            return Optional.of(queueFull(config.maxQueuedJobs()));
        }
        if (weight == Weight.VOTE || (config.userPerMinute() == 0 && config.channelPerMinute() == 0)) return Optional.empty();
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

    /** The answer to a command that would queue a job past the cap, whichever check refused it. */
    static LimitReachedException queueFull(int cap) {
        return new LimitReachedException("Quorum's work queue is full (" + cap
                + " jobs); nothing was done. Try again in a minute or two; `status` shows what is running.", QUEUE_RETRY);
    }

    /** Every command kind is named, so that a new one is a decision, not a default. */
    private static Weight weight(Command command) {
        return switch (command) {
            case Command.Approve a -> Weight.VOTE;
            case Command.Reject r -> Weight.VOTE;
            case Command.Research r -> Weight.NEW_JOB;
            case Command.Code c -> Weight.NEW_JOB;
            case Command.Test t -> Weight.NEW_JOB;
            case Command.Merge m -> Weight.NEW_JOB;
            case Command.Deploy d -> Weight.NEW_JOB;
            case Command.Rerun r -> Weight.NEW_JOB;
            case Command.Help h -> Weight.COMMAND;
            case Command.Status s -> Weight.COMMAND;
            case Command.History h -> Weight.COMMAND;
            case Command.Cancel c -> Weight.COMMAND;
            case Command.Freeze f -> Weight.COMMAND;
            case Command.Unfreeze u -> Weight.COMMAND;
            case Command.Incident i -> Weight.COMMAND;
            case Command.Digest d -> Weight.COMMAND;
            case Command.Policy p -> Weight.COMMAND;
        };
    }
}
