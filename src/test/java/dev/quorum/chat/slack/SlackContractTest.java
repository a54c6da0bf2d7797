package dev.quorum.chat.slack;

import dev.quorum.chat.slack.FakeSlack.Call;
import dev.quorum.conversation.ChatAdapterContract;
import dev.quorum.conversation.Conversation;
import dev.quorum.conversation.ReplyFitter;
import dev.quorum.testing.QuorumHarness;
import io.vertx.core.json.JsonObject;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.quorum.chat.slack.SlackSender.CHANNEL;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Slack passes the adapter contract: signed events, slash commands and clicks into the real Bolt
 * code over HTTP, and what Quorum said read back from {@link FakeSlack}'s Web API calls. A place
 * is {@code channel/thread_ts} (or the channel alone for a top-level message).
 */
class SlackContractTest extends ChatAdapterContract {
    private static final AtomicInteger SEQ = new AtomicInteger();
    private FakeSlack slack;
    private SlackSender sender;

    @Override
    protected Map<String, String> startPlatform() throws Exception {
        slack = new FakeSlack();
        return SlackEndToEndTest.env(slack);
    }

    @Override
    protected void stopPlatform() throws Exception {
        if (slack != null) slack.close();
    }

    @Override
    protected void connected(QuorumHarness quorum) {
        sender = new SlackSender(quorum.http(), quorum.url("/slack/events"), SlackSender.SECRET);
    }

    @Override
    protected String identity(String member) {
        return "slack:" + userId(member);
    }

    private static String userId(String member) {
        return "U" + member.toUpperCase(Locale.ROOT);
    }

    @Override
    protected String say(String member, String command) throws Exception {
        String ts = nextTs();
        ack(sender.send(SlackSender.mention("EvContract" + ts, userId(member), "<@UQUORUM> " + command, ts, null)));
        return CHANNEL + "/" + ts;
    }

    @Override
    protected void click(String member, Seen card, String command) throws Exception {
        int slash = card.place().indexOf('/');
        String thread = slash < 0 ? null : card.place().substring(slash + 1);
        int index = card.buttons().indexOf(command);
        assertThat(index).as("a button for " + command).isNotNegative();
        ack(sender.send(SlackSender.click(userId(member), member, card.messageId(), thread, "quorum:" + index + ":" + command,
                command, "trig-" + nextTs())));
    }

    /** Slack's retry: the same event (same {@code event_id}) again, as {@code X-Slack-Retry-Num} says. */
    @Override
    protected String sayTwice(String member, String command) throws Exception {
        String ts = nextTs();
        SlackSender.Body once = SlackSender.mention("EvTwice" + ts, userId(member), "<@UQUORUM> " + command, ts, null);
        ack(sender.send(once));
        ack(sender.send(once, Map.of("X-Slack-Retry-Num", "1", "X-Slack-Retry-Reason", "http_timeout")));
        return CHANNEL + "/" + ts;
    }

    /** Another app mentions Quorum, and talks in a thread Quorum takes part in. */
    @Override
    protected void sayAsBot(String command) throws Exception {
        String thread = nextTs();
        ack(sender.send(SlackSender.mention("EvStart" + thread, userId("alice"), "<@UQUORUM> help", thread, null)));
        slack.await("chat.postMessage", c -> thread.equals(c.param("thread_ts")), WAIT);
        String ts = nextTs();
        JsonObject botMention = new JsonObject().put("type", "app_mention").put("user", "U0OTHERBOT").put("bot_id", "B0OTHER")
                .put("text", "<@UQUORUM> " + command).put("ts", ts).put("channel", CHANNEL).put("event_ts", ts);
        ack(sender.send(SlackSender.eventCallback("EvBotMention" + ts, botMention)));
        ack(sender.send(SlackSender.botMessage("EvBotChat" + ts, "U0OTHERBOT", "B0OTHER", command, nextTs(), thread)));
        ack(sender.send(SlackSender.botMessage("EvSelfChat" + ts, FakeSlack.BOT_USER, FakeSlack.BOT_ID, command, nextTs(), thread)));
    }

    @Override
    protected List<Seen> seen() {
        List<Seen> out = new ArrayList<>();
        for (Call c : slack.calls()) {
            if (c.status() != 200) continue;
            switch (c.method()) {
                case "chat.postMessage" -> out.add(seen(How.POSTED, slack.tsOf(c), place(c.param("channel"), c.param("thread_ts")), null, c));
                case "chat.update" -> out.add(seen(How.EDITED, c.param("ts"), placeOfPost(c.param("channel"), c.param("ts")), null, c));
                case "chat.postEphemeral" -> out.add(seen(How.WHISPERED, "ephemeral", place(c.param("channel"), c.param("thread_ts")),
                        "slack:" + c.param("user"), c));
                default -> { } // reactions, auth.test, users.info: not something Quorum said
            }
        }
        return out;
    }

    private static Seen seen(How how, String messageId, String place, String to, Call c) {
        List<String> parts = new ArrayList<>();
        List<String> text = new ArrayList<>();
        List<String> buttons = new ArrayList<>();
        for (Object o : c.blocks()) {
            JsonObject block = (JsonObject) o;
            switch (block.getString("type")) {
                case "section" -> {
                    if (block.getJsonObject("text") != null) {
                        parts.add(block.getJsonObject("text").getString("text"));
                        text.add(block.getJsonObject("text").getString("text"));
                    }
                    if (block.getJsonArray("fields") != null) block.getJsonArray("fields").forEach(f -> text.add(((JsonObject) f).getString("text")));
                }
                case "context" -> block.getJsonArray("elements").forEach(e -> text.add(((JsonObject) e).getString("text")));
                case "actions" -> block.getJsonArray("elements").forEach(e -> buttons.add(((JsonObject) e).getString("value")));
                default -> text.add(block.encode());
            }
        }
        return new Seen(how, messageId, place, to, parts, String.join("\n", text), buttons);
    }

    private static String place(String channel, String thread) {
        return thread == null ? channel : channel + "/" + thread;
    }

    /** An edit names only the message; it is where that message was posted. */
    private String placeOfPost(String channel, String ts) {
        return slack.calls("chat.postMessage").stream().filter(p -> ts.equals(slack.tsOf(p))).findFirst()
                .map(p -> place(p.param("channel"), p.param("thread_ts"))).orElse(channel);
    }

    @Override
    protected Conversation conversation(String place) {
        int slash = place.indexOf('/');
        return slash < 0 ? new Conversation(SlackAdapter.NAME, place, null)
                : new Conversation(SlackAdapter.NAME, place.substring(0, slash), place.substring(slash + 1));
    }

    @Override
    protected ReplyFitter.Limits limits() {
        return BlockKitRenderer.LIMITS;
    }

    private static String nextTs() {
        return "1700002000." + String.format("%06d", SEQ.incrementAndGet());
    }

    private static void ack(HttpResponse<String> response) {
        assertThat(response.statusCode()).as("Slack's delivery is acknowledged").isEqualTo(200);
    }
}
