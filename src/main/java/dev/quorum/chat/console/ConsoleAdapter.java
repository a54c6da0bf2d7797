package dev.quorum.chat.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quorum.conversation.ChatAdapter;
import dev.quorum.conversation.Conversation;
import dev.quorum.conversation.InboundPipeline;
import dev.quorum.conversation.IncomingMessage;
import dev.quorum.conversation.PostedMessage;
import dev.quorum.conversation.Reply;
import dev.quorum.conversation.ReplyFitter;
import dev.quorum.store.Redis;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import dev.quorum.store.LuaScript;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The built-in web console as a chat platform: one shared room whose log is a capped Redis
 * stream, fanned out to every Quorum instance by pub/sub, so a reply posted by a worker on one
 * instance reaches browsers connected to another. HTTP lives in {@link ConsoleRoutes}; this
 * class knows no Vert.x. Thread-safe.
 */
public final class ConsoleAdapter implements ChatAdapter {
    public static final String NAME = "console";
    /** The console's one room; it shows every request's card, so votes said there count for any request. */
    public static final Conversation ROOM = new Conversation(NAME, "general", null, true);
    static final String LOG_KEY = "{q}:console:log";
    static final String CHANNEL = "q:console:events";
    static final String SEQ = "{q}:console:seq";
    private static final long LOG_CAP = 5000;
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleAdapter.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final LuaScript APPEND = LuaScript.load("console_append");

    private final Redis redis;
    private final Clock clock;
    private final Set<Consumer<ConsoleEvent>> listeners = ConcurrentHashMap.newKeySet();
    private volatile InboundPipeline pipeline;
    private StatefulRedisPubSubConnection<String, String> sub;

    public ConsoleAdapter(Redis redis, Clock clock) {
        this.redis = redis;
        this.clock = clock;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void start(InboundPipeline pipeline) {
        this.pipeline = pipeline;
        sub = redis.pubSub();
        sub.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
                ConsoleEvent event = decodePublished(message);
                if (event != null) listeners.forEach(l -> l.accept(event));
            }
        });
        sub.sync().subscribe(CHANNEL);
    }

    @Override
    public void stop() {
        if (sub != null) sub.close();
    }

    @Override
    public String health() {
        return sub != null && sub.isOpen() ? "UP" : "DOWN";
    }

    /** Where {@link ConsoleRoutes} hands members' messages; {@code null} before {@link #start}. */
    InboundPipeline pipeline() {
        return pipeline;
    }

    @Override
    public PostedMessage post(Conversation where, Reply reply) {
        String messageId = "c" + redis.sync().incr(SEQ);
        append("reply", null, render(reply, messageId, where));
        return new PostedMessage(where, messageId);
    }

    @Override
    public void update(PostedMessage message, Reply reply) {
        append("update", null, render(reply, message.messageId(), message.where()));
    }

    @Override
    public void whisper(IncomingMessage to, Reply reply) {
        String messageId = "c" + redis.sync().incr(SEQ);
        ObjectNode data = render(reply, messageId, to.where());
        String user = to.sender().platform().equals(NAME) ? to.sender().id() : to.sender().toString();
        data.put("to", user);
        append("reply", user, data);
    }

    /** Records a member's command in the room, so that everybody sees what was asked. */
    public void recordMessage(String user, String text) {
        ObjectNode data = JSON.createObjectNode();
        data.put("message_id", "c" + redis.sync().incr(SEQ));
        data.put("from", user);
        data.put("text", text);
        data.put("channel", ROOM.channel());
        append("message", null, data);
    }

    /**
     * Tells every console that a request changed state, live only: the room's log keeps the
     * conversation, not every state change (those are in the audit log).
     */
    public void announce(dev.quorum.request.Request r) {
        ObjectNode data = JSON.createObjectNode();
        data.put("request_id", r.id());
        data.put("type", r.type().wire());
        data.put("state", r.state().wire());
        data.put("updated_at", r.updatedAt().toString());
        data.put("text", r.id() + " is " + r.state().wire());
        redis.sync().publish(CHANNEL, "0-0\nrequest\n\n" + data);
    }

    /** Events after {@code afterId} (exclusive), or the newest {@code limit} when it is {@code null}; oldest first. */
    public List<ConsoleEvent> backlog(String afterId, int limit) {
        List<StreamMessage<String, String>> messages;
        if (afterId == null) {
            messages = new ArrayList<>(redis.sync().xrevrange(LOG_KEY, Range.create("-", "+"), Limit.create(0, limit)));
            Collections.reverse(messages);
        } else {
            messages = redis.sync().xrange(LOG_KEY, Range.from(Range.Boundary.excluding(afterId), Range.Boundary.unbounded()),
                    Limit.create(0, limit));
        }
        List<ConsoleEvent> out = new ArrayList<>();
        for (StreamMessage<String, String> m : messages) out.add(decode(m.getId(), m.getBody()));
        return out;
    }

    /** Everything after {@code afterId} up to now, however much: a reconnecting page misses nothing. */
    public List<ConsoleEvent> since(String afterId) {
        List<ConsoleEvent> all = new ArrayList<>();
        String after = afterId;
        List<ConsoleEvent> page;
        do {
            page = backlog(after, 500);
            all.addAll(page);
            if (!page.isEmpty()) after = page.getLast().id();
        } while (page.size() == 500);
        return all;
    }

    /** Live events from every instance; the returned handle stops them. */
    public Runnable subscribe(Consumer<ConsoleEvent> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** Logs and publishes in one script, so every instance's listeners get events in the log's order. */
    private void append(String kind, String to, ObjectNode data) {
        data.put("at", clock.instant().toString());
        APPEND.run(redis.sync(), ScriptOutputType.VALUE, new String[] {LOG_KEY},
                CHANNEL, String.valueOf(LOG_CAP), kind, to == null ? "" : to, data.toString());
    }

    private static ConsoleEvent decode(String id, Map<String, String> body) {
        return new ConsoleEvent(id, body.getOrDefault("kind", "reply"), body.get("to"), body.getOrDefault("data", "{}"));
    }

    private static ConsoleEvent decodePublished(String message) {
        String[] parts = message.split("\n", 4);
        if (parts.length < 4) {
            LOG.warn("Ignoring a malformed console event");
            return null;
        }
        return new ConsoleEvent(parts[0], parts[1], parts[2].isEmpty() ? null : parts[2], parts[3]);
    }

    /**
     * The neutral reply as console JSON: the page renders fields, buttons and links itself. The
     * console has no limits, so the fitted reply is the reply as it is, in one part.
     */
    static ObjectNode render(Reply reply, String messageId, Conversation where) {
        ReplyFitter.Fitted fitted = ReplyFitter.fit(reply, ReplyFitter.Limits.NONE, UnaryOperator.identity());
        ObjectNode data = JSON.createObjectNode();
        data.put("message_id", messageId);
        data.put("text", String.join("\n", fitted.textParts()));
        data.put("tone", reply.tone().name().toLowerCase());
        if (reply.requestId() != null) data.put("request_id", reply.requestId());
        data.put("channel", where.channel());
        if (where.thread() != null) data.put("thread", where.thread());
        ArrayNode fields = data.putArray("fields");
        fitted.fields().forEach(f -> fields.addObject().put("label", f.label()).put("value", f.value()));
        ArrayNode buttons = data.putArray("buttons");
        fitted.buttonRows().forEach(row -> row.forEach(b -> buttons.addObject().put("label", b.label()).put("command", b.command())
                .put("style", b.style().name().toLowerCase())));
        if (fitted.link() != null) data.putObject("link").put("label", fitted.link().label()).put("url", fitted.link().url());
        return data;
    }

    @Override
    public ReplyFitter.Limits limits() {
        return ReplyFitter.Limits.NONE;
    }
}
