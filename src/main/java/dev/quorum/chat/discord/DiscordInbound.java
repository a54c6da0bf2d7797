package dev.quorum.chat.discord;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quorum.conversation.Conversation;
import dev.quorum.conversation.Identity;
import dev.quorum.conversation.InboundPipeline;
import dev.quorum.conversation.InboundPipeline.Delivery;
import dev.quorum.conversation.InboundPipeline.Kind;
import dev.quorum.request.Request;
import dev.quorum.request.RequestQuery;
import dev.quorum.request.RequestStore;
import net.dv8tion.jda.api.entities.Member;
import net.dv8tion.jda.api.entities.Message;
import net.dv8tion.jda.api.entities.Role;
import net.dv8tion.jda.api.entities.User;
import net.dv8tion.jda.api.entities.channel.Channel;
import net.dv8tion.jda.api.entities.channel.concrete.ThreadChannel;
import net.dv8tion.jda.api.events.interaction.command.CommandAutoCompleteInteractionEvent;
import net.dv8tion.jda.api.events.interaction.command.SlashCommandInteractionEvent;
import net.dv8tion.jda.api.events.interaction.component.ButtonInteractionEvent;
import net.dv8tion.jda.api.events.message.MessageReceivedEvent;
import net.dv8tion.jda.api.events.session.ReadyEvent;
import net.dv8tion.jda.api.hooks.ListenerAdapter;
import net.dv8tion.jda.api.interactions.Interaction;
import net.dv8tion.jda.api.interactions.commands.Command;
import net.dv8tion.jda.api.interactions.commands.OptionMapping;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * What members say on Discord, from JDA's gateway session, as {@link Delivery}s for the shared
 * pipeline: a message that starts with Quorum's mention in a guild channel, a direct message, a
 * plain message in a thread (chatter: the pipeline acts on it only in a thread Quorum takes part in),
 * {@code /quorum <command>} and clicks on Quorum's buttons. Every interaction is deferred first,
 * on JDA's thread, well within Discord's 3 seconds; the rest (Redis, the pipeline) runs on a virtual
 * thread, so the gateway's reading never waits for it. At READY, {@code /quorum} is registered:
 * in each configured guild, else globally.
 */
final class DiscordInbound extends ListenerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(DiscordInbound.class);
    static final String COMMAND = "quorum";
    static final String OPTION = "command";
    /** Discord shows at most 25 suggestions. */
    static final int MAX_CHOICES = 25;
    private static final int CHOICE_LIMIT = 100;
    static final String UNKNOWN_BUTTON = "This button is no longer known to Quorum; type the command instead.";
    static final String FOREIGN_BUTTON = "This button does not belong to this message.";
    /** Discord drops an interaction not acknowledged within 3 seconds. */
    private static final Duration ACK_WAIT = Duration.ofSeconds(3);
    static final String BUSY = "Quorum cannot take commands right now; try again in a minute.";

    private final DiscordRest rest;
    private final ButtonRecords buttons;
    private final RequestStore requests;
    private final List<String> guilds;
    private final ExecutorService work = Executors.newVirtualThreadPerTaskExecutor();
    private volatile InboundPipeline pipeline;
    private volatile String selfId;

    DiscordInbound(DiscordRest rest, ButtonRecords buttons, RequestStore requests, List<String> guilds) {
        this.rest = rest;
        this.buttons = buttons;
        this.requests = requests;
        this.guilds = List.copyOf(guilds);
    }

    void start(InboundPipeline p) {
        this.pipeline = p;
    }

    void identify(String self) {
        this.selfId = self;
    }

    void stop() {
        work.shutdown();
        try {
            work.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void onReady(ReadyEvent event) {
        identify(event.getJDA().getSelfUser().getId());
        String app = event.getJDA().getSelfUser().getApplicationId();
        work.execute(() -> register(app));
    }

    /** {@code /quorum}, overwritten as a whole (so it never doubles): in each configured guild, else globally. */
    void register(String app) {
        try {
            if (guilds.isEmpty()) rest.putCommands(app, null, commands(true));
            for (String guild : guilds) rest.putCommands(app, guild, commands(false));
            LOG.info("Discord: /{} registered {}", COMMAND, guilds.isEmpty() ? "globally" : "in " + guilds.size() + " guild(s)");
        } catch (DiscordCallException e) {
            LOG.warn("Discord: could not register /{}: {}", COMMAND, e.getMessage());
        }
    }

    private ArrayNode commands(boolean global) {
        ArrayNode list = rest.json().createArrayNode();
        ObjectNode c = list.addObject().put("name", COMMAND).put("type", 1)
                .put("description", "Ask Quorum (help, test, merge, approve, status, ...)");
        if (global) c.putArray("contexts").add(0).add(1); // guild channels and DMs with Quorum
        c.putArray("options").addObject().put("type", 3).put("name", OPTION)
                .put("description", "what to do, e.g. help, status R7, approve R7").put("required", true).put("autocomplete", true);
        return list;
    }

    @Override
    public void onMessageReceived(MessageReceivedEvent event) {
        Message m = event.getMessage();
        if (m.getType().isSystem()) return;
        User author = event.getAuthor();
        boolean fromBot = author.isBot() || author.isSystem() || event.isWebhookMessage() || author.getId().equals(selfId);
        String content = m.getContentRaw();
        Optional<String> addressed = Mentions.afterSelf(content, selfId);
        Conversation where;
        Kind kind;
        String text;
        if (!event.isFromGuild()) {
            where = new Conversation(DiscordAdapter.NAME, event.getChannel().getId(), null);
            kind = Kind.DIRECT;
            text = addressed.orElse(content.strip());
        } else if (addressed.isPresent()) {
            where = event.isFromThread() ? inThread(event.getChannel().asThreadChannel())
                    : new Conversation(DiscordAdapter.NAME, event.getChannel().getId(), m.getId());
            kind = Kind.MENTION;
            text = addressed.get();
        } else if (event.isFromThread()) {
            where = inThread(event.getChannel().asThreadChannel());
            kind = Kind.THREAD_CHATTER;
            text = content.strip();
        } else {
            return; // channel talk that is not addressed to Quorum
        }
        Delivery d = new Delivery(DiscordAdapter.NAME, m.getId(), identity(author), name(author, event.getMember()), where, text,
                fromBot, m.getId(), kind, roles(event.getMember()), null);
        work.execute(() -> offer(d));
    }

    @Override
    public void onSlashCommandInteraction(SlashCommandInteractionEvent event) {
        if (!COMMAND.equals(event.getName())) return;
        CompletableFuture<?> acked = event.deferReply().submit(); // first: Discord's 3 seconds
        OptionMapping option = event.getOption(OPTION);
        String text = option == null ? "" : option.getAsString().strip();
        InteractionReply handle = handle(event);
        Conversation channel = conversationOf(event);
        User user = event.getUser();
        String name = name(user, event.getMember());
        Set<String> roles = roles(event.getMember());
        work.execute(() -> {
            if (!settled(acked)) return;
            // The deferred reply becomes the command as said; a top-level command is answered in a thread from it.
            ObjectNode echo = rest.json().createObjectNode().put("content", "`/" + COMMAND + " " + text.replace("`", "ˋ") + "`");
            echo.putObject("allowed_mentions").putArray("parse");
            Conversation where = channel;
            try {
                String original = rest.editOriginal(handle.applicationId(), handle.token(), echo);
                if (event.isFromGuild() && channel.thread() == null && !original.isEmpty()) where = channel.inThread(original);
            } catch (DiscordCallException e) {
                LOG.debug("Could not show /{} as said: {}", COMMAND, e.getMessage());
            }
            offer(new Delivery(DiscordAdapter.NAME, event.getId(), identity(user), name, where, text, user.isBot(), null,
                    Kind.COMMAND, roles, handle));
        });
    }

    @Override
    public void onButtonInteraction(ButtonInteractionEvent event) {
        CompletableFuture<?> acked = event.deferEdit().submit(); // first: Discord's 3 seconds; the card itself is edited by the vote
        InteractionReply handle = handle(event);
        Conversation where = conversationOf(event);
        User user = event.getUser();
        String name = name(user, event.getMember());
        Set<String> roles = roles(event.getMember());
        String customId = event.getComponentId();
        String messageId = event.getMessageId();
        work.execute(() -> {
            if (!settled(acked)) return;
            Optional<ButtonRecords.Button> button;
            try {
                button = buttons.find(customId);
            } catch (RuntimeException e) {
                refuse(handle, BUSY);
                return;
            }
            if (button.isEmpty()) {
                refuse(handle, UNKNOWN_BUTTON);
            } else if (!button.get().onMessage(messageId)) {
                refuse(handle, FOREIGN_BUTTON);
            } else {
                offer(new Delivery(DiscordAdapter.NAME, event.getId(), identity(user), name, where, button.get().command(),
                        user.isBot(), null, Kind.CLICK, roles, handle));
            }
        });
    }

    /**
     * Waits for Discord to have taken the acknowledgement: before it, the interaction's webhook does not
     * exist yet and a follow-up would be refused. False when it failed (the token is then of no use).
     */
    private static boolean settled(CompletableFuture<?> acked) {
        try {
            acked.get(ACK_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("Discord did not take an interaction's acknowledgement: {}", e.getCause() != null ? e.getCause().toString() : e.toString());
            return false;
        }
    }

    /** Request ids for the word being typed: the newest requests whose id starts with it. */
    @Override
    public void onCommandAutoCompleteInteraction(CommandAutoCompleteInteractionEvent event) {
        if (!COMMAND.equals(event.getName())) return;
        List<Command.Choice> choices;
        try {
            choices = suggestions(event.getFocusedOption().getValue());
        } catch (RuntimeException e) {
            LOG.debug("No suggestions: {}", e.toString());
            choices = List.of();
        }
        event.replyChoices(choices).queue(null, e -> LOG.debug("Discord took no suggestions: {}", e.toString()));
    }

    List<Command.Choice> suggestions(String typed) {
        String words = typed == null ? "" : typed.stripLeading();
        int cut = words.lastIndexOf(' ');
        String before = cut < 0 ? "" : words.substring(0, cut + 1);
        String partial = (cut < 0 ? words : words.substring(cut + 1)).toUpperCase(Locale.ROOT);
        List<Command.Choice> out = new ArrayList<>();
        for (Request r : requests.list(RequestQuery.latest(100)).requests()) {
            if (!r.id().toUpperCase(Locale.ROOT).startsWith(partial)) continue;
            String value = shorten(before + r.id());
            String label = shorten(value + " · " + r.type().wire() + " " + r.state().wire() + " · " + r.text());
            out.add(new Command.Choice(label, value));
            if (out.size() == MAX_CHOICES) break;
        }
        return out;
    }

    private static String shorten(String s) {
        String flat = s.replaceAll("\\s+", " ");
        return flat.length() <= CHOICE_LIMIT ? flat : flat.substring(0, CHOICE_LIMIT - 1) + "…";
    }

    private void offer(Delivery d) {
        InboundPipeline p = pipeline;
        if (p == null) return;
        try {
            p.offer(d);
        } catch (IllegalStateException e) {
            // Discord does not deliver again: say so rather than leave the member waiting.
            LOG.warn("Discord: a delivery was not taken: {}", e.getMessage());
            if (d.handle() instanceof InteractionReply i) refuse(i, BUSY);
        }
    }

    /** An ephemeral answer only the member who clicked or asked sees. */
    private void refuse(InteractionReply to, String text) {
        try {
            ObjectNode m = rest.json().createObjectNode().put("content", "❌ " + text).put("flags", DiscordRenderer.EPHEMERAL);
            m.putObject("allowed_mentions").putArray("parse");
            rest.followUp(to.applicationId(), to.token(), m, null);
        } catch (DiscordCallException e) {
            LOG.debug("Could not answer interaction {}: {}", to, e.getMessage());
        }
    }

    private static InteractionReply handle(Interaction i) {
        return new InteractionReply(i.getJDA().getSelfUser().getApplicationId(), i.getId(), i.getToken());
    }

    private static Conversation conversationOf(Interaction i) {
        Channel c = i.getChannel();
        if (c instanceof ThreadChannel t) return inThread(t);
        return new Conversation(DiscordAdapter.NAME, c != null ? c.getId() : "unknown", null);
    }

    /** A thread is a channel of its own in Discord; the conversation is its parent channel and the thread. */
    private static Conversation inThread(ThreadChannel t) {
        return new Conversation(DiscordAdapter.NAME, t.getParentChannel().getId(), t.getId());
    }

    private static Identity identity(User u) {
        return new Identity(DiscordAdapter.NAME, u.getId());
    }

    private static String name(User u, Member m) {
        return m != null ? m.getEffectiveName() : u.getEffectiveName();
    }

    /** The member's roles in the form {@code groups:} lists them: {@code discord-role:<guild>/<role>}. */
    private static Set<String> roles(Member m) {
        if (m == null) return Set.of();
        return m.getRoles().stream().map(Role::getId)
                .map(role -> "discord-role:" + m.getGuild().getId() + "/" + role)
                .collect(Collectors.toUnmodifiableSet());
    }
}
