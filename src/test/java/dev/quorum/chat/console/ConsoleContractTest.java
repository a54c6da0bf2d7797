package dev.quorum.chat.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quorum.conversation.ChatAdapterContract;
import dev.quorum.conversation.Conversation;
import dev.quorum.conversation.Identity;
import dev.quorum.conversation.InboundPipeline;
import dev.quorum.conversation.InboundPipeline.Delivery;
import dev.quorum.conversation.ReplyFitter;
import dev.quorum.testing.QuorumHarness;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console passes the adapter contract: members type into {@code POST /api/console/messages}
 * and read the room's log (what every browser is sent). The console is its own platform: it never
 * delivers a message twice and has no bots, so those two cases hand a console delivery with a
 * delivery id, or from a bot, to the running Quorum's pipeline, where any such delivery would go.
 */
class ConsoleContractTest extends ChatAdapterContract {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ROOM = ConsoleAdapter.ROOM.channel();
    private ConsoleAdapter console;

    @Override
    protected Map<String, String> startPlatform() {
        return Map.of();
    }

    @Override
    protected void stopPlatform() {}

    @Override
    protected void connected(QuorumHarness quorum) {
        console = (ConsoleAdapter) quorum.quorum().messenger().adapters().stream()
                .filter(a -> a.name().equals(ConsoleAdapter.NAME)).findFirst().orElseThrow();
    }

    @Override
    protected String identity(String member) {
        return "console:" + member;
    }

    @Override
    protected String say(String member, String command) throws Exception {
        assertThat(q.say(member, command).status()).isEqualTo(202);
        return ROOM;
    }

    /** The page posts a button's command as the member who clicked. */
    @Override
    protected void click(String member, Seen card, String command) throws Exception {
        assertThat(card.buttons()).contains(command);
        say(member, command);
    }

    @Override
    protected String sayTwice(String member, String command) {
        Delivery once = delivery(member, command, false);
        pipeline().handleNow(once);
        pipeline().handleNow(once);
        return ROOM;
    }

    @Override
    protected void sayAsBot(String command) {
        pipeline().handleNow(delivery("quorum-bot", command, true));
    }

    private InboundPipeline pipeline() {
        return console.pipeline();
    }

    private static Delivery delivery(String member, String command, boolean fromBot) {
        return new Delivery(ConsoleAdapter.NAME, "console-" + System.nanoTime(), Identity.console(member), member,
                ConsoleAdapter.ROOM, command, fromBot, null, InboundPipeline.Kind.DIRECT, Set.of(), null);
    }

    @Override
    protected List<Seen> seen() throws Exception {
        List<Seen> out = new ArrayList<>();
        for (ConsoleEvent e : console.since("0-0")) {
            JsonNode data = JSON.readTree(e.json());
            How how = switch (e.kind()) {
                case "reply" -> e.to() == null ? How.POSTED : How.WHISPERED;
                case "update" -> How.EDITED;
                default -> null; // a member's own message
            };
            if (how == null) continue;
            String place = data.path("channel").asText() + (data.has("thread") ? "/" + data.get("thread").asText() : "");
            StringBuilder text = new StringBuilder(data.path("text").asText());
            data.path("fields").forEach(f -> text.append('\n').append(f.path("label").asText()).append(": ").append(f.path("value").asText()));
            if (data.has("link")) text.append('\n').append(data.get("link").path("label").asText());
            List<String> buttons = new ArrayList<>();
            data.path("buttons").forEach(b -> buttons.add(b.path("command").asText()));
            String to = e.to() == null ? null : e.to().contains(":") ? e.to() : "console:" + e.to();
            out.add(new Seen(how, data.path("message_id").asText(), place, to, List.of(data.path("text").asText()),
                    text.toString(), buttons));
        }
        return out;
    }

    @Override
    protected Conversation conversation(String place) {
        return ConsoleAdapter.ROOM;
    }

    @Override
    protected ReplyFitter.Limits limits() {
        return ReplyFitter.Limits.NONE;
    }
}
