package dev.quorum.chat.discord;

import dev.quorum.agent.testing.QuorumProcess;
import dev.quorum.audit.AuditLog;
import dev.quorum.testing.CapturedLog;
import dev.quorum.testing.QuorumHarness;
import dev.quorum.testing.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two Quorum instances on one Redis, the gateway holder in a JVM of its own that is killed the way
 * a machine dies (SIGKILL: no release of the lease, no close frame). The other instance, which
 * meanwhile held no session, takes the gateway over once the dead holder's lease runs out and
 * answers the next command, once.
 */
class DiscordFailoverTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;
    private FakeDiscord discord;
    private QuorumProcess holder;
    private QuorumHarness standby;

    @BeforeEach
    void start() throws Exception {
        TestRedis.flush();
        discord = new FakeDiscord();
    }

    @AfterEach
    void stop() throws Exception {
        if (holder != null) holder.close();
        if (standby != null) standby.close();
        discord.close();
    }

    @Test
    void whenTheGatewayHoldersProcessIsKilledTheOtherInstanceTakesOverAndAnswers() throws Exception {
        FakeDiscord.User alice = discord.user("alice");
        String yaml = """
                console: {demo: true, users: {dave: {}}}
                people: {alice: [discord:%s], dave: [console:dave]}
                groups: {oncall: [dave]}
                discord: {guilds: ["%s"]}
                """.formatted(alice.idString(), FakeDiscordShapes.id(discord.guildId()));
        Path config = Files.writeString(dir.resolve("quorum.yaml"), yaml);
        Map<String, String> env = new HashMap<>(DiscordEndToEndTest.env(discord));
        env.put("REDIS_URL", TestRedis.uri());
        env.put("QUORUM_HTTP_PORT", "0");
        env.put("QUORUM_DATA", dir.resolve("data-holder").toString());
        holder = QuorumProcess.start(config, env, dir.resolve("holder.log"));
        discord.awaitLiveSessions(1, WAIT);

        try (CapturedLog audit = CapturedLog.of(AuditLog.class)) { // the second instance's first audit anchor is news to it only
            standby = QuorumHarness.start(dir.resolve("data-standby"), yaml, DiscordEndToEndTest.env(discord), Clock.systemUTC());
        }
        long dm = discord.dmChannel(alice);
        discord.dispatchMessageCreate(dm, alice, "help");
        discord.awaitMessage(dm, m -> DiscordEndToEndTest.byBot(discord, m) && m.getString("content").contains("I am Quorum."), WAIT);
        assertThat(discord.identifies()).as("one session while both live").isEqualTo(1);
        assertThat(discord.liveSessions()).isEqualTo(1);

        holder.kill();
        long killed = System.nanoTime();
        FakeDiscord.poll(WAIT, () -> discord.identifies() == 2 && discord.liveSessions() == 1 ? Optional.of(true) : Optional.empty(),
                () -> "the standby instance did not take the gateway over; holder's log: " + read(dir.resolve("holder.log")));
        assertThat(Duration.ofNanos(System.nanoTime() - killed)).as("takeover after the lease (6 s) runs out")
                .isLessThan(Duration.ofSeconds(15));

        discord.dispatchMessageCreate(dm, alice, "status");
        discord.awaitMessage(dm, m -> DiscordEndToEndTest.byBot(discord, m) && !m.getString("content").contains("I am Quorum."), WAIT);
        assertThat(discord.botMessages(dm)).as("help once, status once: nothing doubled by the takeover").hasSize(2);
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (Exception e) {
            return "(no log: " + e + ")";
        }
    }
}
