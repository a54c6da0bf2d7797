package dev.quorum.chat.discord;

import dev.quorum.testing.CapturedLog;
import io.vertx.core.json.JsonObject;
import net.dv8tion.jda.api.JDA;
import net.dv8tion.jda.api.JDABuilder;
import net.dv8tion.jda.api.components.actionrow.ActionRow;
import net.dv8tion.jda.api.components.buttons.Button;
import net.dv8tion.jda.api.entities.ApplicationInfo;
import net.dv8tion.jda.api.entities.Message;
import net.dv8tion.jda.api.entities.channel.concrete.ThreadChannel;
import net.dv8tion.jda.api.entities.emoji.Emoji;
import net.dv8tion.jda.api.events.GenericEvent;
import net.dv8tion.jda.api.events.interaction.command.CommandAutoCompleteInteractionEvent;
import net.dv8tion.jda.api.events.interaction.command.SlashCommandInteractionEvent;
import net.dv8tion.jda.api.events.interaction.component.ButtonInteractionEvent;
import net.dv8tion.jda.api.events.message.MessageReceivedEvent;
import net.dv8tion.jda.api.events.session.ShutdownEvent;
import net.dv8tion.jda.api.hooks.EventListener;
import net.dv8tion.jda.api.interactions.commands.build.Commands;
import net.dv8tion.jda.api.requests.CloseCode;
import net.dv8tion.jda.api.requests.GatewayIntent;
import net.dv8tion.jda.api.requests.RestConfig;
import net.dv8tion.jda.api.utils.cache.CacheFlag;
import net.dv8tion.jda.internal.requests.WebSocketClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The real JDA against the fake Discord: the fake speaks Discord well enough for JDA to parse all of it. */
class FakeDiscordJdaTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private FakeDiscord fake;
    private JDA jda;
    private final BlockingQueue<GenericEvent> events = new LinkedBlockingQueue<>();

    @BeforeEach
    void start() throws Exception {
        fake = new FakeDiscord();
    }

    @AfterEach
    void stop() throws Exception {
        if (jda != null) { // a graceful stop first: shutdownNow interrupts JDA's rate limiter, which logs a stack trace
            jda.shutdown();
            if (!jda.awaitShutdown(5, TimeUnit.SECONDS)) {
                jda.shutdownNow();
                jda.awaitShutdown(5, TimeUnit.SECONDS);
            }
        }
        fake.close();
    }

    private JDA connect() {
        EventListener collect = events::add;
        jda = JDABuilder.createLight(fake.token(), EnumSet.of(GatewayIntent.GUILD_MESSAGES, GatewayIntent.DIRECT_MESSAGES,
                        GatewayIntent.MESSAGE_CONTENT))
                .disableCache(EnumSet.allOf(CacheFlag.class))
                .setRestConfig(new RestConfig().setBaseUrl(fake.apiUrl()))
                .setSessionController(new GatewayAddressController(URI.create(fake.apiUrl()), fake.token()))
                .setEnableShutdownHook(false)
                .addEventListeners(collect)
                .build();
        return jda;
    }

    private <T extends GenericEvent> T next(Class<T> type) throws InterruptedException {
        long end = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < end) {
            GenericEvent e = events.poll(50, TimeUnit.MILLISECONDS);
            if (type.isInstance(e)) return type.cast(e);
        }
        throw new AssertionError("no " + type.getSimpleName() + " within " + WAIT);
    }

    /** The message contents JDA delivered, in order, up to and including {@code last}. */
    private List<String> contentsUntil(String last) throws InterruptedException {
        List<String> seen = new java.util.ArrayList<>();
        while (!seen.contains(last)) seen.add(next(MessageReceivedEvent.class).getMessage().getContentRaw());
        return seen;
    }

    @Test
    void jdaConnectsThroughGatewayBotAndReceivesAMentionInAGuildChannelAndADirectMessage() throws Exception {
        FakeDiscord.User alice = fake.user("alice");
        long maintainers = fake.role("maintainers");
        fake.giveRole(alice, maintainers);
        connect().awaitReady();

        assertThat(fake.identifies()).isEqualTo(1);
        assertThat(fake.gatewayQueries()).singleElement().satisfies(q ->
                assertThat(q).contains("v=10").contains("encoding=json").contains("compress=zlib-stream"));
        assertThat(fake.calls("GET", "gateway/bot")).singleElement()
                .satisfies(c -> assertThat(c.header("Authorization")).isEqualTo("Bot " + fake.token()));
        assertThat(jda.getSelfUser().getIdLong()).isEqualTo(fake.bot().id());
        assertThat(jda.getSelfUser().getApplicationIdLong()).isEqualTo(fake.applicationId());
        assertThat(jda.getTextChannelById(fake.general())).isNotNull();

        JsonObject sent = fake.dispatchMessageCreate(fake.general(), alice, fake.bot().mention() + " status R1");
        MessageReceivedEvent event = next(MessageReceivedEvent.class);
        assertThat(event.getMessageId()).isEqualTo(sent.getString("id"));
        assertThat(event.getMessage().getContentRaw()).isEqualTo(fake.bot().mention() + " status R1");
        assertThat(event.getAuthor().getIdLong()).isEqualTo(alice.id());
        assertThat(event.getAuthor().isBot()).isFalse();
        assertThat(event.getGuild().getIdLong()).isEqualTo(fake.guildId());
        assertThat(event.getChannel().getIdLong()).isEqualTo(fake.general());
        assertThat(event.getMessage().getMentions().isMentioned(jda.getSelfUser())).isTrue();
        assertThat(event.getMember().getRoles()).extracting(r -> r.getIdLong()).containsExactly(maintainers);

        long dm = fake.dmChannel(alice);
        fake.dispatchMessageCreate(dm, alice, "help");
        MessageReceivedEvent direct = next(MessageReceivedEvent.class);
        assertThat(direct.isFromGuild()).isFalse();
        assertThat(direct.getChannel().getIdLong()).isEqualTo(dm);
        assertThat(direct.getMessage().getContentRaw()).isEqualTo("help");
        assertThat(fake.heartbeats()).isPositive();
    }

    @Test
    void aDroppedConnectionIsResumedAndWhatWasSentMeanwhileArrivesOnce() throws Exception {
        FakeDiscord.User alice = fake.user("alice");
        connect().awaitReady();
        fake.dispatchMessageCreate(fake.general(), alice, "before");
        assertThat(contentsUntil("before")).containsExactly("before");

        assertThat(fake.dropConnection()).isEqualTo(1);
        fake.dispatchMessageCreate(fake.general(), alice, "while away");
        FakeDiscord.poll(WAIT, () -> java.util.Optional.of(fake.resumes()).filter(r -> r == 1), () -> "no RESUME");
        fake.awaitLiveSessions(1, WAIT);
        fake.dispatchMessageCreate(fake.general(), alice, "after");

        assertThat(contentsUntil("after")).containsExactly("while away", "after");
        assertThat(fake.identifies()).isEqualTo(1);
        assertThat(fake.gatewayReceived().stream().filter(r -> r.op() == FakeGateway.RESUME).findFirst().orElseThrow().d()
                .getString("token")).isEqualTo(fake.token());
    }

    @Test
    void withoutTheMessageContentSwitchTheGatewayClosesWith4014AndJdaStops() throws Exception {
        fake.messageContentIntentEnabled(false);
        try (CapturedLog jdaLog = CapturedLog.of(WebSocketClient.class)) {
            connect();
            assertThatThrownBy(jda::awaitReady).isInstanceOf(IllegalStateException.class);
            ShutdownEvent shutdown = next(ShutdownEvent.class);
            assertThat(shutdown.getCloseCode()).isEqualTo(CloseCode.DISALLOWED_INTENTS);
            assertThat(jdaLog.events()).anySatisfy(e -> assertThat(e.getFormattedMessage()).contains("DISALLOWED_INTENTS"));
        }
        assertThat(fake.closeCodesSent()).containsExactly(4014);
        assertThat(fake.liveSessions()).isZero();
    }

    @Test
    void jdaParsesTheFakesRestAnswersAndItsInteractions() throws Exception {
        FakeDiscord.User alice = fake.user("alice");
        connect().awaitReady();

        ApplicationInfo app = jda.retrieveApplicationInfo().complete();
        assertThat(app.getIdLong()).isEqualTo(fake.applicationId());
        jda.updateCommands().addCommands(Commands.slash("quorum", "Talk to Quorum")
                .addOption(net.dv8tion.jda.api.interactions.commands.OptionType.STRING, "command", "what to do", true, true))
                .complete();
        assertThat(fake.commands("global")).hasSize(1);

        Message card = jda.getTextChannelById(fake.general()).sendMessage("merge R1?")
                .setComponents(ActionRow.of(Button.success("q:abcdefghijklmnop", "Approve"))).complete();
        assertThat(fake.message(fake.general(), card.getIdLong())).isPresent();
        ThreadChannel thread = card.createThreadChannel("R1").complete();
        assertThat(thread.getIdLong()).isEqualTo(card.getIdLong());
        card.addReaction(Emoji.fromUnicode("👀")).complete();
        assertThat(fake.calls("PUT", "channels/\\d+/messages/\\d+/reactions/%F0%9F%91%80/@me")).hasSize(1);
        assertThat(fake.message(fake.general(), card.getIdLong()).orElseThrow().getJsonArray("reactions").getJsonObject(0)
                .getJsonObject("emoji").getString("name")).isEqualTo("👀");

        FakeInteraction slash = fake.dispatchSlashCommand(fake.general(), alice, "quorum", FakeDiscord.stringOption("command", "help"));
        SlashCommandInteractionEvent command = next(SlashCommandInteractionEvent.class);
        assertThat(command.getOption("command").getAsString()).isEqualTo("help");
        assertThat(command.getUser().getIdLong()).isEqualTo(alice.id());
        command.deferReply(true).queue();
        assertThat(slash.awaitCallbackType(WAIT)).isEqualTo(5);
        command.getHook().editOriginal("Quorum's commands: ...").complete();
        assertThat(slash.awaitOriginal(o -> o.getString("content").startsWith("Quorum's"), WAIT).getInteger("flags") & 64)
                .isEqualTo(64);
        command.getHook().sendMessage("only you can see this").setEphemeral(true).complete();
        assertThat(slash.awaitFollowUp(b -> b.getInteger("flags", 0) == 64, WAIT).body().getString("content"))
                .isEqualTo("only you can see this");

        FakeInteraction click = fake.dispatchButton(fake.general(), alice, card.getIdLong(), "q:abcdefghijklmnop");
        ButtonInteractionEvent button = next(ButtonInteractionEvent.class);
        assertThat(button.getComponentId()).isEqualTo("q:abcdefghijklmnop");
        assertThat(button.getMessageIdLong()).isEqualTo(card.getIdLong());
        button.deferEdit().queue();
        assertThat(click.awaitCallbackType(WAIT)).isEqualTo(6);
        button.getHook().editOriginal("merge R1: approved by alice").complete();
        assertThat(fake.message(fake.general(), card.getIdLong()).orElseThrow().getString("content"))
                .isEqualTo("merge R1: approved by alice");

        FakeInteraction typing = fake.dispatchAutocomplete(fake.general(), alice, "quorum", "command", "R");
        CommandAutoCompleteInteractionEvent auto = next(CommandAutoCompleteInteractionEvent.class);
        assertThat(auto.getFocusedOption().getValue()).isEqualTo("R");
        auto.replyChoiceStrings("R1", "R2").queue();
        assertThat(typing.awaitCallback(WAIT).body().getJsonObject("data").getJsonArray("choices")).hasSize(2);
    }
}
