package dev.quorum.store;

import io.lettuce.core.ScriptOutputType;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A script the server does not know (a restarted server, a Cluster replica just promoted: emptied
 * here with {@code SCRIPT FLUSH}) is sent whole once, and by digest after: the digest Quorum computes
 * is the one Redis gives it.
 */
class LuaScriptTest {
    @Test
    void aScriptTheServerDoesNotKnowRunsWholeOnceAndByDigestAfter() throws Exception {
        LuaScript script = LuaScript.load("console_append");
        String sha;
        try (InputStream in = LuaScript.class.getResourceAsStream("/lua/console_append.lua")) {
            sha = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        // A server of its own, as the default user: CONFIG RESETSTAT and INFO count the EVALs (the shared server's user may not).
        try (RedisServerProcess server = RedisServerProcess.plain(java.nio.file.Path.of("/usr/bin/redis-server"));
             Redis redis = Redis.connect("redis://127.0.0.1:" + server.port())) {
            sha = redis.sync().digest(sha);
            redis.sync().scriptFlush();
            redis.sync().configResetstat();
            assertThat(redis.sync().scriptExists(sha)).containsExactly(false);
            String first = script.run(redis.sync(), ScriptOutputType.VALUE, new String[]{"{q}:console:log"}, "q:test", "100", "reply", "", "one");
            assertThat(redis.sync().scriptExists(sha)).as("EVAL cached it under the digest Quorum sends").containsExactly(true);
            String second = script.run(redis.sync(), ScriptOutputType.VALUE, new String[]{"{q}:console:log"}, "q:test", "100", "reply", "", "two");
            assertThat(redis.sync().xrange("{q}:console:log", io.lettuce.core.Range.create("-", "+")))
                    .extracting(m -> m.getBody().get("data")).containsExactly("one", "two");
            assertThat(List.of(first, second)).doesNotHaveDuplicates();
            assertThat(redis.sync().info("commandstats").lines().filter(l -> l.startsWith("cmdstat_eval:")))
                    .as("sent whole once; the second run by digest").singleElement().asString().startsWith("cmdstat_eval:calls=1,");
        }
    }
}
