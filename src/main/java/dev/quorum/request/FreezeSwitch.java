package dev.quorum.request;

import dev.quorum.conversation.Identity;
import dev.quorum.store.Redis;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The on-call kill switch, shared by all Quorum instances through Redis: while frozen no agent
 * starts and no merge or deploy executes. Thread-safe; blocking.
 */
public final class FreezeSwitch {
    private static final String KEY = "{q}:freeze";
    private final Redis redis;

    public FreezeSwitch(Redis redis) {
        this.redis = redis;
    }

    /** @param by who froze; @param reason why, or {@code null} */
    public record Frozen(String by, String reason, Instant at) {}

    /** Freezes; returns false when it already was frozen (the first freeze and its reason stay). */
    public boolean freeze(Identity by, String reason, Instant now) {
        boolean set = redis.sync().hsetnx(KEY, "by", by.toString());
        if (set) {
            redis.sync().hset(KEY, Map.of("reason", reason == null ? "" : reason, "at", now.toString()));
        }
        return set;
    }

    /** Lifts the freeze; returns false when it was not frozen. */
    public boolean unfreeze() {
        return redis.sync().del(KEY) > 0;
    }

    public Optional<Frozen> current() {
        Map<String, String> h = redis.sync().hgetall(KEY);
        if (h.isEmpty()) return Optional.empty();
        String reason = h.getOrDefault("reason", "");
        Instant at = h.containsKey("at") ? Instant.parse(h.get("at")) : Instant.EPOCH;
        return Optional.of(new Frozen(h.get("by"), reason.isEmpty() ? null : reason, at));
    }

    public boolean isFrozen() {
        return redis.sync().exists(KEY) > 0;
    }
}
