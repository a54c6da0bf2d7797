package dev.quorum.chat.slack;

import dev.quorum.chat.slack.FakeSlack.Answer;
import dev.quorum.chat.slack.FakeSlack.Call;
import dev.quorum.config.ConfigException;
import dev.quorum.testing.QuorumHarness;
import dev.quorum.testing.Suites;
import dev.quorum.testing.TestRedis;
import dev.quorum.testing.TestRepo;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static dev.quorum.chat.slack.SlackSender.CHANNEL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Quorum in Slack as a workspace meets it: the real Bolt code behind {@code POST /slack/events}
 * on Quorum's HTTP server, signed requests over real HTTP, and the Web API played by
 * {@link FakeSlack} on 127.0.0.1.
 */
class SlackEndToEndTest {
    static final String YAML = """
            console: {demo: true, users: {alice: {}}}
            groups: {engineers: [slack:UALICE, slack:UBOB], oncall: [slack:UDAVE]}
            """;

    @TempDir
    Path dir;
    private FakeSlack slack;
    private QuorumHarness q;
    private SlackSender sender;

    static Map<String, String> env(FakeSlack slack) {
        return Map.of("SLACK_BOT_TOKEN", "xoxb-test-token", "SLACK_SIGNING_SECRET", SlackSender.SECRET,
                "SLACK_API_URL", slack.apiUrl());
    }

    @BeforeEach
    void start() throws Exception {
        TestRedis.flush();
        slack = new FakeSlack();
        q = QuorumHarness.start(dir.resolve("data"), YAML, env(slack), Clock.systemUTC());
        sender = new SlackSender(q.http(), q.url("/slack/events"), SlackSender.SECRET);
    }

    @AfterEach
    void stop() throws Exception {
        if (q != null) q.close();
        slack.close();
    }

    @Test
    void aMentionIsAnsweredInItsThreadAndMarkedAsSeen() throws Exception {
        HttpResponse<String> ack = sender.send(SlackSender.mention("Ev1", "UALICE", "<@UQUORUM> help", "1700000100.000100", null));

        assertThat(ack.statusCode()).isEqualTo(200);
        Call reply = slack.awaitPost("I am Quorum.");
        assertThat(reply.param("channel")).isEqualTo(CHANNEL);
        assertThat(reply.param("thread_ts")).isEqualTo("1700000100.000100");
        assertThat(reply.authorization()).isEqualTo("Bearer xoxb-test-token");
        Call seen = slack.await("reactions.add", c -> true, Duration.ofSeconds(10));
        assertThat(seen.params()).containsEntry("name", "eyes").containsEntry("channel", CHANNEL)
                .containsEntry("timestamp", "1700000100.000100");
        assertThat(slack.calls("auth.test")).as("once at start, never on the way to an ack").hasSize(1);
    }

    @Test
    void slashCommandHelpIsShownInTheChannel() throws Exception {
        HttpResponse<String> ack = sender.send(SlackSender.slashCommand("UALICE", "alice", "help", "trig-1"));

        assertThat(ack.statusCode()).isEqualTo(200);
        assertThat(ack.body()).isEqualTo("{\"response_type\":\"in_channel\"}");
        Call reply = slack.awaitPost("I am Quorum.");
        assertThat(reply.param("channel")).isEqualTo(CHANNEL);
        assertThat(reply.param("thread_ts")).isNull();
        assertThat(reply.sectionText()).contains("• `help [&lt;command&gt;]` — "); // Slack shows <command>
    }

    @Test
    void aForgedOrStaleSignatureIs401AndNothingIsStoredOrPosted() throws Exception {
        var body = SlackSender.mention("EvForged", "UALICE", "<@UQUORUM> freeze", "1700000100.000100", null);
        long now = Instant.now().getEpochSecond();

        HttpResponse<String> forged = q.http().send(sender.request(body, now, "not-the-secret", Map.of()), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> stale = q.http().send(sender.request(body, now - 6 * 60, SlackSender.SECRET, Map.of()), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> unsigned = q.http().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(q.url("/slack/events")))
                .header("Content-Type", "application/json").POST(java.net.http.HttpRequest.BodyPublishers.ofString(body.text())).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(List.of(forged.statusCode(), stale.statusCode(), unsigned.statusCode())).containsOnly(401);
        assertThat(forged.body()).isEqualTo("{\"error\":\"invalid request\"}");
        Thread.sleep(300);
        assertThat(slack.calls()).extracting(Call::method).containsOnly("auth.test");
        assertThat(q.quorum().redis().sync().keys("{q}:conv:*")).isEmpty();
    }

    @Test
    void aBodyOverOneMebibyteIsRefusedUnread() throws Exception {
        var huge = SlackSender.mention("EvHuge", "UALICE", "<@UQUORUM> research " + "x".repeat(1_100_000), "1700000150.000100", null);

        HttpResponse<String> res = sender.send(huge);

        assertThat(res.statusCode()).isEqualTo(413);
        assertThat(slack.calls()).extracting(Call::method).containsOnly("auth.test");
    }

    @Test
    void theSameEventDeliveredThreeTimesIsHandledOnce() throws Exception {
        var body = SlackSender.mention("EvTwice", "UALICE", "<@UQUORUM> status", "1700000200.000100", null);

        HttpResponse<String> first = sender.send(body);
        HttpResponse<String> retry1 = sender.send(body, Map.of("X-Slack-Retry-Num", "1", "X-Slack-Retry-Reason", "http_timeout"));
        HttpResponse<String> retry2 = sender.send(body, Map.of("X-Slack-Retry-Num", "2", "X-Slack-Retry-Reason", "http_timeout"));

        assertThat(List.of(first.statusCode(), retry1.statusCode(), retry2.statusCode())).containsOnly(200);
        slack.awaitPost("Not frozen.");
        afterEverythingBefore();
        assertThat(repliesInThread("1700000200.000100")).hasSize(1);
    }

    @Test
    void twoQuorumInstancesOnOneRedisHandleAnEventOnce() throws Exception {
        try (QuorumHarness second = QuorumHarness.start(dir.resolve("data2"), YAML, env(slack), Clock.systemUTC())) {
            SlackSender toSecond = new SlackSender(second.http(), second.url("/slack/events"), SlackSender.SECRET);
            var body = SlackSender.mention("EvBoth", "UALICE", "<@UQUORUM> status", "1700000300.000100", null);

            var a = CompletableFuture.supplyAsync(() -> send(sender, body));
            var b = CompletableFuture.supplyAsync(() -> send(toSecond, body));

            assertThat(List.of(a.get().statusCode(), b.get().statusCode())).containsOnly(200);
            slack.awaitPost("Not frozen.");
            afterEverythingBefore();
            assertThat(repliesInThread("1700000300.000100")).hasSize(1);
        }
    }

    @Test
    void aRateLimitedReplyIsPostedAgainAfterRetryAfter() throws Exception {
        slack.script("chat.postMessage", Answer.rateLimited(1));

        sender.send(SlackSender.mention("EvLimited", "UALICE", "<@UQUORUM> help", "1700000400.000100", null));

        Call delivered = slack.awaitPost("I am Quorum.");
        List<Call> attempts = slack.calls("chat.postMessage");
        assertThat(attempts).extracting(Call::status).containsExactly(429, 200);
        assertThat(attempts.get(1).params()).isEqualTo(attempts.get(0).params());
        assertThat(Duration.ofNanos(delivered.nanos() - attempts.get(0).nanos())).isGreaterThanOrEqualTo(Duration.ofMillis(950));
    }

    @Test
    void inAThreadQuorumTakesPartInAPlainCommandIsActedOnAndChatterAndBotsAreNot() throws Exception {
        String thread = "1700000500.000100";
        sender.send(SlackSender.mention("EvStart", "UALICE", "<@UQUORUM> help", thread, null));
        slack.awaitPost("I am Quorum.");

        sender.send(SlackSender.message("EvChat", "UBOB", "nice, thanks", "1700000500.000200", thread));
        sender.send(SlackSender.botMessage("EvSelf", FakeSlack.BOT_USER, FakeSlack.BOT_ID, "status", "1700000500.000300", thread));
        sender.send(SlackSender.botMessage("EvOtherBot", "U0OTHERBOT", "B0OTHER", "status", "1700000500.000400", thread));
        sender.send(SlackSender.message("EvTopLevel", "UBOB", "status", "1700000500.000500", null));
        sender.send(SlackSender.message("EvCommand", "UBOB", "status", "1700000500.000600", thread));

        Call status = slack.awaitPost("Not frozen.");
        assertThat(status.param("thread_ts")).isEqualTo(thread);
        afterEverythingBefore();
        assertThat(slack.calls("chat.postMessage")).extracting(c -> c.sectionText().startsWith("Not frozen.")).containsOnlyOnce(true);
        assertThat(slack.calls("reactions.add")).extracting(c -> c.param("timestamp")).filteredOn(ts -> ts.startsWith("1700000500."))
                .containsExactly(thread);
        assertThat(slack.calls("bots.info")).as("bots are told apart by bot_id, without asking Slack").isEmpty();
    }

    @Test
    void aDirectMessageIsACommandWithoutAMention() throws Exception {
        sender.send(SlackSender.directMessage("EvDirect", "UBOB", "status", "1700000550.000100"));

        Call reply = slack.awaitPost("Not frozen.");
        assertThat(reply.param("channel")).isEqualTo("D0DIRECT");
        assertThat(reply.param("thread_ts")).isNull();
    }

    @Test
    void aButtonClickIsTheClickersCommandAnsweredWhereTheCardIs() throws Exception {
        String thread = "1700000600.000100";

        HttpResponse<String> ack = sender.send(SlackSender.click("UBOB", "bob", "1700000600.000200", thread, "quorum:0:status", "status", "trig-click"));

        assertThat(ack.statusCode()).isEqualTo(200);
        Call reply = slack.awaitPost("Not frozen.");
        assertThat(reply.param("thread_ts")).isEqualTo(thread);
    }

    @Test
    void aRefusalIsWhisperedOnlyToTheMemberWhoAsked() throws Exception {
        sender.send(SlackSender.mention("EvFreeze", "UBOB", "<@UQUORUM> freeze", "1700000700.000100", null));

        Call whisper = slack.await("chat.postEphemeral", c -> true, Duration.ofSeconds(10));
        assertThat(whisper.params()).containsEntry("user", "UBOB").containsEntry("channel", CHANNEL)
                .containsEntry("thread_ts", "1700000700.000100");
        assertThat(whisper.sectionText()).isEqualTo(":x: Only on-call (group `oncall`) can freeze.");
    }

    @Test
    void aTestRunShowsItsProgressInOneMessageEditedInPlaceThenTheEvidence() throws Exception {
        try (TestRepo repo = TestRepo.init(dir.resolve("app"))) {
            String sha = repo.commit("suite", Map.of(Suites.SCRIPT, Suites.passing(2)));
            restartWith(YAML + """
                    repos:
                      app: {path: %s, test_command: %s, reports: ["%s"], test_timeout: 20s}
                    """.formatted(repo.dir(), Suites.COMMAND, Suites.REPORTS));
            String thread = "1700000800.000100";

            sender.send(SlackSender.mention("EvTest", "UALICE", "<@UQUORUM> test", thread, null));

            Call opened = slack.awaitPost("R1 · `test` · queued: tests of app at main (" + sha.substring(0, 7) + ")");
            assertThat(opened.param("thread_ts")).isEqualTo(thread);
            Call finished = slack.await("chat.update", c -> c.sectionText().equals(":white_check_mark: R1 · `test` · succeeded"),
                    Duration.ofSeconds(60));
            assertThat(finished.param("ts")).isEqualTo(slack.tsOf(opened));
            Call evidence = slack.awaitPost("passed: 2 passed, 0 failed, 0 skipped · " + sha.substring(0, 7));
            assertThat(evidence.param("thread_ts")).isEqualTo(thread);
            assertThat(evidence.blocks().toString()).contains("/#/requests/R1|Open R1 in the console>");
        }
    }

    @Test
    void withAnAppTokenQuorumListensOverSocketModeAndAnswersAlike() throws Exception {
        q.close();
        Map<String, String> socketMode = new java.util.HashMap<>(env(slack));
        socketMode.put("SLACK_APP_TOKEN", "xapp-1-test");
        q = QuorumHarness.start(dir.resolve("data-socket"), YAML, socketMode, Clock.systemUTC());
        JsonObject mention = new JsonObject(SlackSender.mention("EvSocket", "UALICE", "<@UQUORUM> help", "1700000900.000100", null).text());

        slack.sendOverSocket(new JsonObject().put("envelope_id", "env-1").put("type", "events_api").put("payload", mention)
                .put("accepts_response_payload", false).put("retry_attempt", 0));

        assertThat(slack.awaitFromSocket(m -> "env-1".equals(m.getString("envelope_id")))).isNotNull();
        Call reply = slack.awaitPost("I am Quorum.");
        assertThat(reply.param("thread_ts")).isEqualTo("1700000900.000100");
        assertThat(slack.calls("apps.connections.open")).extracting(Call::authorization).contains("Bearer xapp-1-test");
        assertThat(q.get("/health").json().get("adapters").get("slack").asText()).isEqualTo("UP");
    }

    @Test
    void slacksCertificateCheckIsAnsweredOkAndDoesNothing() throws Exception {
        HttpResponse<String> res = q.http().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(q.url("/slack/events")))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("ssl_check=1&token=legacy")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(res.statusCode()).isEqualTo(200);
        assertThat(slack.calls()).extracting(Call::method).containsOnly("auth.test");
    }

    @Test
    void urlVerificationAnswersTheChallenge() throws Exception {
        HttpResponse<String> res = sender.send(SlackSender.urlVerification("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"));

        assertThat(res.statusCode()).isEqualTo(200);
        assertThat(res.body()).isEqualTo("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P");
    }

    @Test
    void aBotTokenSlackRefusesStopsStartUpWithOneLine() {
        slack.script("auth.test", Answer.error("invalid_auth"));

        assertThatThrownBy(() -> QuorumHarness.start(dir.resolve("refused"), YAML, env(slack), Clock.systemUTC()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("config error: slack.bot_token = \"***\": Slack refused it (invalid_auth)");
    }

    @Test
    void whenSlackCannotBeReachedQuorumStillStartsAndReportsSlackDown() throws Exception {
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        Map<String, String> unreachable = new java.util.HashMap<>(env(slack));
        unreachable.put("SLACK_API_URL", "http://127.0.0.1:" + closedPort + "/api/");

        try (QuorumHarness cut = QuorumHarness.start(dir.resolve("cut"), YAML, unreachable, Clock.systemUTC())) {
            var health = cut.get("/health");
            assertThat(health.status()).isEqualTo(503);
            assertThat(health.json().get("adapters").get("slack").asText()).isEqualTo("DOWN");
            assertThat(health.json().get("adapters").get("console").asText()).isEqualTo("UP");
        }
    }

    @Test
    void healthShowsSlackUp() throws Exception {
        assertThat(q.get("/health").json().get("adapters").get("slack").asText()).isEqualTo("UP");
    }

    private void restartWith(String yaml) throws Exception {
        q.close();
        q = QuorumHarness.start(dir.resolve("data-" + System.nanoTime()), yaml, env(slack), Clock.systemUTC());
        sender = new SlackSender(q.http(), q.url("/slack/events"), SlackSender.SECRET);
    }

    /**
     * Waits until everything sent before has been handled: deliveries are handled in order of
     * their acks only per sender, so a fresh mention's reply is the marker.
     */
    private void afterEverythingBefore() throws Exception {
        String marker = "1700009999." + System.nanoTime() % 1_000_000;
        sender.send(SlackSender.mention("EvMarker" + marker, "UALICE", "<@UQUORUM> help", marker, null));
        slack.await("chat.postMessage", c -> marker.equals(c.param("thread_ts")) && c.status() == 200, Duration.ofSeconds(15));
        Thread.sleep(200);
    }

    private List<Call> repliesInThread(String threadTs) {
        return slack.calls("chat.postMessage").stream().filter(c -> threadTs.equals(c.param("thread_ts"))).toList();
    }

    private static HttpResponse<String> send(SlackSender to, SlackSender.Body body) {
        try {
            return to.send(body);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
