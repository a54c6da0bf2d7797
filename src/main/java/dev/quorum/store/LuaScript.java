package dev.quorum.store;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A Lua script kept in resources under {@code /lua/}, run by digest ({@code EVALSHA}) and sent
 * whole ({@code EVAL}, which also caches it there) when the server does not know it: after a
 * Redis restart, on a new server, on a Cluster replica just promoted. Scripts are how Quorum makes
 * read-check-write steps atomic across instances.
 *
 * <p>Not {@code SCRIPT LOAD}: on a Cluster connection Lettuce sends that to every master and fails
 * when one is down, and after a failover the dead master stays a master in the Cluster's view
 * (flagged {@code fail}, no slots) until it is forgotten or comes back. {@code EVAL} goes only
 * where its keys are (RedisClusterFailoverTest).
 */
public final class LuaScript {
    private final String name;
    private final String source;
    private final String sha;

    private LuaScript(String name, String source) {
        this.name = name;
        this.source = source;
        this.sha = sha1(source);
    }

    /** The digest Redis gives the script: SHA-1 of its text, in lowercase hex. */
    private static String sha1(String source) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is missing from this JDK", e);
        }
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
        try {
            return redis.evalsha(sha, type, keys, args);
        } catch (RedisNoScriptException e) {
            return redis.eval(source, type, keys, args);
        }
    }
}
