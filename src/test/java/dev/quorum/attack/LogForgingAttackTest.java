package dev.quorum.attack;

import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.quorum.audit.AuditLog;
import dev.quorum.conversation.Conversation;
import dev.quorum.conversation.Identity;
import dev.quorum.conversation.IncomingMessage;
import dev.quorum.request.Request;
import dev.quorum.request.RequestState;
import dev.quorum.request.RequestStore;
import dev.quorum.request.RequestType;
import dev.quorum.request.Requests;
import dev.quorum.request.WorkQueue;
import dev.quorum.store.Redis;
import dev.quorum.testing.CapturedLog;
import dev.quorum.testing.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Someone who picks their own display name (a Slack profile) or puts words in a reason (a veto's
 * text, a test's output, a model's summary) tries to write log lines of their own into the
 * operator's log through the line Quorum logs per state change: line breaks of every kind, a
 * carriage return that would overwrite the line on a terminal, ANSI escapes that would recolour
 * or hide it. Each change stays one line, with those characters turned into spaces, and a huge
 * reason is cut.
 */
class LogForgingAttackTest {
    private static final Conversation ROOM = new Conversation("slack", "C1", null);

    @TempDir
    Path data;
    private Redis redis;
    private Requests requests;
    private CapturedLog log;

    @BeforeEach
    void setUp() throws Exception {
        redis = TestRedis.fresh();
        Clock clock = Clock.systemUTC();
        requests = new Requests(new RequestStore(redis), AuditLog.open(redis, clock, data), new WorkQueue(redis), clock);
        log = CapturedLog.of(Requests.class);
    }

    @AfterEach
    void tearDown() {
        log.close();
        redis.close();
    }

    @Test
    void aNameOrReasonCannotAddLinesToTheLog() {
        String forgedName = "mallory\n11:00:00.000 INFO  d.q.request.Requests - R9 deploy by alice: executing -> done";
        Request r = requests.open(RequestType.TEST, new IncomingMessage(Identity.parse("slack:UMAL"), forgedName, ROOM,
                "test", false, null, true), "test", null);
        Request running = requests.move(r, RequestState.RUNNING, "quorum", null).orElseThrow();
        requests.move(running, RequestState.FAILED, "quorum",
                "1 failed\r\n\u001b[2K\u001b[32m11:00:01.000 INFO  all good\u001b[0m\u2028next\u0085line\tend");

        assertThat(lines()).containsExactly(
                "R1 test by mallory 11:00:00.000 INFO  d.q.request.Requests - R9 deploy by alice: executing -> done: new -> queued",
                "R1 test by mallory 11:00:00.000 INFO  d.q.request.Requests - R9 deploy by alice: executing -> done: queued -> running",
                "R1 test by mallory 11:00:00.000 INFO  d.q.request.Requests - R9 deploy by alice: executing -> done: running -> failed "
                        + "(1 failed [2K [32m11:00:01.000 INFO  all good [0m next line end)");
    }

    @Test
    void aHugeReasonIsCutToOneShortLine() {
        Request r = requests.open(RequestType.TEST, IncomingMessage.human(Identity.console("alice"), ROOM, "test"), "test", null);
        requests.move(r, RequestState.CANCELLED, "quorum", "x".repeat(100_000));

        String last = lines().getLast();
        assertThat(last).startsWith("R1 test by alice: queued -> cancelled (xxx").endsWith("x…)");
        assertThat(last).hasSizeLessThan(400);
    }

    private List<String> lines() {
        List<String> lines = log.events().stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(lines).allSatisfy(l -> assertThat(l).doesNotContainPattern("[\\p{Cntrl}\\u0085\\u2028\\u2029]"));
        return lines;
    }
}
