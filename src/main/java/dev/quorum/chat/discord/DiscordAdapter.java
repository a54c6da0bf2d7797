package dev.quorum.chat.discord;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quorum.config.ConfigException;
import dev.quorum.conversation.ChatAdapter;
import dev.quorum.conversation.Conversation;
import dev.quorum.conversation.Identity;
import dev.quorum.conversation.InboundPipeline;
import dev.quorum.conversation.IncomingMessage;
import dev.quorum.conversation.PostedMessage;
import dev.quorum.conversation.Reply;
import dev.quorum.conversation.ReplyFitter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Discord as a chat platform. A command said at the top of a guild channel is answered in a thread
 * started from its message (Discord gives such a thread the message's id, which is the
 * conversation's thread); in a thread or a DM, right there. Edits are a {@code PATCH} of the same
 * message; a private answer to an interaction is its ephemeral follow-up, and to a plain message an
 * open reply that mentions the member. Outbound calls go over {@link DiscordRest} on every instance;
 * what members say arrives through the gateway session (one instance holds it) and
 * {@link DiscordInbound}.
 *
 * <p>Thread-safe; every method but {@link #health()} may block on Discord (call from virtual threads).
 */
public final class DiscordAdapter implements ChatAdapter {
    public static final String NAME = "discord";
    private static final Logger LOG = LoggerFactory.getLogger(DiscordAdapter.class);
    static final String TAKEN = "👀";
    private static final int THREAD_NAME_LIMIT = 100;
    /** Bound on the threads this instance remembers having started; beyond, it just tries again. */
    private static final int MAX_KNOWN_THREADS = 10_000;

    /** What runs the gateway session (with its lease); the adapter only starts and stops it. */
    interface Gateway {
        void start() throws Exception;

        void stop();

        /** {@code UP} or {@code DOWN}, for {@code GET /health}. */
        String health();
    }

    private final DiscordRest rest;
    private final DiscordRenderer renderer;
    private final ButtonRecords buttons;
    private final DiscordInbound inbound;
    private final Gateway gateway;
    private final Map<String, Boolean> startedThreads = new ConcurrentHashMap<>();
    private volatile String selfId;

    DiscordAdapter(DiscordRest rest, DiscordRenderer renderer, ButtonRecords buttons, DiscordInbound inbound, Gateway gateway) {
        this.rest = Objects.requireNonNull(rest, "rest");
        this.renderer = Objects.requireNonNull(renderer, "renderer");
        this.buttons = Objects.requireNonNull(buttons, "buttons");
        this.inbound = Objects.requireNonNull(inbound, "inbound");
        this.gateway = Objects.requireNonNull(gateway, "gateway");
    }

    /**
     * Learns who Quorum is ({@code users/@me}), then starts the gateway session. A token Discord
     * refuses ends start-up with a configuration error naming the variable; Discord out of reach does
     * not (the session keeps trying, and READY tells who Quorum is).
     */
    @Override
    public void start(InboundPipeline pipeline) throws Exception {
        inbound.start(pipeline);
        try {
            JsonNode me = rest.me();
            selfId = me.path("id").asText();
            inbound.identify(selfId);
            LOG.info("Discord: signed in as {} ({})", me.path("username").asText(), selfId);
        } catch (DiscordCallException e) {
            if (e.failure().status() == 401) {
                throw new ConfigException("discord.bot_token", "***", "Discord refused it (401 Unauthorized): "
                        + "set DISCORD_BOT_TOKEN to the bot's token (Bot → Reset Token in the Discord developer portal)");
            }
            LOG.warn("Discord is not reachable yet ({}); the gateway keeps trying", e.getMessage());
        }
        gateway.start();
    }

    @Override
    public void stop() {
        gateway.stop();
        inbound.stop();
    }

    @Override
    public String health() {
        return gateway.health();
    }

    @Override
    public ReplyFitter.Limits limits() {
        return DiscordRenderer.LIMITS;
    }

    @Override
    public PostedMessage post(Conversation where, Reply reply) {
        return send(where, renderer.render(reply));
    }

    private PostedMessage send(Conversation where, DiscordRenderer.Rendered r) {
        String channel = where.thread() != null ? where.thread() : where.channel();
        if (where.thread() != null) ensureThread(where, r);
        String id = rest.createMessage(channel, r.message(), r.file());
        if (!r.buttonIds().isEmpty()) buttons.bind(r.buttonIds(), id);
        return new PostedMessage(where, id);
    }

    /**
     * The thread a top-level command is answered in, started from the command's message the first time
     * (a thread Quorum did not start, or one that exists already, refuses that harmlessly).
     */
    private void ensureThread(Conversation where, DiscordRenderer.Rendered r) {
        String key = where.channel() + "/" + where.thread();
        if (startedThreads.containsKey(key)) return;
        try {
            rest.startThread(where.channel(), where.thread(), threadName(r));
        } catch (DiscordCallException e) {
            // 160004: a thread exists for that message; 10008/50024: it is a thread itself, not a message there.
            if (e.failure().status() >= 500 || e.failure().status() == 0) throw e;
            LOG.debug("No new thread for {}: {}", where, e.getMessage());
        }
        if (startedThreads.size() >= MAX_KNOWN_THREADS) startedThreads.clear();
        startedThreads.put(key, true);
    }

    private static String threadName(DiscordRenderer.Rendered r) {
        String content = r.message().path("content").asText("").strip();
        String first = content.lines().findFirst().orElse("").replaceAll("[`*_~|\\\\]", "").strip();
        if (first.isEmpty()) return "Quorum";
        return first.length() <= THREAD_NAME_LIMIT ? first : first.substring(0, THREAD_NAME_LIMIT - 1) + "…";
    }

    @Override
    public void update(PostedMessage message, Reply reply) {
        Conversation where = message.where();
        String channel = where.thread() != null ? where.thread() : where.channel();
        DiscordRenderer.Rendered r = renderer.render(reply);
        rest.editMessage(channel, message.messageId(), r.message(), r.file());
        if (!r.buttonIds().isEmpty()) buttons.bind(r.buttonIds(), message.messageId());
    }

    /**
     * The interaction's ephemeral follow-up when the message was an interaction (its token still
     * valid); else an open reply mentioning the member, where they spoke.
     */
    @Override
    public void whisper(IncomingMessage to, Reply reply) {
        if (to.handle() instanceof InteractionReply i) {
            try {
                DiscordRenderer.Rendered r = renderer.ephemeral(reply);
                rest.followUp(i.applicationId(), i.token(), r.message(), r.file());
                return;
            } catch (DiscordCallException e) {
                LOG.debug("The interaction {} no longer takes an answer ({}); answering openly", i, e.getMessage());
            }
        }
        String member = NAME.equals(to.sender().platform()) ? to.sender().id() : null;
        send(to.where(), renderer.render(reply, member));
    }

    /** 👀 on the member's message: in the channel it was said in (a thread's starter message is in its parent). */
    @Override
    public void markTaken(Conversation where, String messageId) {
        String channel = where.thread() == null || where.thread().equals(messageId) ? where.channel() : where.thread();
        rest.react(channel, messageId, TAKEN);
    }

    @Override
    public Optional<String> displayName(Identity who) {
        return NAME.equals(who.platform()) ? rest.displayName(who.id()) : Optional.empty();
    }

    @Override
    public String name() {
        return NAME;
    }

    Gateway gateway() {
        return gateway;
    }

    /** Quorum's own user id, once known. */
    String selfId() {
        return selfId;
    }
}
