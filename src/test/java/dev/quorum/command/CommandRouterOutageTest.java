package dev.quorum.command;

import dev.quorum.conversation.Conversation;
import dev.quorum.conversation.Identity;
import dev.quorum.conversation.InboundPipeline;
import dev.quorum.conversation.InboundPipeline.Delivery;
import dev.quorum.conversation.InboundPipeline.Kind;
import dev.quorum.conversation.Messenger;
import dev.quorum.conversation.Reply;
import dev.quorum.conversation.StoreUnreachableException;
import dev.quorum.store.Redis;
import dev.quorum.testing.KillableRedis;
import dev.quorum.testing.RecordingAdapter;
import dev.quorum.testing.RecordingAdapter.Said;
import io.lettuce.core.RedisCommandTimeoutException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.lifecycle.BeforeTry;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The pipeline and the router on a redis-server of the test's own, SIGKILLed or stalled under
 * them: while it is out of reach every command gets {@link StoreUnreachableException#LINE} and
 * nothing runs or is written; fuzzed chat text never brings an error id or exception text to a
 * member, nor a write to Redis when it is not a command.
 */
class CommandRouterOutageTest {
    private static final Conversation CHANNEL = new Conversation("chat", "C1", null);
    private static final Identity ALICE = new Identity("chat", "ALICE");
    private static final String RAN = "{q}:test:ran";
    private static KillableRedis server;
    private static Redis redis;

    private RecordingAdapter chat;
    private final AtomicInteger ran = new AtomicInteger();
    private InboundPipeline pipeline;

    @BeforeTry
    void newPipeline() {
        chat = new RecordingAdapter("chat");
        ran.set(0);
        Messenger messenger = new Messenger();
        messenger.register(chat);
        // status writes, as every real command does; freeze fails the way a command does when Redis goes mid-way
        CommandHandler<Command.Status> status = new CommandHandler<>() {
            @Override
            public Class<Command.Status> handles() {
                return Command.Status.class;
            }

            @Override
            public void handle(Command.Status cmd, CommandContext ctx) {
                ran.incrementAndGet();
                redis.sync().incr(RAN);
                ctx.reply(Reply.text("ran"));
            }
        };
        CommandHandler<Command.Freeze> midway = new CommandHandler<>() {
            @Override
            public Class<Command.Freeze> handles() {
                return Command.Freeze.class;
            }

            @Override
            public void handle(Command.Freeze cmd, CommandContext ctx) {
                ran.incrementAndGet();
                throw new RedisCommandTimeoutException("Command timed out after 10 second(s)");
            }
        };
        CommandRouter router = new CommandRouter(new CommandParser(Set.of("demo")), messenger, List.of(status, midway));
        pipeline = new InboundPipeline(redis, messenger, router);
    }

    @BeforeContainer
    static void startServer() throws Exception {
        server = new KillableRedis(Files.createTempDirectory("quorum-outage-redis")).start();
        redis = Redis.connect(server.uri());
    }

    @AfterContainer
    static void stopServer() throws Exception {
        redis.close();
        server.close();
    }

    @AfterTry
    void closePipeline() {
        pipeline.close();
    }

    @AfterProperty
    void storeBack() throws Exception {
        if (!pipeline.storeReachable()) {
            if (server.alive()) server.resume();
            else server.start();
            awaitReachable();
        }
        redis.sync().flushall();
    }

    @Example
    void aCommandWhileTheServerIsKilledIsAnsweredWithTheLineAndNotRunNorMarkedThenRunsOnceItIsBack() throws Exception {
        server.kill();

        assertThat(pipeline.offer(delivery("Ev1", "status", Kind.MENTION, CHANNEL))).as("acknowledged").isTrue();
        assertThat(awaitSaid(1)).extracting(s -> s.reply().text()).containsExactly(StoreUnreachableException.LINE);
        assertThat(chat.said().getFirst().how()).isEqualTo("whisper");
        assertThatThrownBy(() -> pipeline.handleNow(delivery(null, "status", Kind.DIRECT, CHANNEL)))
                .isInstanceOf(StoreUnreachableException.class);
        assertThat(ran).hasValue(0);

        server.start();
        awaitReachable();
        assertThat(redis.sync().exists("{q}:conv:seen:chat:Ev1")).as("no delivery mark was written").isZero();
        assertThat(pipeline.handleNow(delivery("Ev1", "status", Kind.MENTION, CHANNEL))).isEmpty();
        assertThat(ran).as("the same delivery id is taken now, and runs").hasValue(1);
        assertThat(redis.sync().get(RAN)).isEqualTo("1");
    }

    @Example
    void aStalledServerIsJudgedWithinTheProbeNotAfterLettucesTimeout() throws Exception {
        server.pause();
        long t0 = System.nanoTime();
        assertThat(pipeline.offer(delivery("Ev2", "status", Kind.COMMAND, CHANNEL))).isTrue();
        Duration took = Duration.ofNanos(System.nanoTime() - t0);

        assertThat(took).isLessThan(Duration.ofMillis(1500));
        assertThat(awaitSaid(1)).extracting(s -> s.reply().text()).containsExactly(StoreUnreachableException.LINE);
        assertThat(ran).hasValue(0);
    }

    @Example
    void inAnOutageNonCommandsGetTheirUsualAnswerAndChatterThatIsNoCommandNone() throws Exception {
        server.kill();

        pipeline.offer(delivery("Ev3", "approve", Kind.MENTION, CHANNEL));       // invalid: usage, as always
        pipeline.offer(delivery("Ev4", "hello there", Kind.THREAD_CHATTER, CHANNEL.inThread("t1")));
        pipeline.offer(delivery("Ev5", "status", Kind.THREAD_CHATTER, CHANNEL.inThread("t1")));
        assertThat(pipeline.offer(new Delivery("chat", "Ev6", ALICE, null, CHANNEL, "status", true, null, Kind.MENTION, Set.of(), null)))
                .as("a bot is never Quorum's business").isFalse();

        List<Said> said = awaitSaid(2);
        assertThat(said).extracting(s -> s.reply().text()).containsExactlyInAnyOrder(
                "Which request? Give its id, such as `R12`.\nUsage: `approve <id>`", StoreUnreachableException.LINE);
        assertThat(ran).hasValue(0);
    }

    @Example
    void redisGoingAwayMidCommandIsTheLineNotAnErrorId() {
        assertThat(pipeline.offer(delivery("Ev7", "freeze", Kind.MENTION, CHANNEL))).isTrue();
        assertThat(awaitSaid(1)).extracting(s -> s.reply().text()).containsExactly(StoreUnreachableException.LINE);

        assertThatThrownBy(() -> pipeline.handleNow(delivery(null, "freeze", Kind.DIRECT, CHANNEL)))
                .as("the console answers it with its 503").isInstanceOf(StoreUnreachableException.class);
    }

    @Property(tries = 150)
    void fuzzedTextInAnOutageGetsTheLineOrItsUsualAnswerNeverAnErrorAndNothingRuns(@ForAll("chatText") String text) throws Exception {
        if (pipeline.storeReachable()) server.kill();

        pipeline.offer(delivery("F" + text.hashCode(), text, Kind.MENTION, CHANNEL));
        pipeline.close(); // waits for the after-ack work

        assertThat(chat.said()).hasSizeLessThanOrEqualTo(1);
        for (Said s : chat.said()) assertThat(s.reply().text()).doesNotContain("error E", "Exception", "\tat ", "Redis");
        boolean command = new CommandParser(Set.of("demo")).parse(text) instanceof ParseResult.Parsed;
        if (command) assertThat(chat.said()).extracting(s -> s.reply().text()).containsExactly(StoreUnreachableException.LINE);
        assertThat(ran).hasValue(0);
    }

    @Property(tries = 200)
    void fuzzedTextThatIsNoCommandChangesNothingInRedis(@ForAll("chatText") String text) {
        if (new CommandParser(Set.of("demo")).parse(text) instanceof ParseResult.Parsed) return;
        long before = redis.sync().dbsize();

        Optional<String> opened = pipeline.handleNow(delivery(null, text, Kind.DIRECT, CHANNEL));

        assertThat(opened).isEmpty();
        assertThat(redis.sync().dbsize()).isEqualTo(before);
        assertThat(ran).hasValue(0);
        for (Said s : chat.said()) assertThat(s.reply().text()).doesNotContain("error E", "Exception", "\tat ");
    }

    @Provide
    Arbitrary<String> chatText() {
        Arbitrary<String> words = Arbitraries.of("status", "freeze", "approve", "reject", "merge", "deploy", "help", "test",
                "R1", "R99999999999999999999", "demo", "main", "--budget", "\"", "`", "<@U1>", "\u0000", "\u202e", "ü", "🙂", "\n");
        Arbitrary<String> phrases = words.list().ofMaxSize(6).map(w -> String.join(" ", w));
        return Arbitraries.oneOf(phrases, Arbitraries.strings().ofMaxLength(300), Arbitraries.strings().ascii().ofMaxLength(60))
                .filter(s -> !s.isBlank());
    }

    private static Delivery delivery(String id, String text, Kind kind, Conversation where) {
        return new Delivery("chat", id, ALICE, "Alice", where, text, false, null, kind, Set.of(), null);
    }

    private List<Said> awaitSaid(int n) {
        long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (chat.said().size() < n && System.nanoTime() < end) Thread.onSpinWait();
        pipeline.close();
        return chat.said();
    }

    private void awaitReachable() throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(40).toNanos();
        while (!pipeline.storeReachable() && System.nanoTime() < end) Thread.sleep(50);
        assertThat(pipeline.storeReachable()).as("Lettuce reconnected").isTrue();
    }
}
