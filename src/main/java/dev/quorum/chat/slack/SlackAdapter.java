package dev.quorum.chat.slack;

import com.slack.api.bolt.App;
import com.slack.api.bolt.socket_mode.SocketModeApp;
import com.slack.api.socket_mode.SocketModeClient;
import dev.quorum.conversation.ChatAdapter;
import dev.quorum.conversation.Conversation;
import dev.quorum.conversation.Identity;
import dev.quorum.conversation.InboundPipeline;
import dev.quorum.conversation.IncomingMessage;
import dev.quorum.conversation.PostedMessage;
import dev.quorum.conversation.Reply;
import dev.quorum.conversation.ReplyFitter;
import dev.quorum.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * Slack as a chat platform. Replies go into the thread of the message that asked, as Block Kit
 * ({@link BlockKitRenderer}); edits are {@code chat.update} of the same message, whispers are
 * ephemeral messages. Incoming messages arrive through Bolt: over HTTP ({@link SlackEvents}) or,
 * with an app token, over a Socket Mode connection this adapter opens.
 *
 * <p>Thread-safe; every method but {@link #health()} blocks on Slack (call from virtual threads).
 */
public final class SlackAdapter implements ChatAdapter {
    public static final String NAME = "slack";
    private static final Logger LOG = LoggerFactory.getLogger(SlackAdapter.class);
    /** {@code auth.test} errors that mean the token itself is wrong: no use starting. */
    private static final Set<String> REFUSED_TOKEN = Set.of("invalid_auth", "not_authed", "account_inactive",
            "token_revoked", "token_expired", "not_allowed_token_type");
    private static final Duration RECONNECT = Duration.ofSeconds(30);
    /** The reaction that tells a member Quorum has their message. */
    static final String RECEIVED = "eyes";

    private final RateLimitedSlackClient api;
    private final BlockKitRenderer renderer;
    private final SlackInbound inbound;
    private final App app;
    private final String appToken;
    private volatile BotIdentity self;
    private volatile InboundPipeline pipeline;
    /** Set when Slack says the app may not read names (no {@code users:read}): then nobody asks again. */
    private volatile boolean namesUnavailable;
    private volatile SocketModeApp socketMode;
    private volatile Thread connecting;

    SlackAdapter(RateLimitedSlackClient api, BlockKitRenderer renderer, SlackInbound inbound, App app, String appToken) {
        this.api = api;
        this.renderer = renderer;
        this.inbound = inbound;
        this.app = app;
        this.appToken = appToken;
    }

    @Override
    public String name() {
        return NAME;
    }

    /**
     * Learns who Quorum is ({@code auth.test}), then listens (over Socket Mode: connects). A bot
     * token Slack refuses ends start-up with a configuration error; Slack out of reach does not:
     * the adapter reports {@code DOWN} and keeps trying in the background.
     */
    @Override
    public void start(InboundPipeline pipeline) {
        this.pipeline = pipeline;
        inbound.start(pipeline);
        app.start(); // here, once, rather than lazily by the first requests at the same time
        try {
            connect();
        } catch (SlackCallException e) {
            if (REFUSED_TOKEN.contains(e.error())) {
                throw new ConfigException("slack.bot_token", "***", "Slack refused it (" + e.error() + ")");
            }
            retryInBackground(e);
        } catch (Exception e) {
            retryInBackground(e);
        }
    }

    /** Whatever is still missing: who Quorum is, and the Socket Mode connection when there is one. */
    private void connect() throws Exception {
        if (self == null) identified(api.authTest());
        if (appToken != null && socketMode == null) {
            SocketModeApp connection = new SocketModeApp(appToken, app, SocketModeClient.Backend.JavaWebSocket);
            connection.startAsync();
            socketMode = connection;
            LOG.info("Slack: connected over Socket Mode");
        }
    }

    private void retryInBackground(Exception first) {
        LOG.warn("Slack is not reachable yet ({}); Quorum keeps trying every {} s", first.getMessage(), RECONNECT.toSeconds());
        connecting = Thread.ofVirtual().name("slack-connect").start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    Thread.sleep(RECONNECT);
                    connect();
                    return;
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    LOG.warn("Slack is still not reachable: {}", e.getMessage());
                }
            }
        });
    }

    private void identified(BotIdentity identity) {
        self = identity;
        inbound.identify(identity);
        LOG.info("Slack: signed in as bot user {} in workspace {}", identity.userId(), identity.teamId());
    }

    @Override
    public void stop() {
        Thread t = connecting;
        if (t != null) t.interrupt();
        SocketModeApp s = socketMode;
        if (s != null) {
            try {
                s.close();
            } catch (Exception e) {
                LOG.warn("Closing the Socket Mode connection: {}", e.toString());
            }
        }
        app.stop();
    }

    @Override
    public String health() {
        if (self == null) return "DOWN";
        SocketModeApp s = socketMode;
        return appToken == null || (s != null && !s.isClientStopped()) ? "UP" : "DOWN";
    }

    @Override
    public PostedMessage post(Conversation where, Reply reply) {
        String ts = api.postMessage(where.channel(), where.thread(), renderer.render(reply));
        // Members may answer in this thread without a mention from now on (a top-level post starts one).
        InboundPipeline p = pipeline;
        if (p != null) p.takePart(where.thread() != null ? where : where.inThread(ts));
        return new PostedMessage(where, ts);
    }

    @Override
    public void update(PostedMessage message, Reply reply) {
        api.update(message.where().channel(), message.messageId(), renderer.render(reply));
    }

    /** An ephemeral message to a Slack member; anyone else (another platform's identity) is answered openly. */
    @Override
    public void whisper(IncomingMessage to, Reply reply) {
        Conversation where = to.where();
        if (!NAME.equals(to.sender().platform())) {
            post(where, reply);
            return;
        }
        api.postEphemeral(where.channel(), to.sender().id(), where.thread(), renderer.render(reply));
    }

    /** Asked once per member by the pipeline, which keeps the answer; a missing scope is said once in the log. */
    @Override
    public Optional<String> displayName(Identity who) {
        if (namesUnavailable || !NAME.equals(who.platform())) return Optional.empty();
        try {
            return api.displayName(who.id());
        } catch (SlackCallException e) {
            if ("missing_scope".equals(e.error())) {
                namesUnavailable = true;
                LOG.warn("The Slack app lacks the users:read scope; replies name members by their user id");
            } else {
                LOG.debug("No display name for {}: {}", who, e.getMessage());
            }
            return Optional.empty();
        }
    }

    @Override
    public void markTaken(Conversation where, String messageId) {
        api.addReaction(where.channel(), messageId, RECEIVED);
    }

    /**
     * Slack's permalink of a message ({@code chat.getPermalink}), as Slack words it (it names the workspace's host, and
     * the thread for a reply); asked once, with no retry, because a page waits for it. Not checked here: the caller
     * decides what it accepts.
     */
    @Override
    public Optional<String> permalink(Conversation where, String messageId) {
        try {
            return Optional.ofNullable(api.permalink(where.channel(), messageId));
        } catch (SlackCallException e) {
            LOG.debug("No permalink for {} in {}: {}", messageId, where.channel(), e.getMessage());
            return Optional.empty();
        }
    }

    @Override
    public ReplyFitter.Limits limits() {
        return BlockKitRenderer.LIMITS;
    }
}
