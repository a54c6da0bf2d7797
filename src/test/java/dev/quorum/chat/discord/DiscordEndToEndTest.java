package dev.quorum.chat.discord;

import dev.quorum.audit.AuditLog;
import dev.quorum.config.ConfigException;
import dev.quorum.testing.CapturedLog;
import dev.quorum.testing.QuorumHarness;
import dev.quorum.testing.Suites;
import dev.quorum.testing.TestRedis;
import dev.quorum.testing.TestRepo;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Quorum in Discord as a server meets it: the real JDA session (through the gateway lease) against
 * {@link FakeDiscord} on 127.0.0.1, a real Quorum with real Redis, git and test runs.
 */
class DiscordEndToEndTest {
    static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;
    private FakeDiscord discord;
    private TestRepo repo;
    private QuorumHarness q;
    private FakeDiscord.User alice;
    private FakeDiscord.User bob;
    private FakeDiscord.User carol;
    private String mainSha;

    static Map<String, String> env(FakeDiscord discord) {
        return Map.of("DISCORD_BOT_TOKEN", discord.token(), "DISCORD_API_URL", discord.apiUrl());
    }

    @BeforeEach
    void start() throws Exception {
        TestRedis.flush();
        discord = new FakeDiscord();
        alice = discord.user("alice");
        bob = discord.user("bob");
        carol = discord.user("carol");
        repo = TestRepo.init(dir.resolve("app"));
        mainSha = repo.commit("app with tests", Map.of(Suites.SCRIPT, Suites.passing(2), "README.md", "app\n"));
        String featureSha = repo.commit("greeting", Map.of(Suites.SCRIPT, Suites.passing(3), "greeting.txt", "hello\n"));
        repo.branch("feature", featureSha);
        repo.git().reset().setMode(org.eclipse.jgit.api.ResetCommand.ResetType.HARD).setRef(mainSha).call();
        q = start("data");
        discord.awaitLiveSessions(1, WAIT);
    }

    private QuorumHarness start(String data) throws Exception {
        return QuorumHarness.start(dir.resolve(data), yaml(), env(discord), Clock.systemUTC());
    }

    private String yaml() {
        return """
                console: {demo: true, users: {dave: {}}}
                people: {alice: [discord:%s], bob: [discord:%s], carol: [discord:%s], dave: [console:dave]}
                groups: {engineers: [alice, bob, carol], oncall: [dave]}
                discord: {guilds: ["%s"]}
                repos:
                  app: {path: %s, test_command: "%s", reports: ["%s"], test_timeout: 20s}
                policies:
                  merge: {approvals: 2, eligible: [engineers], ttl: 1h}
                """.formatted(alice.idString(), bob.idString(), carol.idString(), FakeDiscordShapes.id(discord.guildId()),
                repo.dir(), Suites.COMMAND, Suites.REPORTS);
    }

    @AfterEach
    void stop() throws Exception {
        if (q != null) q.close();
        repo.close();
        discord.close();
    }

    static boolean byBot(FakeDiscord d, JsonObject m) {
        return d.bot().idString().equals(m.getJsonObject("author").getString("id"));
    }

    @Test
    void aDirectMessageHelpIsAnsweredInTheDm() {
        long dm = discord.dmChannel(alice);

        discord.dispatchMessageCreate(dm, alice, "help");

        JsonObject reply = discord.awaitMessage(dm, m -> byBot(discord, m) && m.getString("content").contains("I am Quorum."), WAIT);
        assertThat(reply.getString("content")).contains("help");
        assertThat(discord.calls("POST", "channels/\\d+/messages/\\d+/threads")).isEmpty();
    }

    @Test
    void aMentionInAChannelIsAnsweredInAThreadStartedFromItAndMarkedTaken() {
        JsonObject asked = discord.dispatchMessageCreate(discord.general(), alice, discord.bot().mention() + " help");
        long messageId = Long.parseLong(asked.getString("id"));

        JsonObject reply = discord.awaitMessage(messageId, m -> byBot(discord, m) && m.getString("content").contains("I am Quorum."), WAIT);

        assertThat(discord.threadOf(messageId)).isPresent();
        assertThat(reply.getString("channel_id")).isEqualTo(asked.getString("id"));
        discord.awaitCall("PUT", "channels/" + discord.general() + "/messages/" + messageId + "/reactions/%F0%9F%91%80/@me", WAIT);
        assertThat(discord.botMessages(discord.general())).isEmpty();
        assertThat(discord.commands(FakeDiscordShapes.id(discord.guildId())).encode()).contains("\"name\":\"quorum\"", "\"autocomplete\":true");
    }

    @Test
    void aMergeApprovedByTwoOtherMembersButtonsIsMergedAndItsCardEditedInPlace() throws Exception {
        JsonObject asked = discord.dispatchMessageCreate(discord.general(), alice, discord.bot().mention() + " merge feature");
        long thread = Long.parseLong(asked.getString("id"));
        JsonObject card = discord.awaitMessage(thread, m -> byBot(discord, m)
                && m.getString("content").startsWith("R1 · merge `feature` into `main` — awaiting approval"), WAIT);
        long cardId = Long.parseLong(card.getString("id"));
        JsonArray buttons = card.getJsonArray("components").getJsonObject(0).getJsonArray("components");
        String approve = buttons.getJsonObject(0).getString("custom_id");
        assertThat(buttons.getJsonObject(0).getString("label")).isEqualTo("Approve");
        String mergeSha = q.get("/api/requests/R1").json().get("subject").get("merge_sha").asText();

        // the author's own click: refused, only to her
        FakeInteraction own = discord.dispatchButton(thread, alice, cardId, approve);
        assertThat(own.awaitCallbackType(Duration.ofSeconds(3))).isEqualTo(6);
        FakeDiscord.Call refused = own.awaitFollowUp(b -> b.getString("content", "").contains("you cannot approve it"), WAIT);
        assertThat(refused.body().getInteger("flags")).isEqualTo(64);
        assertThat(refused.body().getString("content")).isEqualTo("❌ You are an author of R1 (you asked for it, or for the work in it), "
                + "so you cannot approve it: someone else must.");

        // typed in the thread, there is no interaction to answer privately: an open reply that mentions her
        discord.dispatchMessageCreate(thread, alice, "approve R1");
        JsonObject open = discord.awaitMessage(thread, m -> byBot(discord, m) && m.getString("content").startsWith(alice.mention()), WAIT);
        assertThat(open.getString("content")).isEqualTo(alice.mention() + " ❌ You are an author of R1 (you asked for it, or for the work in it), "
                + "so you cannot approve it: someone else must.");

        FakeInteraction byBob = discord.dispatchButton(thread, bob, cardId, approve);
        assertThat(byBob.awaitCallbackType(Duration.ofSeconds(3))).isEqualTo(6);
        discord.awaitMessage(thread, m -> m.getString("id").equals(card.getString("id"))
                && m.encode().contains("1 approval (bob); still needs 1 more approval"), WAIT);
        assertThat(repo.head("main")).isEqualTo(mainSha);

        discord.dispatchButton(thread, carol, cardId, approve);
        JsonObject done = discord.awaitMessage(thread, m -> m.getString("id").equals(card.getString("id"))
                && m.getString("content").startsWith("✅ R1 · merge `feature` into `main` — done"), WAIT);
        assertThat(done.getJsonArray("components", new JsonArray())).isEmpty();
        assertThat(repo.head("main")).isEqualTo(mergeSha);
        assertThat(discord.botMessages(thread).stream().filter(m -> m.getString("content").startsWith("R1 · merge")
                || m.getString("content").startsWith("✅ R1 · merge"))).hasSize(1);
    }

    @Test
    void aSlashCommandIsDeferredAtOnceAndAnsweredInAThreadFromItsEcho() {
        FakeInteraction slash = discord.dispatchSlashCommand(discord.general(), alice, "quorum", FakeDiscord.stringOption("command", "help"));

        assertThat(slash.awaitCallbackType(Duration.ofSeconds(3))).isEqualTo(5);
        JsonObject original = slash.awaitOriginal(o -> o.getString("content", "").equals("`/quorum help`"), WAIT);
        long thread = Long.parseLong(original.getString("id"));
        discord.awaitMessage(thread, m -> byBot(discord, m) && m.getString("content").contains("I am Quorum."), WAIT);
    }

    @Test
    void aTokenDiscordRefusesStopsStartUpWithOneLine() throws Exception {
        q.close();
        q = null;
        try (CapturedLog audit = CapturedLog.of(AuditLog.class)) {
            assertThatThrownBy(() -> QuorumHarness.start(dir.resolve("refused"), yaml(),
                    Map.of("DISCORD_BOT_TOKEN", "not.the.token", "DISCORD_API_URL", discord.apiUrl()), Clock.systemUTC()))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage("config error: discord.bot_token = \"***\": Discord refused it (401 Unauthorized): set DISCORD_BOT_TOKEN to "
                            + "the bot's token (Bot → Reset Token in the Discord developer portal)");
        }
    }

    @Test
    void autocompleteSuggestsRequestIds() throws Exception {
        q.say("dave", "merge feature");
        FakeInteraction typing = discord.dispatchAutocomplete(discord.general(), alice, "quorum", "command", "status R");

        FakeDiscord.Call answer = typing.awaitCallback(Duration.ofSeconds(3));

        assertThat(answer.body().getInteger("type")).isEqualTo(8);
        JsonArray choices = answer.body().getJsonObject("data").getJsonArray("choices");
        assertThat(choices.getJsonObject(0).getString("value")).isEqualTo("status R1");
        assertThat(choices.getJsonObject(0).getString("name")).startsWith("status R1 · merge");
    }

    @Test
    void afterAGatewayDropTheSessionResumesAndTheNextCommandIsHandledOnce() {
        long dm = discord.dmChannel(bob);
        discord.dispatchMessageCreate(dm, bob, "help");
        discord.awaitMessage(dm, m -> byBot(discord, m) && m.getString("content").contains("I am Quorum."), WAIT);

        discord.dropConnection();
        discord.dispatchMessageCreate(dm, bob, "help oncall");
        FakeDiscord.poll(WAIT, () -> discord.resumes() >= 1 ? java.util.Optional.of(true) : java.util.Optional.empty(),
                () -> "no RESUME after the drop");
        discord.awaitMessage(dm, m -> byBot(discord, m) && m.getString("content").contains("oncall"), WAIT);
        discord.dispatchMessageCreate(dm, bob, "help merge");
        discord.awaitMessage(dm, m -> byBot(discord, m) && m.getString("content").contains("merge"), WAIT);

        assertThat(discord.identifies()).isEqualTo(1);
        assertThat(discord.botMessages(dm).stream().filter(m -> m.getString("content").contains("oncall")
                && !m.getString("content").contains("I am Quorum."))).hasSize(1);
    }

    @Test
    void twoInstancesHoldOneGatewaySessionAndWhenItsHolderDiesTheOtherAnswers() throws Exception {
        QuorumHarness second;
        try (CapturedLog audit = CapturedLog.of(AuditLog.class)) { // a second instance's first audit anchor is news to it, not to us
            second = start("data2");
        }
        try {
            assertThat(discord.liveSessions()).isEqualTo(1);
            assertThat(discord.identifies()).isEqualTo(1);
            DiscordAdapter holder = (DiscordAdapter) q.quorum().messenger().adapters().stream()
                    .filter(a -> a.name().equals(DiscordAdapter.NAME)).findFirst().orElseThrow();
            ((DiscordCapability.LeasedSession) holder.gateway()).session().dieForTest(); // no release, no more renewals
            long died = System.nanoTime();
            FakeDiscord.poll(Duration.ofSeconds(30), () -> discord.identifies() == 2 && discord.liveSessions() == 1
                    ? java.util.Optional.of(true) : java.util.Optional.empty(), () -> "the other instance did not take over");
            assertThat(Duration.ofNanos(System.nanoTime() - died)).isLessThan(Duration.ofSeconds(15));

            long dm = discord.dmChannel(carol);
            discord.dispatchMessageCreate(dm, carol, "help");
            discord.awaitMessage(dm, m -> byBot(discord, m) && m.getString("content").contains("I am Quorum."), WAIT);
        } finally {
            second.close();
        }
    }
}
