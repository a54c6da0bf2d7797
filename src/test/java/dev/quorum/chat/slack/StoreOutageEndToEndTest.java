package dev.quorum.chat.slack;

import dev.quorum.chat.slack.FakeSlack.Call;
import dev.quorum.conversation.StoreUnreachableException;
import dev.quorum.testing.KillableRedis;
import dev.quorum.testing.QuorumHarness;
import dev.quorum.testing.QuorumHarness.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A running Quorum whose redis-server is SIGKILLed, or stalled with SIGSTOP, and then started
 * again: every command is answered at once with the outage line, on the console (503) and in Slack
 * (posted, since posting needs no Redis), nothing is recorded meanwhile, and Quorum carries on when
 * the server is back.
 */
class StoreOutageEndToEndTest {
    /** "At once": the outage line well before any Lettuce timeout (10 s) or a platform's 3 s. */
    private static final Duration AT_ONCE = Duration.ofMillis(2500);
    private static final String LINE = StoreUnreachableException.LINE;

    @TempDir
    Path dir;
    private KillableRedis redis;
    private FakeSlack slack;
    private QuorumHarness q;
    private SlackSender sender;

    @BeforeEach
    void start() throws Exception {
        redis = new KillableRedis(dir.resolve("redis")).start();
        slack = new FakeSlack();
        Map<String, String> env = new HashMap<>(SlackEndToEndTest.env(slack));
        env.put("REDIS_URL", redis.uri());
        q = QuorumHarness.start(dir.resolve("data"), SlackEndToEndTest.YAML, env, Clock.systemUTC());
        sender = new SlackSender(q.http(), q.url("/slack/events"), SlackSender.SECRET);
    }

    @AfterEach
    void stop() throws Exception {
        try {
            if (q != null) q.close();
        } finally {
            slack.close();
            redis.close();
        }
    }

    @Test
    void aKilledServerMeansTheOutageLineAtOnceEverywhereNothingRecordedAndWorkAgainOnceItIsBack() throws Exception {
        assertThat(q.say("alice", "status").status()).isEqualTo(202);

        redis.kill();

        long t0 = System.nanoTime();
        Response console = q.say("alice", "freeze");
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        assertThat(console.status()).isEqualTo(503);
        assertThat(console.json().get("error").asText()).isEqualTo(LINE);
        assertThat(console.json().size()).as("only the error: no request id, no trace").isEqualTo(1);
        assertThat(took).isLessThan(AT_ONCE);

        HttpResponse<String> ack = sender.send(SlackSender.mention("EvDown", "UDAVE", "<@UQUORUM> freeze", "1700000100.000100", null));
        assertThat(ack.statusCode()).as("acknowledged, so that Slack does not run it later").isEqualTo(200);
        Call told = slack.await("chat.postEphemeral", c -> c.sectionText().contains(LINE), AT_ONCE);
        assertThat(told.param("user")).isEqualTo("UDAVE");
        assertThat(told.param("thread_ts")).isEqualTo("1700000100.000100");
        assertThat(told.sectionText()).doesNotContain("error E", "Exception", "at dev.");

        redis.start();
        Response back = untilAccepted("status");
        assertThat(back.status()).isEqualTo(202);
        assertThat(q.quorum().redis().sync().get("{q}:freeze")).as("on-call's freeze in Slack was not done").isNull();
        assertThat(q.quorum().redis().sync().exists("{q}:conv:seen:slack:event:EvDown")).as("the outage delivery left no mark").isZero();

        sender.send(SlackSender.mention("EvUp", "UDAVE", "<@UQUORUM> freeze", "1700000200.000100", null));
        slack.awaitPost("FROZEN by");
        assertThat(q.quorum().redis().sync().exists("{q}:freeze")).isEqualTo(1);
    }

    @Test
    void aStalledServerIsAnOutageTooAndNoCommandWaitsOnIt() throws Exception {
        assertThat(q.say("alice", "status").status()).isEqualTo(202);

        redis.pause();
        try {
            long t0 = System.nanoTime();
            Response console = q.say("alice", "freeze");
            HttpResponse<String> ack = sender.send(SlackSender.slashCommand("UDAVE", "dave", "freeze", "trig-down"));
            Duration took = Duration.ofNanos(System.nanoTime() - t0);

            assertThat(console.status()).isEqualTo(503);
            assertThat(console.json().get("error").asText()).isEqualTo(LINE);
            assertThat(ack.statusCode()).isEqualTo(200);
            assertThat(took).as("both answered, one after the other").isLessThan(AT_ONCE);
            slack.await("chat.postEphemeral", c -> c.sectionText().contains(LINE), AT_ONCE);
        } finally {
            redis.resume();
        }
        assertThat(untilAccepted("status").status()).isEqualTo(202);
        assertThat(q.quorum().redis().sync().get("{q}:freeze")).isNull();
    }

    /** Lettuce reconnects with a growing back-off; the first command after it is accepted. */
    private Response untilAccepted(String text) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(40).toNanos();
        Response last;
        do {
            last = q.say("alice", text);
            if (last.status() != 503) return last;
            assertThat(last.json().get("error").asText()).isEqualTo(LINE);
            Thread.sleep(100);
        } while (System.nanoTime() < end);
        return last;
    }
}
