package dev.quorum.chat.discord;

import dev.quorum.conversation.ChatAdapterContract;
import dev.quorum.conversation.Conversation;
import dev.quorum.conversation.ReplyFitter;
import dev.quorum.testing.QuorumHarness;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The chat adapter contract, played on {@link FakeDiscord} with the real JDA: members mention Quorum
 * in {@code #general} (replies belong in the thread started from the mention), click its buttons, and
 * what Quorum said is read back from the REST calls it made. A place is {@code <channel>/<thread>}.
 */
class DiscordContractTest extends ChatAdapterContract {
    private static final Pattern POST = Pattern.compile("channels/(\\d+)/messages");
    private static final Pattern PATCH = Pattern.compile("channels/(\\d+)/messages/(\\d+)");
    private static final Pattern FOLLOW_UP = Pattern.compile("webhooks/\\d+/([^/]+)");
    private FakeDiscord discord;
    private final Map<String, FakeDiscord.User> members = new HashMap<>();
    /** Interaction token to the member who clicked, to tell whom a follow-up was shown to. */
    private final Map<String, FakeDiscord.User> clickers = new ConcurrentHashMap<>();

    @Override
    protected Map<String, String> startPlatform() throws Exception {
        discord = new FakeDiscord();
        for (String m : List.of("alice", "bob", "carol")) members.put(m, discord.user(m));
        return DiscordEndToEndTest.env(discord);
    }

    @Override
    protected void connected(QuorumHarness quorum) {
        discord.awaitLiveSessions(1, WAIT);
    }

    @Override
    protected String identity(String member) {
        return "discord:" + members.get(member).idString();
    }

    @Override
    protected String say(String member, String command) {
        JsonObject m = discord.dispatchMessageCreate(discord.general(), members.get(member), discord.bot().mention() + " " + command);
        return discord.general() + "/" + m.getString("id");
    }

    @Override
    protected void click(String member, Seen card, String command) {
        long channel = Long.parseLong(card.place().split("/", -1)[1]);
        JsonObject message = discord.message(channel, Long.parseLong(card.messageId())).orElseThrow();
        for (Object row : message.getJsonArray("components", new JsonArray())) {
            for (Object b : ((JsonObject) row).getJsonArray("components")) {
                String id = ((JsonObject) b).getString("custom_id");
                if (command.equals(commandOf(id))) {
                    FakeInteraction click = discord.dispatchButton(channel, members.get(member), Long.parseLong(card.messageId()), id);
                    clickers.put(click.token(), members.get(member));
                    return;
                }
            }
        }
        throw new AssertionError("no button for " + command + " on " + message);
    }

    /** The same MESSAGE_CREATE sent again by the fake's gateway, as Discord does when it replays a dispatch. */
    @Override
    protected String sayTwice(String member, String command) throws Exception {
        JsonObject m = discord.dispatchMessageCreate(discord.general(), members.get(member), discord.bot().mention() + " " + command);
        discord.redeliverMessage(discord.general(), m);
        return discord.general() + "/" + m.getString("id");
    }

    @Override
    protected void sayAsBot(String command) {
        discord.dispatchMessageCreate(discord.general(), discord.otherBot("robot"), discord.bot().mention() + " " + command);
    }

    @Override
    protected List<Seen> seen() {
        List<Seen> out = new ArrayList<>();
        Map<Long, Integer> postsIn = new HashMap<>();
        for (FakeDiscord.Call c : discord.calls()) {
            if (c.status() / 100 != 2 || c.body() == null) continue;
            Matcher m;
            if (c.method().equals("POST") && (m = POST.matcher(c.path())).matches()) {
                long channel = Long.parseLong(m.group(1));
                int n = postsIn.merge(channel, 1, Integer::sum);
                List<JsonObject> posted = discord.botMessages(channel);
                String id = posted.size() >= n ? posted.get(n - 1).getString("id") : "";
                out.add(seen(How.POSTED, id, place(channel), null, c.body()));
            } else if (c.method().equals("PATCH") && (m = PATCH.matcher(c.path())).matches()) {
                out.add(seen(How.EDITED, m.group(2), place(Long.parseLong(m.group(1))), null, c.body()));
            } else if (c.method().equals("POST") && (m = FOLLOW_UP.matcher(c.path())).matches()
                    && (c.body().getInteger("flags", 0) & DiscordRenderer.EPHEMERAL) != 0) {
                FakeDiscord.User to = clickers.get(m.group(1));
                out.add(seen(How.WHISPERED, "", "", to == null ? null : "discord:" + to.idString(), c.body()));
            }
        }
        return out;
    }

    private Seen seen(How how, String id, String place, String to, JsonObject body) {
        List<String> parts = new ArrayList<>();
        List<String> text = new ArrayList<>();
        parts.add(body.getString("content", ""));
        text.add(body.getString("content", ""));
        for (Object o : body.getJsonArray("embeds", new JsonArray())) {
            JsonObject e = (JsonObject) o;
            if (e.containsKey("description")) {
                parts.add(e.getString("description"));
                text.add(e.getString("description"));
            }
            if (e.containsKey("title")) text.add(e.getString("title") + " " + e.getString("url", ""));
            for (Object f : e.getJsonArray("fields", new JsonArray())) {
                text.add(((JsonObject) f).getString("name") + ": " + ((JsonObject) f).getString("value"));
            }
            if (e.containsKey("footer")) text.add(e.getJsonObject("footer").getString("text"));
        }
        List<String> buttons = new ArrayList<>();
        for (Object row : body.getJsonArray("components", new JsonArray())) {
            for (Object b : ((JsonObject) row).getJsonArray("components")) buttons.add(commandOf(((JsonObject) b).getString("custom_id")));
        }
        return new Seen(how, id, place, to, List.copyOf(parts), String.join("\n", text), List.copyOf(buttons));
    }

    /** What a button does, from its record in Redis. */
    private String commandOf(String customId) {
        String command = q.quorum().redis().sync().hget("{q}:discord:button:" + customId, "command");
        return command == null ? "" : command;
    }

    /** A thread's place is its parent channel and itself; any other channel's, the channel alone. */
    private String place(long channel) {
        return discord.threadOf(channel).map(t -> t.parentId() + "/" + channel).orElse(channel + "/");
    }

    @Override
    protected Conversation conversation(String place) {
        String[] p = place.split("/", -1);
        return new Conversation(DiscordAdapter.NAME, p[0], p[1].isEmpty() ? null : p[1]);
    }

    @Override
    protected ReplyFitter.Limits limits() {
        return DiscordRenderer.LIMITS;
    }

    @Override
    protected void stopPlatform() throws Exception {
        if (discord != null) discord.close();
    }
}
