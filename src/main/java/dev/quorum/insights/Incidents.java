package dev.quorum.insights;

import dev.quorum.request.Request;
import dev.quorum.request.RequestStore;
import dev.quorum.store.LuaScript;
import dev.quorum.store.Redis;
import io.lettuce.core.ScriptOutputType;

import java.time.Instant;
import java.util.List;

/** Marks deploys as failed ({@code incident_mark.lua}): the mark and the rollups it changes in one step. */
final class Incidents {
    private final Redis redis;
    private final LuaScript mark = LuaScript.load("incident_mark");

    Incidents(Redis redis) {
        this.redis = redis;
    }

    /** @return the script's answer: {@code ok|missing|not_deploy|not_done|repeat} and the environment, type or state */
    List<String> mark(Request deploy, String by, Instant now) {
        List<String> result = mark.run(redis.sync(), ScriptOutputType.MULTI, new String[]{RequestStore.key(deploy.id()),
                RequestStore.key(deploy.id()) + ":inputs", Rollup.dayKey(deploy.createdAt()), Rollup.INCIDENTS},
                String.valueOf(now.toEpochMilli()), deploy.id(), by);
        if ("ok".equals(result.getFirst())) redis.durable(); // an acknowledged mark outlives a failover (store.Durability)
        return result;
    }
}
