package dev.quorum.store;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * A Lua script kept in resources under {@code /lua/}, run by digest ({@code EVALSHA}) and loaded
 * on demand after a Redis restart or on a new server. Scripts are how Quorum makes
 * read-check-write steps atomic across instances.
 */
public final class LuaScript {
    private final String name;
    private final String source;
    private volatile String sha;

    private LuaScript(String name, String source) {
        this.name = name;
        this.source = source;
    }

    public static LuaScript load(String name) {
        return new LuaScript(name, source(name));
    }

    /**
     * A script with the functions of {@code libraries} (scripts of local functions under {@code /lua/}) before it, so that
     * several atomic steps share one piece of Lua (the insights rollups) instead of copies of it.
     */
    public static LuaScript load(String name, String... libraries) {
        StringBuilder all = new StringBuilder();
        for (String library : libraries) all.append(source(library)).append('\n');
        return new LuaScript(name, all.append(source(name)).toString());
    }

    private static String source(String name) {
        try (InputStream in = LuaScript.class.getResourceAsStream("/lua/" + name + ".lua")) {
            if (in == null) throw new IllegalStateException("missing script /lua/" + name + ".lua");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String name() {
        return name;
    }

    /** Runs the script; {@code keys} and {@code args} as in {@code EVAL}. */
    public <T> T run(RedisClusterCommands<String, String> redis, ScriptOutputType type, String[] keys, String... args) {
        String digest = sha;
        if (digest == null) {
            digest = sha = redis.scriptLoad(source);
        }
        try {
            return redis.evalsha(digest, type, keys, args);
        } catch (RedisNoScriptException e) {
            sha = redis.scriptLoad(source);
            return redis.evalsha(sha, type, keys, args);
        }
    }
}
