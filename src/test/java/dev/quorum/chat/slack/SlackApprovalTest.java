package dev.quorum.chat.slack;

import dev.quorum.chat.slack.FakeSlack.Call;
import dev.quorum.testing.QuorumHarness;
import dev.quorum.testing.Suites;
import dev.quorum.testing.TestRedis;
import dev.quorum.testing.TestRepo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import static dev.quorum.chat.slack.SlackSender.CHANNEL;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A merge decided in Slack: proposed by a mention, approved with the card's buttons, the card
 * edited in place as votes arrive. Real git, real test runs, real Redis, real Bolt; the Web API
 * is {@link FakeSlack}.
 */
class SlackApprovalTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String THREAD = "1700001000.000100";

    @TempDir
    Path dir;
    private FakeSlack slack;
    private TestRepo repo;
    private QuorumHarness q;
    private SlackSender sender;
    private String mainSha;

    @BeforeEach
    void start() throws Exception {
        TestRedis.flush();
        slack = new FakeSlack();
        repo = TestRepo.init(dir.resolve("app"));
        mainSha = repo.commit("app with tests", Map.of(Suites.SCRIPT, Suites.passing(2), "README.md", "app\n"));
        String featureSha = repo.commit("greeting", Map.of(Suites.SCRIPT, Suites.passing(3), "greeting.txt", "hello\n"));
        repo.branch("feature", featureSha);
        repo.git().reset().setMode(org.eclipse.jgit.api.ResetCommand.ResetType.HARD).setRef(mainSha).call();
        String yaml = """
                console: {demo: true, users: {alice: {}}}
                people: {alice: [slack:UALICE], bob: [slack:UBOB], carol: [slack:UCAROL]}
                groups: {engineers: [alice, bob, carol]}
                repos:
                  app: {path: %s, test_command: "%s", reports: ["%s"], test_timeout: 20s}
                policies:
                  merge: {approvals: 2, eligible: [engineers], ttl: 1h}
                """.formatted(repo.dir(), Suites.COMMAND, Suites.REPORTS);
        q = QuorumHarness.start(dir.resolve("data"), yaml, SlackEndToEndTest.env(slack), Clock.systemUTC());
        sender = new SlackSender(q.http(), q.url("/slack/events"), SlackSender.SECRET);
    }

    @AfterEach
    void stop() throws Exception {
        if (q != null) q.close();
        repo.close();
        slack.close();
    }

    @Test
    void aMergeApprovedWithTwoOtherMembersButtonsIsMergedAndItsCardShowsIt() throws Exception {
        sender.send(SlackSender.mention("EvMerge", "UALICE", "<@UQUORUM> merge feature", THREAD, null));
        Call card = slack.await("chat.postMessage", c -> c.status() == 200
                && c.sectionText().startsWith("R1 · merge `feature` into `main` — awaiting approval"), WAIT);
        assertThat(card.param("thread_ts")).isEqualTo(THREAD);
        String cardTs = slack.tsOf(card);
        assertThat(card.blocks().toString()).contains("\"action_id\":\"quorum:0:approve R1\"", "\"value\":\"approve R1\"",
                "\"action_id\":\"quorum:1:reject R1\"", "\"style\":\"danger\"");
        String mergeSha = q.get("/api/requests/R1").json().get("subject").get("merge_sha").asText();

        HttpResponse<String> own = click("UALICE", "alice", cardTs, "approve R1", "trig-alice");
        assertThat(own.statusCode()).isEqualTo(200);
        Call refused = slack.await("chat.postEphemeral", c -> c.param("user").equals("UALICE"), WAIT);
        assertThat(refused.sectionText()).isEqualTo(":x: You are an author of R1 (you asked for it, or for the work in it), "
                + "so you cannot approve it: someone else must.");
        assertThat(refused.param("thread_ts")).isEqualTo(THREAD);

        click("UBOB", "bob", cardTs, "approve R1", "trig-bob");
        assertThat(slack.awaitPost("bob approved R1:").sectionText()).isEqualTo("bob approved R1: 1 approval (bob); still needs 1 more approval.");
        slack.await("chat.update", c -> c.param("ts").equals(cardTs) && c.blocks().toString().contains("1 approval (bob); still needs 1 more approval"), WAIT);
        assertThat(repo.head("main")).isEqualTo(mainSha);

        click("UCAROL", "carol", cardTs, "approve R1", "trig-carol");
        slack.awaitPost("carol approved R1: quorum reached (bob, carol). Executing now.");
        Call done = slack.await("chat.update", c -> c.param("ts").equals(cardTs)
                && c.sectionText().startsWith(":white_check_mark: R1 · merge `feature` into `main` — done"), WAIT);
        assertThat(done.blocks().toString()).doesNotContain("\"type\":\"actions\"");
        assertThat(repo.head("main")).isEqualTo(mergeSha);
        assertThat(slack.calls("chat.postEphemeral")).hasSize(1);
        assertThat(slack.calls()).filteredOn(c -> c.param("channel") != null).extracting(c -> c.param("channel")).containsOnly(CHANNEL);
    }

    private HttpResponse<String> click(String user, String name, String cardTs, String command, String trigger) throws Exception {
        String actionId = command.startsWith("approve") ? "quorum:0:" + command : "quorum:1:" + command;
        return sender.send(SlackSender.click(user, name, cardTs, THREAD, actionId, command, trigger));
    }
}
