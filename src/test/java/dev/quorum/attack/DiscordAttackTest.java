package dev.quorum.attack;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import dev.quorum.chat.discord.DiscordWorld;
import dev.quorum.testing.Suites;
import dev.quorum.testing.TestRedis;
import dev.quorum.testing.TestRepo;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Discord members (and other bots) trying to make Quorum act for them or against others: forged,
 * foreign and bot clicks, spoofed mentions, huge messages, pings through Quorum, and the token in a log.
 */
class DiscordAttackTest {
    @TempDir
    Path dir;
    private TestRepo repo;
    private DiscordWorld w;
    private final ListAppender<ILoggingEvent> everything = new ListAppender<>();
    private Logger root;

    @BeforeEach
    void start() throws Exception {
        TestRedis.flush();
        root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        everything.start();
        root.addAppender(everything);
        repo = TestRepo.init(dir.resolve("app"));
        String mainSha = repo.commit("app with tests", Map.of(Suites.SCRIPT, Suites.passing(2)));
        repo.branch("feature", repo.commit("greeting", Map.of(Suites.SCRIPT, Suites.passing(3), "greeting.txt", "hello\n")));
        repo.git().reset().setMode(org.eclipse.jgit.api.ResetCommand.ResetType.HARD).setRef(mainSha).call();
        w = new DiscordWorld(dir.resolve("data"), """
                console: {demo: true, users: {dave: {}}}
                people: {alice: [discord:%alice%], bob: [discord:%bob%], carol: [discord:%carol%], dave: [console:dave]}
                groups: {engineers: [alice, bob, carol, "discord:%robot%"], oncall: [dave]}
                repos:
                  app: {path: "@dir@", test_command: "@command@", reports: ["@reports@"], test_timeout: 20s}
                policies:
                  merge: {approvals: 2, eligible: [engineers], ttl: 1h}
                """.replace("@dir@", repo.dir().toString()).replace("@command@", Suites.COMMAND).replace("@reports@", Suites.REPORTS),
                "alice", "bob", "carol", "bot:robot");
    }

    @AfterEach
    void stop() throws Exception {
        if (w != null) w.close();
        repo.close();
        root.detachAppender(everything);
    }

    private record Card(long thread, long id, String approve) {}

    private Card proposeMerge() {
        long thread = w.say(w.general(), "alice", w.quorumMention() + " merge feature");
        JsonObject card = w.awaitQuorumMessage(thread, m -> m.getString("content").startsWith("R1 · merge `feature` into `main` — awaiting approval"));
        String approve = card.getJsonArray("components").getJsonObject(0).getJsonArray("components").getJsonObject(0).getString("custom_id");
        return new Card(thread, Long.parseLong(card.getString("id")), approve);
    }

    private JsonObject awaitTally(Card card, String line) {
        return w.awaitQuorumMessage(card.thread(), m -> m.getString("id").equals(Long.toString(card.id())) && m.encode().contains(line));
    }

    @Test
    void forgedUnknownAndBotClicksCountNothingAndTheForgedOnesAreToldSoPrivately() {
        Card card = proposeMerge();

        DiscordWorld.Click raw = w.click(card.thread(), "bob", card.id(), "approve R1");
        DiscordWorld.Click guessed = w.click(card.thread(), "bob", card.id(), "{q}:AAAAAAAAAAAAAAAA");
        DiscordWorld.Click robot = w.click(card.thread(), "robot", card.id(), card.approve());

        for (DiscordWorld.Click c : List.of(raw, guessed)) {
            assertThat(c.callbackType()).isEqualTo(6);
            JsonObject refusal = c.followUp(b -> true);
            assertThat(refusal.getString("content")).isEqualTo("❌ This button is no longer known to Quorum; type the command instead.");
            assertThat(refusal.getInteger("flags")).isEqualTo(64);
        }
        assertThat(robot.callbackType()).isEqualTo(6);
        w.click(card.thread(), "carol", card.id(), card.approve());
        awaitTally(card, "1 approval (carol); still needs 1 more approval");
    }

    @Test
    void aButtonClickedOnAnotherMessageThanItsCardIsRefused() {
        Card card = proposeMerge();
        long other = w.say(w.general(), "bob", w.quorumMention() + " help");
        long help = Long.parseLong(w.awaitQuorumMessage(other, m -> m.getString("content").contains("I am Quorum.")).getString("id"));

        DiscordWorld.Click moved = w.click(other, "bob", help, card.approve());

        assertThat(moved.followUp(b -> true).getString("content")).isEqualTo("❌ This button does not belong to this message.");
        w.click(card.thread(), "carol", card.id(), card.approve());
        awaitTally(card, "1 approval (carol); still needs 1 more approval");
    }

    @Test
    void someoneElsesMentionOrATypedNameAtTheStartDoesNotAddressQuorum() {
        long spoofed = w.say(w.general(), "alice", w.mention("bob") + " merge feature");
        long typed = w.say(w.general(), "alice", "@Quorum merge feature");
        long later = w.say(w.general(), "alice", "please " + w.quorumMention() + " merge feature");
        long real = w.say(w.general(), "alice", w.quorumMention() + " help");

        w.awaitQuorumMessage(real, m -> m.getString("content").contains("I am Quorum."));
        for (long ignored : List.of(spoofed, typed, later)) assertThat(w.hasThread(ignored)).isFalse();
        assertThat(w.quorumMessages(w.general())).isEmpty();
        assertThat(w.sent("PUT", "channels/\\d+/messages/(" + spoofed + "|" + typed + "|" + later + ")/reactions/.*")).isEmpty();
    }

    @Test
    void aHugeMessageIsAnsweredWithinDiscordsLimits() {
        long dm = w.dm("alice");
        w.say(dm, "alice", "research " + "why is the build slow? ".repeat(5000));
        w.say(dm, "alice", "help " + "x".repeat(100_000));
        w.say(dm, "alice", "help merge");

        w.awaitQuorumMessage(dm, m -> m.getString("content").contains("merge"));
        assertThat(w.quorumMessages(dm)).isNotEmpty()
                .allSatisfy(m -> assertThat(m.getString("content").length()).isLessThanOrEqualTo(2000));
        assertThat(w.statuses()).allMatch(s -> s < 400);
    }

    @Test
    void nothingQuorumPostsPingsEveryoneOrAnyoneButTheMemberAddressed() {
        long dm = w.dm("alice");
        w.say(dm, "alice", "@everyone @here " + w.mention("bob"));
        w.say(w.general(), "alice", w.quorumMention() + " @everyone " + w.mention("carol"));
        Card card = proposeMerge();
        w.click(card.thread(), "alice", card.id(), card.approve()).followUp(b -> true);
        w.awaitQuorumMessage(dm, m -> m.getString("content").contains("everyone"));

        List<JsonObject> bodies = new java.util.ArrayList<>(w.sent("POST", "channels/\\d+/messages"));
        bodies.addAll(w.sent("PATCH", "channels/\\d+/messages/\\d+"));
        bodies.addAll(w.sent("POST", "webhooks/\\d+/[^/]+"));
        bodies.addAll(w.sent("PATCH", "webhooks/\\d+/[^/]+/messages/@original"));
        assertThat(bodies).hasSizeGreaterThan(4).allSatisfy(b -> {
            JsonObject allowed = b.getJsonObject("allowed_mentions");
            assertThat(allowed).as("allowed_mentions of %s", b).isNotNull();
            assertThat(allowed.getJsonArray("parse")).isEqualTo(new JsonArray());
            assertThat(allowed.getJsonArray("users", new JsonArray()).size()).isLessThanOrEqualTo(1);
        });
    }

    @Test
    void neitherTheBotTokenNorAnInteractionTokenIsEverLogged() {
        Card card = proposeMerge();
        DiscordWorld.Click c = w.click(card.thread(), "alice", card.id(), card.approve());
        c.followUp(b -> true);
        w.click(card.thread(), "bob", card.id(), "{q}:forgedforgedforg").followUp(b -> true);

        assertThat(everything.list).isNotEmpty().allSatisfy(e -> {
            String text = e.getFormattedMessage() + (e.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(e.getThrowableProxy()));
            assertThat(text).doesNotContain(w.token()).doesNotContain(c.token());
        });
    }
}
