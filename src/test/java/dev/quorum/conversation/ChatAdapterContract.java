package dev.quorum.conversation;

import dev.quorum.testing.QuorumHarness;
import dev.quorum.testing.Suites;
import dev.quorum.testing.TestRedis;
import dev.quorum.testing.TestRepo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every chat adapter must do, the same way (issue 11's acceptance): a command in, its reply
 * in the right place; progress edited in place; an approval card with buttons; a vote by button;
 * a private refusal seen only by the clicker; a long reply fitted to the platform; a duplicate
 * delivery handled once; a bot ignored. Each case runs against a real Quorum ({@link QuorumHarness}
 * on a real Redis, real git, real test runs) talking to the platform as the adapter's subclass
 * plays it: the console itself, or a fake of the platform on 127.0.0.1 (FakeSlack, a fake Discord).
 *
 * <h2>The hooks a subclass implements</h2>
 * Members are named {@code alice}, {@code bob} and {@code carol}; the contract configures them as
 * people (linked to {@link #identity}) in the group {@code engineers}, with a repo {@code app}
 * whose merges need two approvals. A <em>place</em> is the subclass's own string for where a
 * message lives (e.g. {@code channel/thread}); the contract only compares places.
 * <ul>
 *   <li>{@link #startPlatform()} / {@link #stopPlatform()}: start and stop the fake platform; the
 *       first returns the environment that points Quorum at it ({@code SLACK_API_URL},
 *       {@code DISCORD_API_URL}, tokens).</li>
 *   <li>{@link #connected(QuorumHarness)}: Quorum is up; keep what is needed to talk to it.</li>
 *   <li>{@link #identity(String)}: the member's identity on the platform, e.g. {@code slack:UBOB}.</li>
 *   <li>{@link #say(String, String)}: the member addresses Quorum with a command as members do
 *       there (a mention in a channel, a slash command, the console's box), as a new message;
 *       returns the place where its replies belong (Slack: the mention's thread).</li>
 *   <li>{@link #click(String, Seen, String)}: the member clicks the button of {@code card} that
 *       carries {@code command}.</li>
 *   <li>{@link #sayTwice(String, String)}: the platform delivers one message twice (a redelivery:
 *       same delivery id), e.g. Slack's retry or a Discord gateway replay; returns the place.</li>
 *   <li>{@link #sayAsBot(String)}: a bot (another app, or Quorum itself) says the command where a
 *       member would be heard.</li>
 *   <li>{@link #seen()}: everything Quorum said on the platform so far, in order, as {@link Seen}.</li>
 *   <li>{@link #conversation(String)}: the neutral conversation of a place, to post to it directly.</li>
 *   <li>{@link #limits()}: the platform's {@link ReplyFitter.Limits}.</li>
 *   <li>{@link #repoLocation(Path)} and {@link #moreConfig()}, when the platform needs them: where repo {@code app}
 *       lives ({@code path:} by default), and more top-level config.</li>
 * </ul>
 */
public abstract class ChatAdapterContract {
    protected static final Duration WAIT = Duration.ofSeconds(60);
    private static final String BOB_APPROVED = "bob approved R1: 1 approval (bob); still needs 1 more approval.";

    @TempDir
    protected Path dir;
    protected QuorumHarness q;
    private TestRepo repo;
    private String mainSha;

    /** How Quorum said something. */
    public enum How { POSTED, EDITED, WHISPERED }

    /**
     * One thing Quorum said on the platform.
     *
     * @param how       posted for everyone, an earlier message edited, or whispered to one member
     * @param messageId the platform's id of the message posted or edited (whispers: any)
     * @param place     where it is (for an edit: where the edited message is)
     * @param to        for a whisper, the identity it was shown to; else {@code null}
     * @param parts     the main text as the platform shows it, part by part (Slack: sections)
     * @param text      everything readable in it (parts, fields, notes, links), joined by newlines
     * @param buttons   the commands of its buttons
     */
    public record Seen(How how, String messageId, String place, String to, List<String> parts, String text,
                       List<String> buttons) {}

    protected abstract Map<String, String> startPlatform() throws Exception;

    protected abstract void stopPlatform() throws Exception;

    protected void connected(QuorumHarness quorum) throws Exception {}

    protected abstract String identity(String member);

    protected abstract String say(String member, String command) throws Exception;

    protected abstract void click(String member, Seen card, String command) throws Exception;

    protected abstract String sayTwice(String member, String command) throws Exception;

    protected abstract void sayAsBot(String command) throws Exception;

    protected abstract List<Seen> seen() throws Exception;

    protected abstract Conversation conversation(String place);

    protected abstract ReplyFitter.Limits limits();

    /** Where repo {@code app} lives, as its config says it (a platform that is a code host may want it there). */
    protected String repoLocation(Path repoDir) {
        return "path: " + repoDir;
    }

    /** Top-level config the platform needs besides its environment (GitHub: the webhook's secret). */
    protected String moreConfig() {
        return "";
    }

    @BeforeEach
    void startQuorum() throws Exception {
        TestRedis.flush();
        repo = TestRepo.init(dir.resolve("app"));
        mainSha = repo.commit("app with tests", Map.of(Suites.SCRIPT, Suites.passing(2), "README.md", "app\n"));
        String featureSha = repo.commit("greeting", Map.of(Suites.SCRIPT, Suites.passing(3), "greeting.txt", "hello\n"));
        repo.branch("feature", featureSha);
        repo.git().reset().setMode(org.eclipse.jgit.api.ResetCommand.ResetType.HARD).setRef(mainSha).call();
        Map<String, String> env = startPlatform();
        q = QuorumHarness.start(dir.resolve("data"), yaml(), env, Clock.systemUTC());
        connected(q);
    }

    @AfterEach
    void stopQuorum() throws Exception {
        if (q != null) q.close();
        if (repo != null) repo.close();
        stopPlatform();
    }

    private String yaml() {
        StringBuilder people = new StringBuilder();
        for (String m : List.of("alice", "bob", "carol")) {
            String own = identity(m);
            people.append(m).append(": [console:").append(m).append(own.equals("console:" + m) ? "" : ", " + own).append("], ");
        }
        return """
                console: {demo: true, users: {alice: {}, bob: {}, carol: {}}}
                people: {%s}
                groups: {engineers: [alice, bob, carol], oncall: [carol]}
                repos:
                  app: {%s, test_command: "%s", reports: ["%s"], test_timeout: 20s}
                policies:
                  merge: {approvals: 2, eligible: [engineers], ttl: 1h}
                %s""".formatted(people.substring(0, people.length() - 2), repoLocation(repo.dir()), Suites.COMMAND, Suites.REPORTS,
                moreConfig());
    }

    @Test
    void aCommandIsAnsweredWhereItWasSaid() throws Exception {
        String place = say("alice", "help");

        Seen reply = await(s -> s.how() == How.POSTED && s.text().contains("I am Quorum."));
        assertThat(reply.place()).isEqualTo(place);
    }

    @Test
    void progressIsOneMessageEditedInPlace() throws Exception {
        String place = say("alice", "test app");

        Seen queued = await(s -> s.how() == How.POSTED && s.text().contains("R1 · `test app` · queued"));
        assertThat(queued.place()).isEqualTo(place);
        Seen done = await(s -> s.how() == How.EDITED && s.text().contains("R1 · `test app` · succeeded"));
        assertThat(done.messageId()).isEqualTo(queued.messageId());
        assertThat(done.place()).isEqualTo(place);
    }

    @Test
    void anApprovalCardCarriesItsButtonsAndAClickIsTheClickersVote() throws Exception {
        String place = say("alice", "merge feature");
        Seen card = awaitCard();
        assertThat(card.place()).isEqualTo(place);
        assertThat(card.buttons()).contains("approve R1", "reject R1");

        click("bob", card, "approve R1");

        assertThat(await(s -> s.how() == How.POSTED && s.text().contains("bob approved R1")).text()).contains(BOB_APPROVED);
        Seen edited = await(s -> s.how() == How.EDITED && s.messageId().equals(card.messageId()) && s.text().contains("1 approval (bob)"));
        assertThat(edited.buttons()).contains("approve R1");
        assertThat(repo.head("main")).isEqualTo(mainSha);
    }

    @Test
    void aSelfApprovalIsRefusedToTheClickerAlone() throws Exception {
        say("alice", "merge feature");
        Seen card = awaitCard();

        click("alice", card, "approve R1");

        String refusal = "You are an author of R1 (you asked for it, or for the work in it), so you cannot approve it: someone else must.";
        Seen whisper = await(s -> s.text().contains(refusal));
        assertThat(whisper.how()).isEqualTo(How.WHISPERED);
        assertThat(whisper.to()).isEqualTo(identity("alice"));
        afterEverythingBefore();
        assertThat(seen()).filteredOn(s -> s.text().contains(refusal)).containsExactly(whisper);
    }

    @Test
    void aLongReplyIsFittedToThePlatform() throws Exception {
        String place = say("alice", "help");
        await(s -> s.how() == How.POSTED && s.text().contains("I am Quorum."));
        String log = "```\n" + "log line & <b>\n".repeat(1500) + "```";

        q.quorum().messenger().post(conversation(place), Reply.text(log).about("R9"));

        Seen fitted = await(s -> s.how() == How.POSTED && s.text().contains("log line"));
        ReplyFitter.Limits limits = limits();
        assertThat(fitted.parts()).hasSizeLessThanOrEqualTo(limits.textParts())
                .allSatisfy(p -> assertThat(p.length()).isLessThanOrEqualTo(limits.textPart()));
        if (log.length() > limits.textPart()) {
            assertThat(fitted.text()).contains("The text is cut here");
            assertThat(fitted.parts()).allSatisfy(p -> assertThat(p).startsWith("```").endsWith("```"));
        } else {
            assertThat(fitted.parts()).containsExactly(log);
        }
    }

    @Test
    void aDeliveryMadeTwiceIsHandledOnce() throws Exception {
        String place = sayTwice("bob", "status");

        await(s -> s.how() == How.POSTED && s.place().equals(place) && s.text().contains("Not frozen."));
        afterEverythingBefore();
        assertThat(seen()).filteredOn(s -> s.place().equals(place) && s.text().contains("Not frozen.")).hasSize(1);
    }

    @Test
    void aBotIsNotHeard() throws Exception {
        sayAsBot("status");

        afterEverythingBefore();
        assertThat(seen()).noneMatch(s -> s.text().contains("Not frozen."));
    }

    private Seen awaitCard() throws Exception {
        return await(s -> s.how() == How.POSTED && s.text().contains("R1 · merge `feature` into `main` — awaiting approval"));
    }

    /** Waits for something Quorum said that matches. */
    protected Seen await(Predicate<Seen> matching) throws Exception {
        long end = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < end) {
            for (Seen s : seen()) if (matching.test(s)) return s;
            Thread.sleep(20);
        }
        throw new AssertionError("Quorum said nothing that matched within " + WAIT + "; it said: " + seen());
    }

    /**
     * Waits until what was delivered before has been handled: a fresh command's answer is the
     * marker, and a grace for work that started at the same time.
     */
    private void afterEverythingBefore() throws Exception {
        long before = helps();
        say("carol", "help");
        long end = System.nanoTime() + WAIT.toNanos();
        while (helps() <= before) {
            if (System.nanoTime() > end) throw new AssertionError("the marker was not answered within " + WAIT);
            Thread.sleep(20);
        }
        Thread.sleep(300);
    }

    private long helps() throws Exception {
        return seen().stream().filter(s -> s.how() == How.POSTED && s.text().contains("I am Quorum.")).count();
    }
}
