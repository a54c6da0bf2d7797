package dev.quorum.chat.slack;

import com.slack.api.app_backend.events.payload.EventsApiPayload;
import com.slack.api.app_backend.interactive_components.payload.BlockActionPayload;
import com.slack.api.app_backend.slash_commands.payload.SlashCommandPayload;
import com.slack.api.bolt.App;
import com.slack.api.bolt.context.builtin.ActionContext;
import com.slack.api.bolt.context.builtin.EventContext;
import com.slack.api.bolt.context.builtin.SlashCommandContext;
import com.slack.api.bolt.request.builtin.BlockActionRequest;
import com.slack.api.bolt.request.builtin.SlashCommandRequest;
import com.slack.api.bolt.response.Response;
import com.slack.api.model.Message;
import com.slack.api.model.event.AppMentionEvent;
import com.slack.api.model.event.MessageEvent;
import dev.quorum.conversation.Conversation;
import dev.quorum.conversation.Identity;
import dev.quorum.conversation.InboundHandler;
import dev.quorum.conversation.IncomingMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * What members say to Quorum in Slack, as Bolt listeners: mentions, messages in threads Quorum
 * takes part in and in direct messages, the {@code /quorum} command, and clicks on Quorum's
 * buttons. Each becomes one {@link IncomingMessage} from {@code slack:<user id>}; messages from
 * bots, Quorum included, are dropped.
 *
 * <p>Before acknowledging, a listener only decides and records that the delivery is new (one Redis
 * call, {@link EventDedupe}); everything else (names, the 👀 reaction, the command) happens on a
 * virtual thread after Slack has its answer. Thread-safe.
 */
final class SlackInbound {
    private static final Logger LOG = LoggerFactory.getLogger(SlackInbound.class);
    static final String SLASH_COMMAND = "/quorum";
    /** The reaction that tells a member Quorum has their message. */
    static final String RECEIVED = "eyes";

    private final RateLimitedSlackClient api;
    private final EventDedupe dedupe;
    private final ActiveThreads threads;
    private final DisplayNames names;
    private final ExecutorService afterAck = Executors.newVirtualThreadPerTaskExecutor();
    private volatile InboundHandler handler = message -> LOG.warn("Slack message before start dropped");
    private volatile BotIdentity self;

    SlackInbound(RateLimitedSlackClient api, EventDedupe dedupe, ActiveThreads threads) {
        this.api = api;
        this.dedupe = dedupe;
        this.threads = threads;
        this.names = new DisplayNames(api);
    }

    void register(App app) {
        app.event(AppMentionEvent.class, this::mention);
        app.event(MessageEvent.class, this::message);
        app.command(SLASH_COMMAND, this::slashCommand);
        app.blockAction(Pattern.compile("^" + Pattern.quote(BlockKitRenderer.ACTION_PREFIX) + ".*"), this::click);
    }

    void start(InboundHandler inbound) {
        this.handler = inbound;
    }

    /** Quorum's own identity, once {@code auth.test} told it; until then only {@code bot_id} tells bots apart. */
    void identify(BotIdentity identity) {
        this.self = identity;
    }

    void stop() {
        afterAck.shutdown();
        try {
            afterAck.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Response mention(EventsApiPayload<AppMentionEvent> payload, EventContext ctx) {
        AppMentionEvent e = payload.getEvent();
        if (fromBot(e.getUser(), e.getBotId()) || e.getEdited() != null) return ctx.ack();
        if (!dedupe.firstTime("event:" + payload.getEventId())) return ctx.ack();
        String thread = e.getThreadTs() != null ? e.getThreadTs() : e.getTs();
        Conversation where = new Conversation(SlackAdapter.NAME, e.getChannel(), thread);
        deliver(new Said(e.getUser(), null, where, SlackText.toCommand(e.getText(), selfUserId()), e.getTs(), true));
        return ctx.ack();
    }

    /**
     * A plain message: Quorum's business in a direct message (always addressed) and in a thread
     * it takes part in (chatter, acted on only when it is a command). A mention in such a thread
     * comes as {@code app_mention} too and is handled there.
     */
    private Response message(EventsApiPayload<MessageEvent> payload, EventContext ctx) {
        MessageEvent e = payload.getEvent();
        if (fromBot(e.getUser(), e.getBotId()) || e.getEdited() != null) return ctx.ack();
        boolean direct = "im".equals(e.getChannelType());
        if (!direct) {
            if (e.getThreadTs() == null || SlackText.mentions(e.getText(), selfUserId())) return ctx.ack();
            if (!threads.isActive(e.getChannel(), e.getThreadTs())) return ctx.ack();
        }
        if (!dedupe.firstTime("event:" + payload.getEventId())) return ctx.ack();
        Conversation where = new Conversation(SlackAdapter.NAME, e.getChannel(), e.getThreadTs());
        deliver(new Said(e.getUser(), null, where, SlackText.toCommand(e.getText(), selfUserId()), e.getTs(), direct));
        return ctx.ack();
    }

    /** {@code /quorum <command>}: answered in the channel, where everybody sees the command too. */
    private Response slashCommand(SlashCommandRequest req, SlashCommandContext ctx) {
        SlashCommandPayload p = req.getPayload();
        if (p.getTriggerId() != null && !dedupe.firstTime("command:" + p.getTriggerId())) return ctx.ack();
        Conversation where = new Conversation(SlackAdapter.NAME, p.getChannelId(), null);
        deliver(new Said(p.getUserId(), p.getUserName(), where, SlackText.plain(p.getText() == null ? "" : p.getText()).strip(), null, true));
        return ctx.ack(r -> r.responseType("in_channel"));
    }

    /** A click on one of Quorum's buttons is the member typing its command where the card is. */
    private Response click(BlockActionRequest req, ActionContext ctx) {
        BlockActionPayload p = req.getPayload();
        List<BlockActionPayload.Action> actions = p.getActions();
        BlockActionPayload.Action action = actions == null || actions.isEmpty() ? null : actions.getFirst();
        if (action == null || action.getValue() == null || p.getUser() == null) return ctx.ack();
        String once = p.getTriggerId() != null ? p.getTriggerId() : action.getActionTs() + ":" + p.getUser().getId();
        if (!dedupe.firstTime("action:" + once)) return ctx.ack();
        String channel = p.getChannel() != null ? p.getChannel().getId() : p.getContainer().getChannelId();
        Conversation where = new Conversation(SlackAdapter.NAME, channel, cardThread(p));
        deliver(new Said(p.getUser().getId(), p.getUser().getUsername(), where, action.getValue(), null, true));
        return ctx.ack();
    }

    /**
     * The thread the clicked card is in, or {@code null} when the card is in the channel itself
     * (Slack gives a message that has replies its own ts as {@code thread_ts}).
     */
    private static String cardThread(BlockActionPayload p) {
        Message card = p.getMessage();
        if (card != null) {
            String thread = card.getThreadTs();
            return thread == null || thread.equals(card.getTs()) ? null : thread;
        }
        return p.getContainer() == null ? null : p.getContainer().getThreadTs();
    }

    private boolean fromBot(String user, String botId) {
        BotIdentity me = self;
        return botId != null || user == null || (me != null && me.userId().equals(user));
    }

    private String selfUserId() {
        BotIdentity me = self;
        return me == null ? null : me.userId();
    }

    /**
     * What a member said, ready to hand on.
     *
     * @param name       the name the payload carried, or {@code null} to ask Slack
     * @param ts         the message's ts, to react to; {@code null} when there is no message
     * @param addressed  said to Quorum rather than around it
     */
    private record Said(String user, String name, Conversation where, String text, String ts, boolean addressed) {}

    private void deliver(Said said) {
        afterAck.execute(() -> {
            try {
                Identity sender = new Identity("slack", said.user());
                String name = names.of(said.user(), said.name());
                handler.accept(new IncomingMessage(sender, name, said.where(), said.text(), false, said.ts(), said.addressed()));
                if (said.where().thread() != null && said.addressed()) threads.mark(said.where().channel(), said.where().thread());
                if (said.ts() != null && said.addressed()) api.addReaction(said.where().channel(), said.ts(), RECEIVED);
            } catch (RuntimeException e) {
                LOG.warn("Could not hand on a Slack message from {} in {}: {}", said.user(), said.where(), e.toString());
            }
        });
    }
}
