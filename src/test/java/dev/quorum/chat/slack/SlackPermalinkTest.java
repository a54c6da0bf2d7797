package dev.quorum.chat.slack;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quorum.chat.slack.FakeSlack.Answer;
import dev.quorum.chat.slack.FakeSlack.Call;
import dev.quorum.conversation.Conversation;
import dev.quorum.conversation.Identity;
import dev.quorum.conversation.IncomingMessage;
import dev.quorum.request.Request;
import dev.quorum.request.RequestType;
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
import java.util.Map;

import static dev.quorum.chat.slack.SlackSender.CHANNEL;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The request page's Slack link ({@code links} on {@code GET /api/requests/{id}}) is Slack's own permalink, asked
 * through the real Slack client of a running Quorum from {@link FakeSlack} ({@code chat.getPermalink}), kept for the
 * next view; when Slack refuses, fails or is slow, the page shows the link Quorum builds, without waiting long.
 */
class SlackPermalinkTest {
    @TempDir
    Path dir;
    private FakeSlack slack;
    private QuorumHarness q;

    @BeforeEach
    void start() throws Exception {
        TestRedis.flush();
        slack = new FakeSlack();
    }

    @AfterEach
    void stop() throws Exception {
        if (q != null) q.close();
        slack.close();
    }

    @Test
    void theRequestPagesSlackLinkIsSlacksPermalinkOfItsProgressMessageAskedOnceAndKept() throws Exception {
        try (TestRepo repo = TestRepo.init(dir.resolve("app"))) {
            repo.commit("suite", Map.of(Suites.SCRIPT, Suites.passing(1)));
            q = QuorumHarness.start(dir.resolve("data"), SlackEndToEndTest.YAML + """
                    repos:
                      app: {path: %s, test_command: %s, reports: ["%s"], test_timeout: 20s}
                    """.formatted(repo.dir(), Suites.COMMAND, Suites.REPORTS), SlackEndToEndTest.env(slack), Clock.systemUTC());
            SlackSender sender = new SlackSender(q.http(), q.url("/slack/events"), SlackSender.SECRET);
            String thread = "1700000800.000100";

            sender.send(SlackSender.mention("EvLink", "UALICE", "<@UQUORUM> test", thread, null));
            Call opened = slack.awaitPost("R1 · `test` · queued");
            String progressTs = slack.tsOf(opened);
            slack.await("chat.update", c -> c.sectionText().equals(":white_check_mark: R1 · `test` · succeeded"), Duration.ofSeconds(60));

            JsonNode link = slackLink("R1");
            assertThat(link.get("href").asText()).isEqualTo("https://test.slack.com/archives/" + CHANNEL + "/p" + progressTs.replace(".", "")
                    + "?thread_ts=" + thread + "&cid=" + CHANNEL);
            assertThat(link.get("text").asText()).isEqualTo("the request's message in Slack");
            Call asked = slack.calls("chat.getPermalink").getFirst();
            assertThat(asked.params()).containsEntry("channel", CHANNEL).containsEntry("message_ts", progressTs);
            assertThat(asked.authorization()).isEqualTo("Bearer xoxb-test-token");

            // The next views, on this instance or another, read it from Redis: Slack is asked once.
            assertThat(slackLink("R1").get("href").asText()).isEqualTo(link.get("href").asText());
            try (QuorumHarness second = QuorumHarness.start(dir.resolve("data2"), SlackEndToEndTest.YAML, SlackEndToEndTest.env(slack), Clock.systemUTC())) {
                assertThat(slackLink(second, "R1").get("href").asText()).isEqualTo(link.get("href").asText());
            }
            assertThat(slack.calls("chat.getPermalink")).hasSize(1);
        }
    }

    @Test
    void whenSlackRefusesFailsOrRateLimitsThePageShowsTheLinkBuiltHereAndDoesNotAskAgainAtOnce() throws Exception {
        q = QuorumHarness.start(dir.resolve("data"), SlackEndToEndTest.YAML, SlackEndToEndTest.env(slack), Clock.systemUTC());
        String refusedThread = "1700000900.000100";
        String failedThread = "1700000901.000100";
        Request refused = askedInThread(refusedThread);
        Request failed = askedInThread(failedThread);
        Request limited = askedInThread("1700000902.000100");
        Request whilePaused = askedInThread("1700000903.000100");

        slack.script("chat.getPermalink", Answer.error("message_not_found"));
        JsonNode link = slackLink(refused.id());
        assertThat(link.get("href").asText()).isEqualTo("https://slack.com/archives/" + CHANNEL + "/p1700000900000100");
        assertThat(link.get("text").asText()).isEqualTo("the thread in Slack");
        assertThat(slackLink(refused.id()).get("href").asText()).isEqualTo(link.get("href").asText());
        assertThat(slack.calls("chat.getPermalink")).as("a refusal is kept for a while").hasSize(1);

        slack.script("chat.getPermalink", Answer.status(500));
        assertThat(slackLink(failed.id()).get("href").asText()).isEqualTo("https://slack.com/archives/" + CHANNEL + "/p1700000901000100");
        assertThat(slackLink(failed.id()).get("href").asText()).isEqualTo("https://slack.com/archives/" + CHANNEL + "/p1700000901000100");
        assertThat(slack.calls("chat.getPermalink")).as("a 5xx is not retried while the page waits, nor on the next view")
                .extracting(Call::status).containsExactly(200, 500);

        slack.script("chat.getPermalink", Answer.rateLimited(30));
        long started = System.nanoTime();
        assertThat(slackLink(limited.id()).get("href").asText()).isEqualTo("https://slack.com/archives/" + CHANNEL + "/p1700000902000100");
        assertThat(slackLink(whilePaused.id()).get("href").asText()).isEqualTo("https://slack.com/archives/" + CHANNEL + "/p1700000903000100");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("a 429 is not waited out while a page waits").isLessThan(Duration.ofSeconds(5));
        assertThat(slack.calls("chat.getPermalink")).as("within Slack's Retry-After nobody asks again, for any message")
                .extracting(Call::status).containsExactly(200, 500, 429);
    }

    @Test
    void aSlowSlackDoesNotHoldThePageAndItsLateAnswerServesTheNextView() throws Exception {
        q = QuorumHarness.start(dir.resolve("data"), SlackEndToEndTest.YAML, SlackEndToEndTest.env(slack), Clock.systemUTC());
        String thread = "1700001000.000100";
        Request r = askedInThread(thread);
        slack.slow("chat.getPermalink", Duration.ofSeconds(4));

        long started = System.nanoTime();
        JsonNode link = slackLink(r.id());
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(link.get("href").asText()).isEqualTo("https://slack.com/archives/" + CHANNEL + "/p1700001000000100");
        assertThat(took).isLessThan(Duration.ofSeconds(3));
        String slacks = "https://test.slack.com/archives/" + CHANNEL + "/p1700001000000100";
        long end = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        String seen = link.get("href").asText();
        while (!seen.equals(slacks) && System.nanoTime() < end) {
            Thread.sleep(200);
            seen = slackLink(r.id()).get("href").asText();
        }
        assertThat(seen).isEqualTo(slacks);
        assertThat(slack.calls("chat.getPermalink")).as("views while Slack thought did not ask again").hasSize(1);
    }

    /** A request a Slack member asked for in a thread of {@link SlackSender#CHANNEL} (no progress message). */
    private Request askedInThread(String thread) {
        return q.quorum().requests().open(RequestType.TEST, IncomingMessage.human(new Identity("slack", "UALICE"),
                new Conversation("slack", CHANNEL, thread), "test"), "test", null);
    }

    private JsonNode slackLink(String id) throws Exception {
        return slackLink(q, id);
    }

    private static JsonNode slackLink(QuorumHarness at, String id) throws Exception {
        QuorumHarness.Response page = at.get("/api/requests/" + id);
        assertThat(page.status()).isEqualTo(200);
        JsonNode links = page.json().get("links");
        assertThat(links).hasSize(2);
        assertThat(links.get(0).get("kind").asText()).isEqualTo("console");
        assertThat(links.get(1).get("kind").asText()).isEqualTo("slack");
        return links.get(1);
    }
}
