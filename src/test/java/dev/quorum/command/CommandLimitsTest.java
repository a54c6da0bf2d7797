package dev.quorum.command;

import dev.quorum.config.LimitsConfig;
import dev.quorum.conversation.Conversation;
import dev.quorum.conversation.Identity;
import dev.quorum.conversation.IncomingMessage;
import dev.quorum.conversation.LimitReachedException;
import dev.quorum.conversation.Messenger;
import dev.quorum.conversation.Reply;
import dev.quorum.request.Job;
import dev.quorum.request.WorkQueue;
import dev.quorum.store.Redis;
import dev.quorum.testing.RecordingAdapter;
import dev.quorum.testing.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Per-member and per-channel limits through the real router, counted in a real Redis. */
class CommandLimitsTest {
    static final Conversation CHANNEL = new Conversation("chat", "C1", null);
    static final Identity ALICE = new Identity("chat", "ALICE");
    static final Identity BOB = new Identity("chat", "BOB");

    private Redis redis;
    private final RecordingAdapter chat = new RecordingAdapter("chat");
    private final AtomicInteger ran = new AtomicInteger();

    @BeforeEach
    void start() {
        redis = TestRedis.fresh();
    }

    @AfterEach
    void stop() {
        redis.close();
    }

    /** A router whose {@code status}, {@code approve}, {@code cancel} and {@code test} count their runs. */
    CommandRouter router(Redis on, int perUser, int perChannel) {
        return router(new CommandLimits(on, new LimitsConfig(perUser, perChannel), () -> 0));
    }

    private CommandRouter router(CommandLimits limits) {
        Messenger messenger = new Messenger();
        messenger.register(chat);
        return new CommandRouter(new CommandParser(Set.of("demo")), messenger,
                List.of(counting(Command.Status.class), counting(Command.Approve.class), counting(Command.Cancel.class),
                        counting(Command.Test.class)), limits);
    }

    private <C extends Command> CommandHandler<C> counting(Class<C> kind) {
        return new CommandHandler<>() {
            @Override
            public Class<C> handles() {
                return kind;
            }

            @Override
            public void handle(C cmd, CommandContext ctx) {
                ran.incrementAndGet();
                ctx.reply(Reply.text("ran"));
            }
        };
    }

    static IncomingMessage from(Identity who, Conversation where, String text) {
        return new IncomingMessage(who, who.id(), where, text, false, null, true, Set.of(), null);
    }

    @Test
    void theMembersCommandPastTheLimitIsRefusedWithWhenToTryAgainAndNotRun() {
        CommandRouter router = router(redis, 3, 0);
        for (int i = 0; i < 3; i++) router.handle(from(ALICE, CHANNEL, "status"));

        assertThatThrownBy(() -> router.handle(from(ALICE, CHANNEL, "status")))
                .isInstanceOf(LimitReachedException.class)
                .hasMessageMatching("You have reached the limit of 3 commands a minute; nothing was done\\. Try again in (60|59) s\\.")
                .satisfies(e -> assertThat(((LimitReachedException) e).retryAfter()).isBetween(Duration.ofSeconds(59), Duration.ofSeconds(60)));
        assertThat(ran).hasValue(3);
        RecordingAdapter.Said told = chat.said().getLast();
        assertThat(told.how()).isEqualTo("whisper");
        assertThat(told.to()).isEqualTo(ALICE);
        assertThat(told.reply().text()).startsWith("You have reached the limit of 3 commands a minute");

        router.handle(from(BOB, CHANNEL, "status"));
        assertThat(ran).as("another member is not held back").hasValue(4);
    }

    @Test
    void theChannelsLimitCountsEveryMemberAndOtherChannelsAreNotHeldBack() {
        CommandRouter router = router(redis, 0, 2);
        router.handle(from(ALICE, CHANNEL, "status"));
        router.handle(from(BOB, CHANNEL, "status"));

        assertThatThrownBy(() -> router.handle(from(BOB, CHANNEL, "status")))
                .hasMessageMatching("This channel has reached the limit of 2 commands a minute; nothing was done\\. Try again in (60|59) s\\.");
        assertThatThrownBy(() -> router.handle(from(BOB, CHANNEL.inThread("t1"), "status"))).isInstanceOf(LimitReachedException.class);
        router.handle(from(BOB, new Conversation("chat", "C2", null), "status"));
        assertThat(ran).as("a thread is in its channel; another channel has its own count").hasValue(3);
    }

    @Test
    void votesAreNeverCountedNorHeldBackAndARefusedCommandDoesNotCount() {
        CommandRouter router = router(redis, 1, 0);
        router.handle(from(ALICE, CHANNEL, "status"));
        for (int i = 0; i < 5; i++) assertThatThrownBy(() -> router.handle(from(ALICE, CHANNEL, "status"))).isInstanceOf(LimitReachedException.class);
        for (int i = 0; i < 5; i++) router.handle(from(ALICE, CHANNEL, "approve R1"));

        assertThat(ran).hasValue(6);
        assertThat(redis.sync().get(CommandLimits.PREFIX + "u:chat:ALICE")).isEqualTo("1");
        assertThat(redis.sync().pttl(CommandLimits.PREFIX + "u:chat:ALICE")).isBetween(1L, 60_000L);
    }

    @Test
    void aFullQueueRefusesCommandsThatWouldQueueMoreButNotVotesCancelsOrReadsAndTakesThemAgainOnceItDrains() {
        WorkQueue queue = new WorkQueue(redis);
        CommandRouter router = router(new CommandLimits(redis, new LimitsConfig(0, 0, 2), queue::depth));
        queue.enqueue(new Job("R1", "test"));
        router.handle(from(ALICE, CHANNEL, "test"));
        assertThat(ran).as("one job queued, the cap is two").hasValue(1);
        queue.enqueue(new Job("R2", "test"));

        assertThatThrownBy(() -> router.handle(from(ALICE, CHANNEL, "test demo main")))
                .isInstanceOf(LimitReachedException.class)
                .hasMessage("Quorum's work queue is full (2 jobs); nothing was done. Try again in a minute or two; `status` shows what is running.")
                .satisfies(e -> assertThat(((LimitReachedException) e).retryAfter()).isEqualTo(Duration.ofMinutes(1)));
        assertThat(chat.said().getLast().reply().text()).startsWith("Quorum's work queue is full");
        router.handle(from(ALICE, CHANNEL, "approve R1"));
        router.handle(from(ALICE, CHANNEL, "cancel R2"));
        router.handle(from(ALICE, CHANNEL, "status"));
        assertThat(ran).hasValue(4);

        queue.take("w1", 1, Duration.ofMillis(100)).forEach(queue::ack);
        router.handle(from(ALICE, CHANNEL, "test"));
        assertThat(ran).hasValue(5);
    }

    @Test
    void zeroTurnsTheLimitsOffAndWritesNothing() {
        CommandRouter router = router(redis, 0, 0);
        for (int i = 0; i < 30; i++) router.handle(from(ALICE, CHANNEL, "status"));

        assertThat(ran).hasValue(30);
        assertThat(redis.sync().keys("{q}:limit:*")).isEmpty();
    }

    @Test
    void aSubmissionTheExactCapRefusesAfterTheEarlyCheckLetItThroughGetsTheSameReplyAndOpensNothing(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path data) throws Exception {
        var clock = java.time.Clock.systemUTC();
        WorkQueue queue = new WorkQueue(redis);
        var requests = new dev.quorum.request.Requests(new dev.quorum.request.RequestStore(redis),
                dev.quorum.audit.AuditLog.open(redis, clock, data), queue, clock, 1);
        Messenger messenger = new Messenger();
        messenger.register(chat);
        var progress = new dev.quorum.request.RequestProgress(messenger, requests.store(), new dev.quorum.conversation.Links("http://localhost"));
        CommandHandler<Command.Test> submits = new CommandHandler<>() {
            @Override
            public Class<Command.Test> handles() {
                return Command.Test.class;
            }

            @Override
            public void handle(Command.Test cmd, CommandContext ctx) {
                ctx.opened(requests.submit(new dev.quorum.request.Submission(dev.quorum.request.RequestType.TEST, ctx.message(),
                        ctx.message().text(), null, java.util.Map.of(), "test", "queued"), progress).id());
            }
        };
        // the early check reads an empty queue, as an instance does that another one beats to the last place
        CommandRouter router = new CommandRouter(new CommandParser(Set.of("demo")), messenger, List.of(submits),
                new CommandLimits(redis, new LimitsConfig(0, 0, 1), () -> 0));

        assertThat(router.handle(from(ALICE, CHANNEL, "test"))).contains("R1");
        assertThatThrownBy(() -> router.handle(from(BOB, CHANNEL, "test")))
                .isInstanceOf(LimitReachedException.class)
                .hasMessage("Quorum's work queue is full (1 jobs); nothing was done. Try again in a minute or two; `status` shows what is running.");
        RecordingAdapter.Said told = chat.said().getLast();
        assertThat(told.how()).isEqualTo("whisper");
        assertThat(told.to()).isEqualTo(BOB);
        assertThat(told.reply().text()).startsWith("Quorum's work queue is full (1 jobs); nothing was done.");
        assertThat(queue.depth()).isEqualTo(1);
        assertThat(requests.find("R2")).isEmpty();
    }
}
