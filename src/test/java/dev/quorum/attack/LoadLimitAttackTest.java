package dev.quorum.attack;

import dev.quorum.command.CommandLimits;
import dev.quorum.command.CommandParser;
import dev.quorum.command.CommandRouter;
import dev.quorum.config.LimitsConfig;
import dev.quorum.conversation.Conversation;
import dev.quorum.conversation.Identity;
import dev.quorum.conversation.IncomingMessage;
import dev.quorum.conversation.LimitReachedException;
import dev.quorum.conversation.Messenger;
import dev.quorum.store.Redis;
import dev.quorum.testing.RecordingAdapter;
import dev.quorum.testing.TestRedis;
import dev.quorum.testing.QuorumHarness;
import dev.quorum.testing.QuorumHarness.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Attacks on the load limits: a burst raced over two instances, a forged identity, the console's edge. */
class LoadLimitAttackTest {
    private static final Conversation CHANNEL = new Conversation("chat", "C1", null);

    @TempDir
    Path dir;

    @Test
    void aBurstRacedOverTwoInstancesGetsExactlyTheLimitThrough() throws Exception {
        TestRedis.flush();
        try (Redis a = Redis.connect(TestRedis.uri()); Redis b = Redis.connect(TestRedis.uri());
             ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<CommandRouter> instances = List.of(router(a), router(b));
            AtomicInteger refused = new AtomicInteger();
            CountDownLatch go = new CountDownLatch(1);
            List<CompletableFuture<Void>> all = new ArrayList<>();
            Identity mallory = new Identity("chat", "MALLORY");
            for (int i = 0; i < 60; i++) {
                CommandRouter r = instances.get(i % 2);
                all.add(CompletableFuture.runAsync(() -> {
                    try {
                        go.await();
                        r.handle(new IncomingMessage(mallory, "m", CHANNEL, "help", false, null, true, Set.of(), null));
                    } catch (LimitReachedException e) {
                        refused.incrementAndGet();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }, pool));
            }
            go.countDown();
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();

            assertThat(refused).as("60 tries, a limit of 5: 55 refused, on both instances together").hasValue(55);
        }
    }

    @Test
    void anIdentityThatLooksLikeAnotherKeyDoesNotSpendSomeoneElsesCount() throws Exception {
        TestRedis.flush();
        try (Redis r = Redis.connect(TestRedis.uri())) {
            CommandRouter router = router(r);
            // ids are the platform's; one shaped like the key of a channel's count stays its own
            Identity forged = new Identity("chat", "X");
            for (int i = 0; i < 5; i++) {
                router.handle(new IncomingMessage(forged, "x", new Conversation("chat", "u:chat:VICTIM", null), "help",
                        false, null, true, Set.of(), null));
            }
            Identity victim = new Identity("chat", "VICTIM");
            router.handle(new IncomingMessage(victim, "v", CHANNEL, "help", false, null, true, Set.of(), null));
            assertThat(r.sync().get("{q}:limit:u:chat:VICTIM")).isEqualTo("1");
        }
    }

    @Test
    void theConsoleAnswersTheLimitWith429AndRetryAfterAndRecordsNothingOfTheRefusedCommand() throws Exception {
        TestRedis.flush();
        String yaml = QuorumHarness.bundledConfigText() + "\nlimits: {user_per_minute: 2, channel_per_minute: 0}\n";
        try (QuorumHarness q = QuorumHarness.start(dir.resolve("data"), yaml, Map.of(), Clock.systemUTC())) {
            assertThat(q.say("alice", "status").status()).isEqualTo(202);
            assertThat(q.say("alice", "help").status()).isEqualTo(202);
            long logBefore = q.quorum().redis().sync().xlen("{q}:console:log");

            HttpResponse<String> res = q.http().send(HttpRequest.newBuilder(URI.create(q.url("/api/console/messages")))
                    .header("X-Quorum-User", "alice").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"text\": \"freeze\"}")).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(res.statusCode()).isEqualTo(429);
            assertThat(res.headers().firstValue("Retry-After")).hasValueSatisfying(s -> assertThat(Integer.parseInt(s)).isBetween(1, 60));
            assertThat(res.body()).matches("\\{\"error\":\"You have reached the limit of 2 commands a minute; nothing was done\\. Try again in \\d+ s\\.\"}");
            assertThat(q.quorum().redis().sync().get("{q}:freeze")).isNull();
            assertThat(q.quorum().redis().sync().xlen("{q}:console:log")).as("the member's text and the whisper to them only")
                    .isEqualTo(logBefore + 2);
            Response bob = q.say("bob", "status");
            assertThat(bob.status()).isEqualTo(202);
        }
    }

    private static CommandRouter router(Redis on) {
        Messenger messenger = new Messenger();
        messenger.register(new RecordingAdapter("chat"));
        return new CommandRouter(new CommandParser(Set.of("demo")), messenger, List.of(), new CommandLimits(on, new LimitsConfig(5, 0), () -> 0));
    }
}
