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
import dev.quorum.conversation.InboundPipeline;
import dev.quorum.conversation.InboundPipeline.Delivery;
import dev.quorum.conversation.InboundPipeline.Kind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What members say to Quorum in Slack, as Bolt listeners: mentions, messages in threads Quorum
 * takes part in and in direct messages, the {@code /quorum} command, and clicks on Quorum's
 * buttons. Each becomes one {@link Delivery} from {@code slack:<user id>}, its mention stripped
 * ({@link SlackText}), offered to the shared {@link InboundPipeline} before Slack gets its
 * acknowledgement; the pipeline drops bots (Quorum included), dedupes by Slack's delivery id and
 * does the work after the ack. Thread-safe.
 */
final class SlackInbound {
    private static final Logger LOG = LoggerFactory.getLogger(SlackInbound.class);
    static final String SLASH_COMMAND = "/quorum";

    private volatile InboundPipeline pipeline;
    private volatile BotIdentity self;

    void register(App app) {
        app.event(AppMentionEvent.class, this::mention);
        app.event(MessageEvent.class, this::message);
        app.command(SLASH_COMMAND, this::slashCommand);
        app.blockAction(Pattern.compile("^" + Pattern.quote(BlockKitRenderer.ACTION_PREFIX) + ".*"), this::click);
    }

    void start(InboundPipeline pipeline) {
        this.pipeline = pipeline;
    }

    /** Quorum's own identity, once {@code auth.test} told it; until then only {@code bot_id} tells bots apart. */
    void identify(BotIdentity identity) {
        this.self = identity;
    }

    private Response mention(EventsApiPayload<AppMentionEvent> payload, EventContext ctx) {
        AppMentionEvent e = payload.getEvent();
        if (e.getUser() == null || e.getEdited() != null) return ctx.ack();
        String thread = e.getThreadTs() != null ? e.getThreadTs() : e.getTs();
        Conversation where = new Conversation(SlackAdapter.NAME, e.getChannel(), thread);
        offer("event:" + payload.getEventId(), e.getUser(), null, where, SlackText.toCommand(e.getText(), selfUserId()),
                fromBot(e.getUser(), e.getBotId()), e.getTs(), Kind.MENTION);
        return ctx.ack();
    }

    /**
     * A plain message: Quorum's business in a direct message (always addressed) and in a thread
     * it takes part in (chatter, acted on only when it is a command). A mention in such a thread
     * comes as {@code app_mention} too and is handled there.
     */
    private Response message(EventsApiPayload<MessageEvent> payload, EventContext ctx) {
        MessageEvent e = payload.getEvent();
        if (e.getUser() == null || e.getEdited() != null) return ctx.ack();
        boolean direct = "im".equals(e.getChannelType());
        if (!direct && (e.getThreadTs() == null || SlackText.mentions(e.getText(), selfUserId()))) return ctx.ack();
        Conversation where = new Conversation(SlackAdapter.NAME, e.getChannel(), e.getThreadTs());
        offer("event:" + payload.getEventId(), e.getUser(), null, where, SlackText.toCommand(e.getText(), selfUserId()),
                fromBot(e.getUser(), e.getBotId()), e.getTs(), direct ? Kind.DIRECT : Kind.THREAD_CHATTER);
        return ctx.ack();
    }

    /** {@code /quorum <command>}: answered in the channel, where everybody sees the command too. */
    private Response slashCommand(SlashCommandRequest req, SlashCommandContext ctx) {
        SlashCommandPayload p = req.getPayload();
        if (p.getUserId() == null) return ctx.ack();
        Conversation where = new Conversation(SlackAdapter.NAME, p.getChannelId(), null);
        offer(p.getTriggerId() == null ? null : "command:" + p.getTriggerId(), p.getUserId(), p.getUserName(), where,
                SlackText.plain(p.getText() == null ? "" : p.getText()).strip(), false, null, Kind.COMMAND);
        return ctx.ack(r -> r.responseType("in_channel"));
    }

    /** A click on one of Quorum's buttons is the member typing its command where the card is. */
    private Response click(BlockActionRequest req, ActionContext ctx) {
        BlockActionPayload p = req.getPayload();
        List<BlockActionPayload.Action> actions = p.getActions();
        BlockActionPayload.Action action = actions == null || actions.isEmpty() ? null : actions.getFirst();
        if (action == null || action.getValue() == null || p.getUser() == null) return ctx.ack();
        String once = p.getTriggerId() != null ? p.getTriggerId() : action.getActionTs() + ":" + p.getUser().getId();
        String channel = p.getChannel() != null ? p.getChannel().getId() : p.getContainer().getChannelId();
        Conversation where = new Conversation(SlackAdapter.NAME, channel, cardThread(p));
        offer("action:" + once, p.getUser().getId(), p.getUser().getUsername(), where, action.getValue(), false, null, Kind.CLICK);
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
        return botId != null || (me != null && me.userId().equals(user));
    }

    private String selfUserId() {
        BotIdentity me = self;
        return me == null ? null : me.userId();
    }

    /**
     * Hands one delivery to the pipeline. A Redis failure propagates, so that Bolt does not
     * acknowledge and Slack delivers again.
     *
     * @param name the name the payload carried, or {@code null} to ask Slack
     * @param ts   the message's ts, to react to; {@code null} when there is no message
     */
    private void offer(String deliveryId, String user, String name, Conversation where, String text, boolean fromBot,
                       String ts, Kind kind) {
        InboundPipeline p = pipeline;
        if (p == null) {
            LOG.warn("Slack message before start dropped");
            return;
        }
        Identity sender;
        try {
            sender = new Identity("slack", user);
        } catch (IllegalArgumentException e) {
            LOG.info("Slack delivery from a user id of an unknown shape dropped");
            return;
        }
        p.offer(new Delivery(SlackAdapter.NAME, deliveryId, sender, name, where, text, fromBot, ts, kind, Set.of(), null));
    }
}
