package dev.quorum.chat.discord;

import dev.quorum.config.ConfigException;
import dev.quorum.store.Redis;
import dev.quorum.testing.CapturedLog;
import dev.quorum.testing.TestRedis;
import net.dv8tion.jda.api.events.message.MessageReceivedEvent;
import net.dv8tion.jda.api.hooks.ListenerAdapter;
import net.dv8tion.jda.internal.requests.WebSocketClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The gateway lease with real Redis and the real JDA against the fake Discord. */
class DiscordGatewayTest {
    /** Long enough that a holder on a loaded machine (2 cores, two test JVMs) still renews in time: a lapse would let b take over before a dies. */
    private static final Duration TTL = Duration.ofMillis(4000);
    private static final Duration RETRY = Duration.ofMillis(250);
    private static final Duration WAIT = Duration.ofSeconds(10);
    private FakeDiscord fake;
    private Redis redis;
    private final List<DiscordGateway> gateways = new ArrayList<>();
    private final List<String> received = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        fake = new FakeDiscord();
        redis = TestRedis.fresh();
    }

    @AfterEach
    void stop() throws Exception {
        gateways.forEach(DiscordGateway::stop);
        redis.close();
        fake.close();
    }

    private DiscordGateway gateway(String instance) {
        return gateway(instance, fake.token());
    }

    private DiscordGateway gateway(String instance, String token) {
        ListenerAdapter listener = new ListenerAdapter() {
            @Override
            public void onMessageReceived(MessageReceivedEvent event) {
                received.add(instance + ": " + event.getMessage().getContentRaw());
            }
        };
        DiscordGateway g = new DiscordGateway(token, URI.create(fake.apiUrl()), redis, instance, Clock.systemUTC(),
                List.of(listener), TTL, RETRY);
        gateways.add(g);
        return g;
    }

    private DiscordGateway started(String instance) {
        DiscordGateway g = gateway(instance);
        g.start();
        return g;
    }

    private static void await(String what, java.util.function.BooleanSupplier condition) {
        FakeDiscord.poll(WAIT, () -> Optional.of(true).filter(t -> condition.getAsBoolean()), () -> what);
    }

    @Test
    void twoInstancesOnOneRedisRunOneGatewaySessionAndItsListenersHearTheMessages() {
        DiscordGateway a = started("instance-a");
        DiscordGateway b = started("instance-b");
        assertThat(a.holdsSession()).isTrue();
        assertThat(a.jda()).isPresent();
        assertThat(b.holdsSession()).isFalse();
        assertThat(b.jda()).isEmpty();
        assertThat(redis.sync().get(GatewayLease.KEY)).isEqualTo("instance-a");
        // b keeps trying to take the lease (every RETRY), several times over a's renewals
        int before = b.takeAttempts();
        await("b tried to take the lease again", () -> b.takeAttempts() >= before + 4);

        assertThat(fake.identifies()).isEqualTo(1);
        assertThat(fake.liveSessions()).isEqualTo(1);
        assertThat(redis.sync().get(GatewayLease.KEY)).isEqualTo("instance-a");
        assertThat(redis.sync().pttl(GatewayLease.KEY)).isPositive();

        FakeDiscord.User alice = fake.user("alice");
        fake.dispatchMessageCreate(fake.general(), alice, "status R1");
        await("a's listener heard it", () -> received.contains("instance-a: status R1"));
        assertThat(received).containsExactly("instance-a: status R1");
    }

    @Test
    void fourInstancesStartingAtTheSameMomentOpenOneSession() throws Exception {
        List<DiscordGateway> four = List.of(gateway("i1"), gateway("i2"), gateway("i3"), gateway("i4"));
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        List<Thread> threads = four.stream().map(g -> Thread.ofVirtual().start(() -> {
            try {
                go.await();
                g.start();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        })).toList();
        go.countDown();
        for (Thread t : threads) t.join();
        assertThat(four.stream().filter(DiscordGateway::holdsSession)).hasSize(1);
        String holder = redis.sync().get(GatewayLease.KEY);
        assertThat(List.of("i1", "i2", "i3", "i4")).contains(holder);
        assertThat(fake.identifies()).isEqualTo(1);
        assertThat(fake.liveSessions()).isEqualTo(1);
    }

    @Test
    void whenTheHolderStopsAnotherInstanceTakesTheSessionOverWithinASecond() {
        DiscordGateway a = started("instance-a");
        DiscordGateway b = started("instance-b");
        long stopped = System.nanoTime();
        a.stop();
        assertThat(a.holdsSession()).isFalse();
        await("b took over", b::holdsSession);
        assertThat(Duration.ofNanos(System.nanoTime() - stopped)).isLessThan(Duration.ofSeconds(3));
        assertThat(redis.sync().get(GatewayLease.KEY)).isEqualTo("instance-b");
        await("one live session", () -> fake.liveSessions() == 1);
        assertThat(fake.identifies()).isEqualTo(2);
    }

    @Test
    void whenTheHolderDiesWithoutAWordAnotherTakesOverOnceItsLeaseRunsOut() throws Exception {
        DiscordGateway a = started("instance-a");
        DiscordGateway b = started("instance-b");
        assertThat(a.holdsSession()).as("a holds the session before it dies").isTrue();
        assertThat(b.holdsSession()).isFalse();
        long died = System.nanoTime();
        a.dieForTest();
        await("b took over", b::holdsSession);
        Duration took = Duration.ofNanos(System.nanoTime() - died);
        // not before the dead holder's lease ran out, and soon after
        assertThat(took).isBetween(TTL.minusMillis(500), TTL.plus(Duration.ofSeconds(3)));
        assertThat(redis.sync().get(GatewayLease.KEY)).isEqualTo("instance-b");
        await("b's session is live", () -> fake.liveSessions() == 1);
        FakeDiscord.User alice = fake.user("alice");
        fake.dispatchMessageCreate(fake.general(), alice, "after the takeover");
        await("b's listener heard it", () -> received.contains("instance-b: after the takeover"));
    }

    @Test
    void aHolderThatFindsItsLeaseTakenShutsItsSessionDown() {
        DiscordGateway a = gateway("instance-a");
        a.start();
        assertThat(fake.liveSessions()).isEqualTo(1);
        // as if a's lease had expired while it stalled and another instance took it
        try (CapturedLog log = CapturedLog.of(DiscordGateway.class)) {
            redis.sync().set(GatewayLease.KEY, "instance-z");
            await("a let go", () -> !a.holdsSession());
            await("a's session closed", () -> fake.liveSessions() == 0);
            assertThat(log.events()).extracting(e -> e.getFormattedMessage()).containsExactly(
                    "This instance lost the Discord gateway lease (another instance holds it now); closing its gateway session");
        }
        assertThat(redis.sync().get(GatewayLease.KEY)).isEqualTo("instance-z"); // a's release must not delete z's lease
    }

    @Test
    void aRefusedMessageContentIntentStopsStartUpWithOneLineAndLeavesTheLeaseFree() {
        fake.messageContentIntentEnabled(false);
        DiscordGateway a = gateway("instance-a");
        try (CapturedLog jdaLog = CapturedLog.of(WebSocketClient.class)) {
            assertThatThrownBy(a::start).isInstanceOf(ConfigException.class)
                    .hasMessage("config error: discord.bot_token = \"***\": Discord refused the gateway: enable "
                            + "\"Message Content Intent\" under Bot → Privileged Gateway Intents in the Discord developer portal");
            assertThat(jdaLog.events()).isNotEmpty();
        }
        assertThat(fake.closeCodesSent()).containsExactly(4014);
        assertThat(a.holdsSession()).isFalse();
        assertThat(redis.sync().exists(GatewayLease.KEY)).isZero();
    }

    @Test
    void aTokenRefusedByRestOrByTheGatewayNamesTheVariableToFix() {
        String expected = "config error: discord.bot_token = \"***\": Discord refused the token: set DISCORD_BOT_TOKEN "
                + "to the bot's token (Bot → Reset Token in the Discord developer portal)";
        assertThatThrownBy(gateway("instance-a", "not-the-token")::start).isInstanceOf(ConfigException.class).hasMessage(expected);
        assertThat(fake.calls("GET", "gateway/bot")).singleElement().satisfies(c -> assertThat(c.status()).isEqualTo(401));

        fake.refuseTokenAtGateway(true);
        try (CapturedLog jdaLog = CapturedLog.of(WebSocketClient.class)) {
            assertThatThrownBy(gateway("instance-b")::start).isInstanceOf(ConfigException.class).hasMessage(expected);
        }
        assertThat(fake.closeCodesSent()).containsExactly(4004);
        assertThat(redis.sync().exists(GatewayLease.KEY)).isZero();
    }
}
