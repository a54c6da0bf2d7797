package dev.quorum.chat.discord;

import dev.quorum.bench.Latencies;
import dev.quorum.store.Redis;
import dev.quorum.testing.TestRedis;
import io.vertx.core.json.JsonObject;
import net.dv8tion.jda.api.components.actionrow.ActionRow;
import net.dv8tion.jda.api.components.buttons.Button;
import net.dv8tion.jda.api.events.interaction.command.SlashCommandInteractionEvent;
import net.dv8tion.jda.api.events.interaction.component.ButtonInteractionEvent;
import net.dv8tion.jda.api.hooks.ListenerAdapter;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Discord interaction → deferred acknowledgement (bench/README.md, "discord"): interactions
 * dispatched by the fake Discord at a fixed rate (open loop: latency counts from when each
 * was due) to the real JDA run by {@link DiscordGateway}, whose listener defers at once as the
 * adapter's does first ({@code deferReply()} for a slash command, {@code deferEdit()} for a
 * button), until the interaction callback arrives at the fake's REST router. The floor, in the
 * same run and process: a bare WebSocket echo round trip of a frame of the same size on the
 * same fake (JDK WebSocket client), at the same rate.
 */
public final class DiscordAckBench {
    private static final int RATE = 200;
    private static final Duration WARM_UP = Duration.ofSeconds(10);
    private static final Duration MEASURE = Duration.ofSeconds(15);

    public static void main(String[] args) throws Exception {
        new DiscordAckBench().run();
    }

    /** The first thing the adapter's listener does with an interaction: acknowledge it. */
    private static final class Deferring extends ListenerAdapter {
        @Override
        public void onSlashCommandInteraction(SlashCommandInteractionEvent event) {
            event.deferReply().queue();
        }

        @Override
        public void onButtonInteraction(ButtonInteractionEvent event) {
            event.deferEdit().queue();
        }
    }

    private record Result(Latencies latencies, int sent, int failed, double perSecond) {}

    void run() throws Exception {
        try (FakeDiscord fake = new FakeDiscord(); Redis redis = TestRedis.fresh()) {
            DiscordGateway gateway = new DiscordGateway(fake.token(), URI.create(fake.apiUrl()), redis, "bench",
                    Clock.systemUTC(), List.of(new Deferring()));
            gateway.start();
            try {
                List<FakeDiscord.User> members = new ArrayList<>();
                for (int i = 0; i < 8; i++) members.add(fake.user("member" + i));
                long card = gateway.jda().orElseThrow().getTextChannelById(fake.general()).sendMessage("merge R1?")
                        .setComponents(ActionRow.of(Button.success("q:benchbenchbench", "Approve"))).complete().getIdLong();
                FakeInteraction sample = fake.dispatchButton(fake.general(), members.getFirst(), card, "q:benchbenchbench");
                sample.awaitCallback(Duration.ofSeconds(5));
                String frame = new JsonObject().put("op", 0).put("t", "INTERACTION_CREATE").put("s", 1)
                        .put("d", sample.payload()).encode();

                System.out.printf("warming up (%d s each)...%n", WARM_UP.toSeconds());
                echo(fake, frame, WARM_UP);
                interactions(fake, members, card, WARM_UP);
                Result floor = echo(fake, frame, MEASURE);
                Result quorum = interactions(fake, members, card, MEASURE);
                System.out.printf("open loop at %d/s for %d s, one JVM (the fake Discord, JDA and the load share 2 cores); "
                        + "half slash commands (deferReply), half button clicks (deferEdit); frame %d bytes%n",
                        RATE, MEASURE.toSeconds(), frame.length());
                System.out.printf("  %-44s %8s %8s %8s %8s%n", "", "sent/s", "p50 ms", "p99 ms", "failed");
                print("floor: WebSocket echo round trip", floor);
                print("interaction -> deferred ack at the fake", quorum);
                System.out.printf("  %-44s %8s %7.2fx %7.2fx%n", "ratio ack/floor", "",
                        quorum.latencies().percentileMillis(50) / floor.latencies().percentileMillis(50),
                        quorum.latencies().percentileMillis(99) / floor.latencies().percentileMillis(99));
            } finally {
                gateway.stop();
            }
        }
    }

    private static void print(String name, Result r) {
        System.out.printf("  %-44s %8.0f %8.2f %8.2f %8d%n", name, r.perSecond(), r.latencies().percentileMillis(50),
                r.latencies().percentileMillis(99), r.failed());
    }

    private record Sent(FakeInteraction interaction, long due) {}

    private static Result interactions(FakeDiscord fake, List<FakeDiscord.User> members, long card, Duration duration) {
        int n = (int) (RATE * duration.toSeconds());
        long interval = TimeUnit.SECONDS.toNanos(1) / RATE;
        List<Sent> sent = new ArrayList<>(n);
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            long due = start + i * interval;
            waitUntil(due);
            FakeDiscord.User who = members.get(i % members.size());
            FakeInteraction it = i % 2 == 0
                    ? fake.dispatchSlashCommand(fake.general(), who, "quorum", FakeDiscord.stringOption("command", "status R" + i))
                    : fake.dispatchButton(fake.general(), who, card, "q:benchbenchbench");
            sent.add(new Sent(it, due));
        }
        double perSecond = n / ((System.nanoTime() - start) / 1e9);
        Latencies latencies = new Latencies();
        int failed = 0;
        long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        for (Sent s : sent) {
            try {
                long left = Math.max(1, end - System.nanoTime());
                FakeDiscord.Call callback = s.interaction().callback.get(left, TimeUnit.NANOSECONDS);
                latencies.add(callback.nanos() - s.due());
            } catch (Exception e) {
                failed++;
            }
        }
        return new Result(latencies, n, failed, perSecond);
    }

    /** Sends {@code frame} to the fake's /echo at RATE per second, timing each echo from when its send was due. */
    private static Result echo(FakeDiscord fake, String frame, Duration duration) throws Exception {
        int n = (int) (RATE * duration.toSeconds());
        long interval = TimeUnit.SECONDS.toNanos(1) / RATE;
        Queue<Long> dues = new ConcurrentLinkedQueue<>();
        Latencies latencies = new Latencies();
        CompletableFuture<Void> all = new CompletableFuture<>();
        WebSocket.Listener listener = new WebSocket.Listener() {
            private final StringBuilder partial = new StringBuilder();
            private int received;

            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    long due = dues.remove();
                    synchronized (latencies) {
                        latencies.add(System.nanoTime() - due);
                    }
                    partial.setLength(0);
                    if (++received == n) all.complete(null);
                }
                ws.request(1);
                return null;
            }
        };
        try (HttpClient client = HttpClient.newHttpClient()) {
            WebSocket ws = client.newWebSocketBuilder().buildAsync(URI.create(fake.echoUrl()), listener).get(10, TimeUnit.SECONDS);
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                long due = start + i * interval;
                waitUntil(due);
                dues.add(due);
                ws.sendText(frame, true).get(5, TimeUnit.SECONDS);
            }
            double perSecond = n / ((System.nanoTime() - start) / 1e9);
            int failed = 0;
            try {
                all.get(5, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                failed = dues.size();
            }
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);
            synchronized (latencies) {
                return new Result(latencies, n, failed, perSecond);
            }
        }
    }

    private static void waitUntil(long due) {
        long wait;
        while ((wait = due - System.nanoTime()) > 0) LockSupport.parkNanos(wait);
    }
}
