package dev.quorum.attack;

import dev.quorum.chat.slack.FakeSlack;
import dev.quorum.chat.slack.SlackSender;
import dev.quorum.chat.slack.SlackSender.Body;
import dev.quorum.testing.QuorumHarness;
import dev.quorum.testing.TestRedis;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Generated Slack payloads against a running Quorum's {@code POST /slack/events} (Bolt on Quorum's HTTP server, the
 * Web API played by {@link FakeSlack} on 127.0.0.1): Events API callbacks (mentions, channel messages, DMs, events of
 * odd shapes), {@code block_actions} clicks and slash commands, with generated text, users, action ids and values.
 *
 * <p>Signed correctly, none brings a 5xx or exception text, in the HTTP answer or in any reply Quorum posts to Slack.
 * Forged or mutated (unsigned, a wrong secret, an altered body, a stale or garbled timestamp, and bodies
 * signed correctly but cut short), each is refused with a 4xx and changes nothing in Redis: no request, no audit
 * entry, no freeze, no event marked seen.
 */
class SlackPayloadFuzzTest {
    private static final String YAML = """
            console: {demo: true, users: {alice: {}}}
            groups: {engineers: [slack:UALICE, slack:UBOB], oncall: [slack:UDAVE]}
            limits: {user_per_minute: 0, channel_per_minute: 0}
            """;
    private static final List<String> EXCEPTION_TEXT = List.of("Exception", "\tat ", "java.", "dev.quorum.", "io.vertx",
            "com.slack", "error E");
    private static FakeSlack slack;
    private static QuorumHarness q;
    private static SlackSender sender;
    private static boolean quiet;

    @BeforeContainer
    static void start() throws Exception {
        TestRedis.flush();
        slack = new FakeSlack();
        q = QuorumHarness.start(Files.createTempDirectory("quorum-slack-fuzz").resolve("data"), YAML,
                Map.of("SLACK_BOT_TOKEN", "xoxb-test-token", "SLACK_SIGNING_SECRET", SlackSender.SECRET,
                        "SLACK_API_URL", slack.apiUrl()), Clock.systemUTC());
        sender = new SlackSender(q.http(), q.url("/slack/events"), SlackSender.SECRET);
    }

    @AfterContainer
    static void stop() throws Exception {
        try {
            settle();
            assertThat(slack.calls()).as("the replies that were checked for exception text").isNotEmpty();
            noExceptionTextInAnyReply();
        } finally {
            if (q != null) q.close();
            if (slack != null) slack.close();
        }
    }

    @Property(tries = 200)
    void aSignedPayloadNeverBringsA5xxOrExceptionText(@ForAll("payloads") Body body) throws Exception {
        HttpResponse<String> res = sender.send(body);
        Statistics.label("status").collect(res.statusCode());
        // accepted and refused payloads must both occur, or the property proves less than it says
        Statistics.label("status").coverage(c -> {
            c.check(200).count(n -> n > 0);
            c.check(400).count(n -> n > 0);
        });
        assertThat(res.statusCode()).as(body.text()).isLessThan(500);
        assertThat(res.body()).doesNotContain(EXCEPTION_TEXT);
        noExceptionTextInAnyReply();
    }

    /** What the fuzzing found: Bolt reads an event's fields only while it dispatches, and a wrong type was a 500. */
    @Example
    void aSignedEventWithAFieldOfTheWrongTypeIsA400NotA500() throws Exception {
        Body arrayThread = SlackSender.eventCallback("EvArrayThread", new JsonObject().put("type", "app_mention")
                .put("user", "UALICE").put("text", "status").put("ts", "1.000100").put("channel", SlackSender.CHANNEL)
                .put("thread_ts", new JsonArray().add("x")));
        HttpResponse<String> res = sender.send(arrayThread);
        assertThat(res.statusCode()).isEqualTo(400);
        assertThat(res.body()).isEqualTo("Invalid Request");
    }

    /**
     * How a payload is spoiled after it was built. Not here: a correct signature over a timestamp minutes in the
     * future, which Bolt accepts (it refuses only the past side of its 5-minute window); only the secret's holder can
     * make one.
     */
    enum Mutation { UNSIGNED, WRONG_SECRET, GARBAGE_SIGNATURE, BODY_ALTERED, STALE, GARBLED_TIMESTAMP, CUT_SHORT_SIGNED }

    @Property(tries = 200)
    void aForgedOrMutatedPayloadIsRefusedAndChangesNothing(@ForAll("payloads") Body body, @ForAll Mutation mutation,
                                                           @ForAll("cuts") double cut) throws Exception {
        if (!quiet) { // the work of accepted payloads (the other property) is done before anything is compared
            settle();
            quiet = true;
        }
        RedisClusterCommands<String, String> redis = q.quorum().redis().sync();
        List<Object> before = snapshot(redis);

        HttpResponse<String> res = q.http().send(spoil(body, mutation, cut), HttpResponse.BodyHandlers.ofString());

        Statistics.label("mutation").collect(mutation);
        assertThat(res.statusCode()).as(mutation + ": " + body.text()).isBetween(400, 499);
        assertThat(res.body()).doesNotContain(EXCEPTION_TEXT);
        assertThat(snapshot(redis)).as("a refused payload (%s) writes nothing", mutation).isEqualTo(before);
    }

    private static HttpRequest spoil(Body body, Mutation mutation, double cut) {
        long now = Instant.now().getEpochSecond();
        String text = body.text();
        String ts = Long.toString(now);
        String signature = SlackSender.sign(SlackSender.SECRET, ts, text);
        switch (mutation) {
            case UNSIGNED -> signature = null;
            case WRONG_SECRET -> signature = SlackSender.sign("not-the-" + SlackSender.SECRET, ts, text);
            case GARBAGE_SIGNATURE -> signature = "v0=" + "0".repeat(64);
            case BODY_ALTERED -> text = text.replaceFirst("U[A-Z]+", "UMALLORY") + " ";
            case STALE -> {
                ts = Long.toString(now - 6 * 60);
                signature = SlackSender.sign(SlackSender.SECRET, ts, text);
            }
            case GARBLED_TIMESTAMP -> {
                ts = "1e9; " + now;
                signature = SlackSender.sign(SlackSender.SECRET, ts, text);
            }
            case CUT_SHORT_SIGNED -> {
                boolean json = body.contentType().startsWith("application/json");
                if (!json && !(text.startsWith("payload=") && text.length() > "payload=".length() + 1)) {
                    return spoil(body, Mutation.BODY_ALTERED, cut); // a cut slash command is still a well-formed form
                }
                // a proper prefix of a JSON object (or of a form's url-encoded JSON payload) is never valid JSON
                int from = json ? 1 : "payload=".length() + 1;
                text = body.text().substring(0, from + (int) (cut * (body.text().length() - from - 1)));
                signature = SlackSender.sign(SlackSender.SECRET, ts, text);
            }
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(q.url("/slack/events"))).header("Content-Type", body.contentType())
                .POST(HttpRequest.BodyPublishers.ofString(text));
        if (signature != null) b.header("X-Slack-Request-Timestamp", ts).header("X-Slack-Signature", signature);
        return b.build();
    }

    /** {@link StoreSnapshot}, and the events marked seen (a refused event must not use up its id). */
    private static List<Object> snapshot(RedisClusterCommands<String, String> redis) {
        List<Object> all = new ArrayList<>(StoreSnapshot.of(redis));
        long seen = 0;
        for (ScanIterator<String> keys = ScanIterator.scan(redis, ScanArgs.Builder.matches("{q}:conv:seen:*").limit(500)); keys.hasNext(); keys.next()) {
            seen++;
        }
        all.add(seen);
        return all;
    }

    /** Waits until Quorum has posted what accepted payloads asked for: no Web API call for 200 ms (at most 10 s). */
    private static void settle() throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        int calls = -1;
        while (calls != slack.calls().size() && System.nanoTime() < deadline) {
            calls = slack.calls().size();
            Thread.sleep(200);
        }
    }

    private static void noExceptionTextInAnyReply() {
        for (FakeSlack.Call c : slack.calls()) {
            assertThat(c.params().toString()).as("a %s call", c.method()).doesNotContain(EXCEPTION_TEXT);
        }
    }

    @Provide
    Arbitrary<Double> cuts() {
        return Arbitraries.doubles().between(0, 1);
    }

    @Provide
    Arbitrary<Body> payloads() {
        Arbitrary<String> words = Arbitraries.of("status", "freeze", "unfreeze", "approve", "reject", "help", "history", "policy",
                "cancel", "rerun", "test", "merge", "deploy", "R1", "R0", "R99999999999999999999", "-1", "<@UQUORUM>", "<!channel>",
                "<script>", "\"", "\\", "`", "\u0000", "\u202e", "🙂", "\n", "   ", "%s", "${jndi:ldap://x}", "&amp;");
        Arbitrary<String> text = Arbitraries.oneOf(words.list().ofMaxSize(6).map(w -> String.join(" ", w)),
                Arbitraries.strings().ofMaxLength(300));
        Arbitrary<String> user = Arbitraries.of("UALICE", "UBOB", "UDAVE", "UEVE", "", "U" + "X".repeat(300), "W0ENTERPRISE");
        Arbitrary<String> ts = Arbitraries.longs().between(0, 9_999_999_999L).map(s -> s + ".000100");
        Arbitrary<String> thread = Arbitraries.oneOf(ts, Arbitraries.just(null));
        Arbitrary<String> eventId = Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(20).map(s -> "Ev" + s);
        Arbitrary<String> trigger = Arbitraries.strings().alpha().ofMaxLength(12);
        Arbitrary<String> actionId = Arbitraries.oneOf(Arbitraries.of("quorum:0:approve R1", "quorum:1:reject R1", "quorum:", "quorum:x:y",
                "other", ""), text.map(t -> "quorum:0:" + t));

        Arbitrary<Body> mention = Combinators.combine(eventId, user, text, ts, thread).as((e, u, t, s, th) -> SlackSender.mention(e, u, t, s, th));
        Arbitrary<Body> message = Combinators.combine(eventId, user, text, ts, thread).as((e, u, t, s, th) -> SlackSender.message(e, u, t, s, th));
        Arbitrary<Body> direct = Combinators.combine(eventId, user, text, ts).as(SlackSender::directMessage);
        Arbitrary<Body> slash = Combinators.combine(user, text, text, trigger).as(SlackSender::slashCommand);
        Arbitrary<Body> click = Combinators.combine(user, ts, thread, actionId, text, trigger)
                .as((u, s, th, a, v, tr) -> SlackSender.click(u, u, s, th, a, v, tr));
        Arbitrary<Body> oddEvent = Combinators.combine(eventId, oddEvents(text)).as(SlackSender::eventCallback);
        Arbitrary<Body> oddShape = Arbitraries.of("{}", "[]", "null", "{\"type\":\"event_callback\"}", "{\"type\":\"event_callback\",\"event\":7}",
                "{\"type\":\"block_actions\"}", "{\"type\":\"url_verification\"}", "{\"type\":\"url_verification\",\"challenge\":{}}",
                "{\"type\":\"app_rate_limited\"}", "{\"type\":17}").map(j -> new Body("application/json", j));
        Arbitrary<Body> oddForm = Arbitraries.of("payload=", "payload=%7B%7D", "payload=null", "payload=%5B%5D", "command=%2Fquorum",
                "payload=%7B%22type%22%3A%22block_actions%22%2C%22actions%22%3A7%7D", "a=b&a=c").map(f -> new Body("application/x-www-form-urlencoded", f));
        return Arbitraries.frequencyOf(Tuple.of(3, mention), Tuple.of(2, message), Tuple.of(1, direct), Tuple.of(2, slash),
                Tuple.of(3, click), Tuple.of(2, oddEvent), Tuple.of(1, oddShape), Tuple.of(1, oddForm));
    }

    /** Events whose fields have the wrong types or are missing, as a buggy or hostile sender would make them. */
    private static Arbitrary<JsonObject> oddEvents(Arbitrary<String> text) {
        Arbitrary<Object> value = Arbitraries.oneOf(text.map(t -> (Object) t), Arbitraries.integers().map(i -> (Object) i),
                Arbitraries.just((Object) new JsonArray().add("x")), Arbitraries.just((Object) new JsonObject().put("a", 1)));
        Arbitrary<String> field = Arbitraries.of("type", "user", "text", "ts", "channel", "thread_ts", "channel_type", "bot_id", "subtype",
                "event_ts", "blocks", "files");
        return Combinators.combine(field.list().ofMaxSize(8), value.list().ofSize(8), Arbitraries.of("app_mention", "message", "reaction_added", "x"))
                .as((fields, values, type) -> {
                    JsonObject event = new JsonObject().put("type", type);
                    for (int i = 0; i < fields.size(); i++) event.put(fields.get(i), values.get(i));
                    return event;
                });
    }
}
