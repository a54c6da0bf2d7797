package dev.quorum.chat.discord;

import dev.quorum.conversation.StoreUnreachableException;
import dev.quorum.testing.KillableRedis;
import dev.quorum.testing.QuorumHarness;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Discord while Quorum's redis-server is SIGKILLed and started again: the outage line in the DM, then normal work. */
class DiscordStoreOutageTest {
    private static final Duration AT_ONCE = Duration.ofSeconds(3);

    @TempDir
    Path dir;
    private KillableRedis redis;
    private FakeDiscord discord;
    private QuorumHarness q;

    @BeforeEach
    void start() throws Exception {
        redis = new KillableRedis(dir.resolve("redis")).start();
        discord = new FakeDiscord();
        Map<String, String> env = new HashMap<>(DiscordEndToEndTest.env(discord));
        env.put("REDIS_URL", redis.uri());
        q = QuorumHarness.start(dir.resolve("data"), "console: {demo: true, users: {dave: {}}}\n", env, Clock.systemUTC());
        discord.awaitLiveSessions(1, DiscordWorld.WAIT);
    }

    @AfterEach
    void stop() throws Exception {
        try {
            if (q != null) q.close();
        } finally {
            discord.close();
            redis.close();
        }
    }

    @Test
    void aDirectMessageInAnOutageGetsTheLineAtOnceAndHelpAgainOnceRedisIsBack() throws Exception {
        FakeDiscord.User alice = discord.user("alice");
        long dm = discord.dmChannel(alice);
        redis.kill();

        discord.dispatchMessageCreate(dm, alice, "status");

        JsonObject told = discord.awaitMessage(dm, m -> DiscordEndToEndTest.byBot(discord, m)
                && m.getString("content").contains(StoreUnreachableException.LINE), AT_ONCE);
        assertThat(told.getString("content")).doesNotContain("error E", "Exception");

        redis.start();
        long end = System.nanoTime() + Duration.ofSeconds(40).toNanos();
        while (q.say("dave", "status").status() == 503 && System.nanoTime() < end) Thread.sleep(100);
        discord.dispatchMessageCreate(dm, alice, "help");
        discord.awaitMessage(dm, m -> DiscordEndToEndTest.byBot(discord, m) && m.getString("content").contains("I am Quorum."), DiscordWorld.WAIT);
    }
}
