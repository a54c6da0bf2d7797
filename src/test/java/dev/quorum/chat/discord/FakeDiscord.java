package dev.quorum.chat.discord;

import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.quorum.chat.discord.FakeDiscordShapes.error;
import static dev.quorum.chat.discord.FakeDiscordShapes.id;
import static dev.quorum.chat.discord.FakeDiscordShapes.snowflake;

/**
 * Discord as a real server on 127.0.0.1, written for Quorum's tests: the REST API under
 * {@link #apiUrl()} (records every call; answers with Discord's JSON and Discord's errors) and
 * the gateway WebSocket at {@code /gateway} ({@link FakeGateway}), plus a bare {@code /echo}
 * WebSocket (the benchmark's floor). It holds a small world: the bot, one guild with a
 * {@code #general} text channel, users the test adds, DM channels, threads made from messages,
 * the messages in each channel, registered commands, and the interactions it dispatched. All
 * state lives on one event loop; the test methods hop onto it and wait.
 */
final class FakeDiscord implements AutoCloseable {
    static final String DEFAULT_TOKEN = "fake.discord-bot.token";

    /** A Discord user (a member of the fake's guild unless it only ever writes in a DM). */
    record User(long id, String username, boolean bot) {
        /** How Discord writes a mention of this user in message content. */
        String mention() {
            return "<@" + FakeDiscordShapes.id(id) + ">";
        }

        String idString() {
            return FakeDiscordShapes.id(id);
        }
    }

    record Guild(long id, String name, long ownerId, String joinedAt) {}

    /** A channel: a guild text channel, a DM, or a thread (whose parent is a text channel). */
    record Channel(long id, int type, Long guildId, Long parentId, String name, User recipient) {}

    /** An uploaded file of a multipart request. */
    record File(String field, String filename, String contentType, Buffer content) {}

    /** One REST call as received: method, path below the API base, headers, the JSON body (multipart: payload_json), files. */
    record Call(String method, String path, String query, MultiMap headers, JsonObject body, JsonArray arrayBody,
                List<File> files, long nanos, int status) {
        String header(String name) {
            return headers.get(name);
        }

        @Override
        public String toString() {
            return method + " " + path + " -> " + status + (body == null ? "" : " " + body.encode());
        }
    }

    /** A scripted answer for the next matching call (a 429, a 500...). */
    record Answer(int status, Map<String, String> headers, JsonObject body) {
        static Answer rateLimited(double retryAfterSeconds, boolean global) {
            return new Answer(429, Map.of("Retry-After", String.valueOf((int) Math.ceil(retryAfterSeconds)),
                    "X-RateLimit-Scope", global ? "global" : "user", "X-RateLimit-Remaining", "0",
                    "X-RateLimit-Reset-After", String.valueOf(retryAfterSeconds)),
                    new JsonObject().put("message", "You are being rate limited.").put("retry_after", retryAfterSeconds)
                            .put("global", global));
        }

        static Answer status(int status, String message, int code) {
            return new Answer(status, Map.of(), error(message, code));
        }
    }

    private record Scripted(String method, Pattern path, Answer answer) {}

    private final Vertx vertx = Vertx.vertx();
    private final Context loop = vertx.getOrCreateContext();
    private final HttpServer server;
    private final FakeGateway gateway = new FakeGateway(this);
    private final String token;
    private final User bot;
    private final User owner;
    private final long applicationId = snowflake();
    private final Guild guild;
    private final long general;
    private final long everyoneRole;
    /** The managed role Discord gives a bot that joins with permissions. */
    private final long botRole;
    // world state, confined to the loop
    private final Map<Long, User> users = new LinkedHashMap<>();
    private final Map<Long, Channel> channels = new LinkedHashMap<>();
    private final Map<Long, LinkedHashMap<Long, JsonObject>> roles = new LinkedHashMap<>();
    private final Map<Long, List<Long>> memberRoles = new HashMap<>();
    private final Map<Long, LinkedHashMap<Long, JsonObject>> messages = new HashMap<>();
    private final Map<Long, FakeInteraction> interactions = new HashMap<>();
    private final Map<String, FakeInteraction> interactionsByToken = new HashMap<>();
    private final Map<String, JsonArray> commands = new LinkedHashMap<>();
    private final Map<Long, Long> dmByUser = new HashMap<>();
    // readable from any thread
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final Queue<Scripted> scripted = new ConcurrentLinkedQueue<>();
    private final Map<String, Duration> slow = new ConcurrentHashMap<>();
    private volatile boolean dispatchOwnMessages = true;
    /** How long after its dispatch an interaction may be acknowledged (Discord: 3 seconds). */
    private volatile Duration ackWindow = Duration.ofSeconds(3);

    FakeDiscord() throws Exception {
        this(DEFAULT_TOKEN);
    }

    FakeDiscord(String token) throws Exception {
        this.token = token;
        this.bot = new User(snowflake(), "Quorum", true);
        this.owner = new User(snowflake(), "owner", false);
        users.put(bot.id(), bot);
        users.put(owner.id(), owner);
        this.guild = new Guild(snowflake(), "Quorum Test", owner.id(), FakeDiscordShapes.now());
        this.everyoneRole = guild.id();
        LinkedHashMap<Long, JsonObject> guildRoles = new LinkedHashMap<>();
        guildRoles.put(everyoneRole, FakeDiscordShapes.role(everyoneRole, "@everyone", 0, "104324673"));
        this.botRole = snowflake();
        guildRoles.put(botRole, FakeDiscordShapes.role(botRole, bot.username(), 1, Long.toString(FakeDiscordShapes.BOT_PERMISSIONS), true)
                .put("tags", new JsonObject().put("bot_id", bot.idString())));
        roles.put(guild.id(), guildRoles);
        memberRoles.put(bot.id(), new ArrayList<>(List.of(botRole)));
        this.general = snowflake();
        channels.put(general, new Channel(general, FakeDiscordShapes.TEXT_CHANNEL, guild.id(), null, "general", null));
        CompletableFuture<HttpServer> started = new CompletableFuture<>();
        loop.runOnContext(v -> vertx.createHttpServer().requestHandler(this::handle).webSocketHandler(this::socket)
                .listen(0, "127.0.0.1").onComplete(r -> {
                    if (r.succeeded()) started.complete(r.result());
                    else started.completeExceptionally(r.cause());
                }));
        server = started.get(10, TimeUnit.SECONDS);
    }

    // ---- addresses and identity ----

    /** The REST base for {@code DISCORD_API_URL} / JDA's {@code RestConfig#setBaseUrl}, ending in a slash. */
    String apiUrl() {
        return "http://127.0.0.1:" + server.actualPort() + "/api/v10/";
    }

    /** What {@code gateway/bot} answers with. */
    String gatewayUrl() {
        return "ws://127.0.0.1:" + server.actualPort() + "/gateway";
    }

    /** A bare WebSocket that sends every frame back: the floor of the benchmark. */
    String echoUrl() {
        return "ws://127.0.0.1:" + server.actualPort() + "/echo";
    }

    int port() {
        return server.actualPort();
    }

    String token() {
        return token;
    }

    User bot() {
        return bot;
    }

    long applicationId() {
        return applicationId;
    }

    long guildId() {
        return guild.id();
    }

    /** The guild's {@code #general} text channel. */
    long general() {
        return general;
    }

    // ---- building the world ----

    /** A new human member of the guild. */
    User user(String username) {
        return join(username, false);
    }

    /** Another bot (or a webhook's author) in the guild. */
    User otherBot(String username) {
        return join(username, true);
    }

    private User join(String username, boolean isBot) {
        return onLoop(() -> {
            User u = new User(snowflake(), username, isBot);
            users.put(u.id(), u);
            memberRoles.put(u.id(), new ArrayList<>());
            gateway.dispatch("GUILD_MEMBER_ADD", FakeDiscordShapes.member(u, List.of(), FakeDiscordShapes.now())
                    .put("guild_id", id(guild.id())), s -> (s.intents & FakeGateway.GUILD_MEMBERS) != 0);
            return u;
        });
    }

    /** A new role in the guild (GUILD_ROLE_CREATE to the sessions). */
    long role(String name) {
        return onLoop(() -> {
            long id = snowflake();
            LinkedHashMap<Long, JsonObject> guildRoles = roles.get(guild.id());
            JsonObject role = FakeDiscordShapes.role(id, name, guildRoles.size(), "0");
            guildRoles.put(id, role);
            gateway.dispatch("GUILD_ROLE_CREATE", new JsonObject().put("guild_id", id(guild.id())).put("role", role),
                    s -> (s.intents & FakeGateway.GUILDS) != 0);
            return id;
        });
    }

    /** Gives a member a role; messages and interactions from them carry it from now on. */
    void giveRole(User member, long role) {
        onLoop(() -> memberRoles.computeIfAbsent(member.id(), k -> new ArrayList<>()).add(role));
    }

    /** A new text channel in the guild (CHANNEL_CREATE to the sessions). */
    long textChannel(String name) {
        return onLoop(() -> {
            long id = snowflake();
            Channel c = new Channel(id, FakeDiscordShapes.TEXT_CHANNEL, guild.id(), null, name, null);
            channels.put(id, c);
            gateway.dispatch("CHANNEL_CREATE", channelJson(c), s -> (s.intents & FakeGateway.GUILDS) != 0);
            return id;
        });
    }

    /** The DM channel between the bot and {@code user} (created on first use, as Discord does). */
    long dmChannel(User user) {
        return onLoop(() -> dmOf(user));
    }

    private long dmOf(User user) {
        return dmByUser.computeIfAbsent(user.id(), k -> {
            long id = snowflake();
            channels.put(id, new Channel(id, FakeDiscordShapes.DM_CHANNEL, null, null, null, user));
            return id;
        });
    }

    /** Shortens Discord's 3 seconds for acknowledging an interaction, to test a late acknowledgement quickly. */
    void ackWindow(Duration window) {
        ackWindow = window;
    }

    /** When false, the bot's own posts are not echoed back to it as MESSAGE_CREATE (Discord does echo them). */
    void dispatchOwnMessages(boolean on) {
        dispatchOwnMessages = on;
    }

    // ---- gateway controls ----

    /** The "Message Content Intent" switch of the developer portal; off → an IDENTIFY asking for it is closed with 4014. */
    void messageContentIntentEnabled(boolean enabled) {
        onLoop(() -> gateway.enabledPrivilegedIntents = enabled
                ? gateway.enabledPrivilegedIntents | FakeGateway.MESSAGE_CONTENT
                : gateway.enabledPrivilegedIntents & ~FakeGateway.MESSAGE_CONTENT);
    }

    /** The gateway refuses the token (close 4004) while REST still accepts it: a token reset in between. */
    void refuseTokenAtGateway(boolean refuse) {
        onLoop(() -> gateway.refuseToken = refuse);
    }

    void heartbeatInterval(int millis) {
        onLoop(() -> gateway.heartbeatInterval = millis);
    }

    /** Closes every live gateway connection (1001, as Discord's load balancer does); the sessions stay resumable. */
    int dropConnection() {
        return onLoop(gateway::dropConnections);
    }

    /** Sends op 7 RECONNECT on every live connection. */
    void requestReconnect() {
        onLoop(gateway::requestReconnect);
    }

    /** How many IDENTIFYs the gateway accepted or refused so far. */
    int identifies() {
        return (int) gateway.received.stream().filter(r -> r.op() == FakeGateway.IDENTIFY).count();
    }

    int resumes() {
        return (int) gateway.received.stream().filter(r -> r.op() == FakeGateway.RESUME).count();
    }

    int heartbeats() {
        return (int) gateway.received.stream().filter(r -> r.op() == FakeGateway.HEARTBEAT).count();
    }

    /** Gateway sessions with a connection now. */
    int liveSessions() {
        return onLoop(gateway::liveSessions);
    }

    /** Every payload the gateway received, in order. */
    List<FakeGateway.Received> gatewayReceived() {
        return List.copyOf(gateway.received);
    }

    /** Close codes the gateway sent, in order. */
    List<Integer> closeCodesSent() {
        return List.copyOf(gateway.closeCodesSent);
    }

    /** The query strings gateway connections were opened with (v, encoding, compress). */
    List<String> gatewayQueries() {
        return List.copyOf(gateway.connectedQueries);
    }

    void awaitLiveSessions(int n, Duration timeout) {
        poll(timeout, () -> Optional.of(liveSessions()).filter(l -> l == n),
                () -> "expected " + n + " live gateway sessions, have " + liveSessions());
    }

    // ---- dispatches ----

    /**
     * A member writes {@code content} in {@code channel} (guild channel, thread or DM); Discord fills
     * {@code mentions} from the {@code <@id>}s in it. Returns the message as dispatched.
     */
    JsonObject dispatchMessageCreate(long channel, User author, String content) {
        return onLoop(() -> {
            Channel c = channelOrFail(channel);
            JsonObject message = FakeDiscordShapes.message(snowflake(), channel, c.guildId(), author, content, this);
            if (c.guildId() != null) message.put("member", FakeDiscordShapes.partialMember(rolesOf(author), guild.joinedAt()));
            store(c, message);
            dispatchMessage("MESSAGE_CREATE", c, message);
            return message.copy();
        });
    }

    /**
     * The same MESSAGE_CREATE once more, with its original id and content, as Discord sends a
     * dispatch again (a replay after a resume, an at-least-once delivery).
     */
    void redeliverMessage(long channel, JsonObject message) {
        onLoop(() -> {
            dispatchMessage("MESSAGE_CREATE", channelOrFail(channel), message.copy());
            return null;
        });
    }

    /** A slash command ({@code /name} with {@code options}, e.g. {@link #stringOption}) by {@code user} in {@code channel}. */
    FakeInteraction dispatchSlashCommand(long channel, User user, String name, JsonArray options) {
        return onLoop(() -> {
            JsonObject data = new JsonObject().put("id", commandId(name, channel)).put("name", name).put("type", 1)
                    .put("options", options);
            if (guildOf(channel) != null) data.put("guild_id", id(guild.id()));
            return interaction(FakeInteraction.APPLICATION_COMMAND, channel, user, data, null);
        });
    }

    /** A click on the button {@code customId} of the bot's message {@code messageId}. */
    FakeInteraction dispatchButton(long channel, User user, long messageId, String customId) {
        return onLoop(() -> {
            JsonObject message = messageOrNull(channel, messageId);
            if (message == null) throw new AssertionError("no message " + messageId + " in channel " + channel);
            JsonObject data = new JsonObject().put("custom_id", customId).put("component_type", 2);
            return interaction(FakeInteraction.MESSAGE_COMPONENT, channel, user, data, message);
        });
    }

    /** Autocomplete of option {@code option} of {@code /name} while the member has typed {@code typed}. */
    FakeInteraction dispatchAutocomplete(long channel, User user, String name, String option, String typed) {
        return onLoop(() -> {
            JsonArray options = new JsonArray().add(new JsonObject().put("type", 3).put("name", option).put("value", typed)
                    .put("focused", true));
            JsonObject data = new JsonObject().put("id", commandId(name, channel)).put("name", name).put("type", 1)
                    .put("options", options);
            return interaction(FakeInteraction.APPLICATION_COMMAND_AUTOCOMPLETE, channel, user, data, null);
        });
    }

    /** A string option (type 3) of a slash command. */
    static JsonArray stringOption(String name, String value) {
        return new JsonArray().add(new JsonObject().put("type", 3).put("name", name).put("value", value));
    }

    private FakeInteraction interaction(int type, long channel, User user, JsonObject data, JsonObject message) {
        Channel c = channelOrFail(channel);
        long id = snowflake();
        String interactionToken = "aW50ZXJhY3Rpb246" + id(id) + "OjNi" + java.util.UUID.randomUUID().toString().replace("-", "");
        JsonObject payload = new JsonObject().put("id", id(id)).put("application_id", id(applicationId)).put("type", type)
                .put("data", data).put("channel_id", id(channel)).put("channel", channelJson(c)).put("token", interactionToken)
                .put("version", 1).put("locale", "en-US").put("app_permissions", FakeDiscordShapes.ALL_PERMISSIONS)
                .put("entitlements", new JsonArray()).put("attachment_size_limit", 10 * 1024 * 1024);
        if (c.guildId() != null) {
            payload.put("guild_id", id(guild.id())).put("guild_locale", "en-US")
                    .put("guild", new JsonObject().put("id", id(guild.id())).put("locale", "en-US").put("features", new JsonArray()))
                    .put("member", FakeDiscordShapes.member(user, rolesOf(user), guild.joinedAt())
                            .put("permissions", "104324673"))
                    .put("authorizing_integration_owners", new JsonObject().put("0", id(guild.id())))
                    .put("context", 0);
        } else {
            payload.put("user", FakeDiscordShapes.user(user))
                    .put("authorizing_integration_owners", new JsonObject().put("0", "0"))
                    .put("context", 1);
        }
        if (message != null) payload.put("message", message.copy());
        FakeInteraction i = new FakeInteraction(id, interactionToken, type, channel, user, message == null ? 0
                : Long.parseUnsignedLong(message.getString("id")), payload);
        interactions.put(id, i);
        interactionsByToken.put(interactionToken, i);
        i.sentNanos = System.nanoTime();
        // Interactions need no intent; Discord sends each to one session of the bot
        FakeGateway.Session[] first = new FakeGateway.Session[1];
        gateway.dispatch("INTERACTION_CREATE", payload, s -> {
            if (first[0] != null || s.connection == null) return false;
            first[0] = s;
            return true;
        });
        return i;
    }

    private String commandId(String name, long channel) {
        for (String scope : new String[] {guildOf(channel) == null ? "" : id(guild.id()), "global"}) {
            JsonArray registered = commands.get(scope);
            if (registered == null) continue;
            for (Object o : registered) {
                JsonObject cmd = (JsonObject) o;
                if (name.equals(cmd.getString("name"))) return cmd.getString("id");
            }
        }
        return id(snowflake());
    }

    private void dispatchMessage(String type, Channel c, JsonObject message) {
        int needed = c.guildId() == null ? FakeGateway.DIRECT_MESSAGES : FakeGateway.GUILD_MESSAGES;
        gateway.dispatch(type, message, s -> (s.intents & needed) != 0);
    }

    /**
     * What a session receives of a dispatch: without the Message Content intent, a message's
     * content, embeds, attachments and components are empty unless it is a DM, mentions the bot or
     * is the bot's own (Discord's rule).
     */
    JsonObject shapedFor(FakeGateway.Session s, String type, JsonObject data) {
        if (!type.startsWith("MESSAGE_") || (s.intents & FakeGateway.MESSAGE_CONTENT) != 0) return data;
        boolean dm = !data.containsKey("guild_id");
        boolean own = bot.idString().equals(data.getJsonObject("author", new JsonObject()).getString("id"));
        boolean mentioned = data.getJsonArray("mentions", new JsonArray()).stream()
                .anyMatch(o -> bot.idString().equals(((JsonObject) o).getString("id")));
        if (dm || own || mentioned) return data;
        return data.copy().put("content", "").put("embeds", new JsonArray()).put("attachments", new JsonArray())
                .put("components", new JsonArray());
    }

    // ---- reading what the bot did ----

    List<Call> calls() {
        return List.copyOf(calls);
    }

    /** Calls whose method is {@code method} and whose path (below {@code /api/v10/}) matches {@code pathRegex} entirely. */
    List<Call> calls(String method, String pathRegex) {
        Pattern p = Pattern.compile(pathRegex);
        return calls.stream().filter(c -> c.method().equals(method) && p.matcher(c.path()).matches()).toList();
    }

    Call awaitCall(String method, String pathRegex, Duration timeout) {
        return awaitCall(method, pathRegex, c -> true, timeout);
    }

    Call awaitCall(String method, String pathRegex, Predicate<Call> matching, Duration timeout) {
        return poll(timeout, () -> calls(method, pathRegex).stream().filter(matching).findFirst(),
                () -> "no " + method + " " + pathRegex + " matched; calls: " + calls);
    }

    /** The messages of a channel as they stand now (edits applied), oldest first. */
    List<JsonObject> messages(long channel) {
        return onLoop(() -> messages.getOrDefault(channel, new LinkedHashMap<>()).values().stream().map(JsonObject::copy).toList());
    }

    /** The messages the bot posted in {@code channel}. */
    List<JsonObject> botMessages(long channel) {
        return messages(channel).stream().filter(m -> bot.idString().equals(m.getJsonObject("author").getString("id"))).toList();
    }

    Optional<JsonObject> message(long channel, long messageId) {
        return onLoop(() -> Optional.ofNullable(messageOrNull(channel, messageId)).map(JsonObject::copy));
    }

    /** Waits for a message in {@code channel} that matches. */
    JsonObject awaitMessage(long channel, Predicate<JsonObject> matching, Duration timeout) {
        return poll(timeout, () -> messages(channel).stream().filter(matching).findFirst(),
                () -> "no message matched in channel " + channel + "; messages: " + messages(channel));
    }

    /** The thread started from message {@code messageId} (Discord gives it the message's id), if any. */
    Optional<Channel> threadOf(long messageId) {
        return onLoop(() -> Optional.ofNullable(channels.get(messageId)).filter(c -> c.type() == FakeDiscordShapes.PUBLIC_THREAD));
    }

    /** The commands registered by bulk overwrite: {@code "global"} or a guild id. */
    JsonArray commands(String scope) {
        return onLoop(() -> commands.getOrDefault(scope, new JsonArray()).copy());
    }

    FakeInteraction interaction(long id) {
        return onLoop(() -> interactions.get(id));
    }

    /** The next call of {@code method} on a path matching {@code pathRegex} gets {@code answer} instead. */
    void script(String method, String pathRegex, Answer answer) {
        scripted.add(new Scripted(method, Pattern.compile(pathRegex), answer));
    }

    /** Every call of {@code method} is answered only after {@code delay}. */
    void slow(String method, Duration delay) {
        slow.put(method, delay);
    }

    // ---- the world as JSON, for the gateway ----

    User knownUser(long id) {
        return users.get(id);
    }

    JsonObject ready(String sessionId, String resumeUrl) {
        return new JsonObject().put("v", 10).put("user", FakeDiscordShapes.selfUser(bot))
                .put("guilds", new JsonArray().add(new JsonObject().put("id", id(guild.id())).put("unavailable", true)))
                .put("session_id", sessionId).put("session_type", "normal").put("resume_gateway_url", resumeUrl)
                .put("application", new JsonObject().put("id", id(applicationId)).put("flags", (1 << 19) | (1 << 15)))
                .put("private_channels", new JsonArray()).put("relationships", new JsonArray()).put("presences", new JsonArray())
                .put("guild_join_requests", new JsonArray()).put("geo_ordered_rtc_regions", new JsonArray())
                .put("user_settings", new JsonObject()).put("auth", new JsonObject())
                .put("_trace", new JsonArray().add("[\"fake-gateway\"]"));
    }

    List<JsonObject> guildCreates() {
        JsonArray channelArray = new JsonArray();
        JsonArray threads = new JsonArray();
        int position = 0;
        for (Channel c : channels.values()) {
            if (!guildIdEquals(c)) continue;
            JsonObject json = channelJson(c);
            json.remove("guild_id"); // channels inside GUILD_CREATE carry no guild_id
            if (c.type() == FakeDiscordShapes.PUBLIC_THREAD) threads.add(json);
            else channelArray.add(json.put("position", position++));
        }
        JsonArray members = new JsonArray().add(FakeDiscordShapes.member(bot, rolesOf(bot), guild.joinedAt()));
        JsonObject g = FakeDiscordShapes.guildCreate(guild, channelArray, new JsonArray(List.copyOf(roles.get(guild.id()).values())),
                members);
        g.put("threads", threads);
        return List.of(g);
    }

    private boolean guildIdEquals(Channel c) {
        return c.guildId() != null && c.guildId() == guild.id();
    }

    private JsonObject channelJson(Channel c) {
        return switch (c.type()) {
            case FakeDiscordShapes.DM_CHANNEL -> FakeDiscordShapes.dmChannel(c.id(), c.recipient());
            case FakeDiscordShapes.PUBLIC_THREAD -> FakeDiscordShapes.thread(c.id(), c.guildId(), c.parentId(), bot.id(), c.name(), 1440);
            default -> FakeDiscordShapes.textChannel(c.id(), c.guildId(), c.name(), 0);
        };
    }

    private List<Long> rolesOf(User u) {
        return List.copyOf(memberRoles.getOrDefault(u.id(), List.of()));
    }

    private Long guildOf(long channel) {
        Channel c = channels.get(channel);
        return c == null ? null : c.guildId();
    }

    private Channel channelOrFail(long channel) {
        Channel c = channels.get(channel);
        if (c == null) throw new AssertionError("the fake has no channel " + channel);
        return c;
    }

    private JsonObject messageOrNull(long channel, long messageId) {
        LinkedHashMap<Long, JsonObject> inChannel = messages.get(channel);
        return inChannel == null ? null : inChannel.get(messageId);
    }

    private void store(Channel c, JsonObject message) {
        messages.computeIfAbsent(c.id(), k -> new LinkedHashMap<>()).put(Long.parseUnsignedLong(message.getString("id")), message);
    }

    // ---- sockets ----

    private void socket(ServerWebSocket ws) {
        switch (ws.path()) {
            case "/gateway", "/gateway/" -> gateway.accept(ws);
            case "/echo" -> {
                ws.textMessageHandler(ws::writeTextMessage);
                ws.binaryMessageHandler(ws::writeBinaryMessage);
                ws.exceptionHandler(e -> {});
            }
            default -> ws.close((short) 4404, "not found");
        }
    }

    // ---- REST ----

    private void handle(HttpServerRequest req) {
        long nanos = System.nanoTime();
        String fullPath = req.path();
        if (!fullPath.startsWith("/api/v10/")) {
            req.response().setStatusCode(404).end(error("404: Not Found", 0).encode());
            return;
        }
        // "@" may come percent-encoded (OkHttp writes reactions/{emoji}/%40me); Discord reads both alike
        String path = fullPath.substring("/api/v10/".length()).replace("%40", "@");
        String contentType = String.valueOf(req.getHeader("Content-Type"));
        if (contentType.startsWith("multipart/form-data")) {
            List<File> files = new ArrayList<>();
            req.setExpectMultipart(true);
            req.uploadHandler(upload -> {
                Buffer content = Buffer.buffer();
                upload.handler(content::appendBuffer);
                upload.endHandler(v -> files.add(new File(upload.name(), upload.filename(), upload.contentType(), content)));
            });
            req.endHandler(v -> {
                String payload = req.formAttributes().get("payload_json");
                respondLater(req, path, nanos, payload == null ? Buffer.buffer() : Buffer.buffer(payload), files);
            });
        } else {
            req.body().onSuccess(body -> respondLater(req, path, nanos, body, List.of()));
        }
    }

    private void respondLater(HttpServerRequest req, String path, long nanos, Buffer body, List<File> files) {
        Duration delay = slow.get(req.method().name());
        if (delay == null) respond(req, path, nanos, body, files);
        else vertx.setTimer(Math.max(1, delay.toMillis()), t -> respond(req, path, nanos, body, files));
    }

    /** What a call gets: its status, headers and JSON (null = no body). */
    private record Reply(int status, Object json, Map<String, String> headers) {
        static Reply ok(Object json) {
            return new Reply(200, json, Map.of());
        }

        static Reply noContent() {
            return new Reply(204, null, Map.of());
        }

        static Reply fail(int status, String message, int code) {
            return new Reply(status, error(message, code), Map.of());
        }
    }

    private void respond(HttpServerRequest req, String path, long nanos, Buffer raw, List<File> files) {
        String method = req.method().name();
        JsonObject body = null;
        JsonArray arrayBody = null;
        Reply reply;
        try {
            String text = raw.toString(StandardCharsets.UTF_8).strip();
            if (text.startsWith("[")) arrayBody = new JsonArray(text);
            else if (!text.isEmpty()) body = new JsonObject(text);
            reply = scriptedFor(method, path).map(a -> new Reply(a.status(), a.body(), a.headers()))
                    .orElseGet(() -> authorized(req, path) ? route(method, path, req.query(), raw, files) : Reply.fail(401, "401: Unauthorized", 0));
        } catch (DecodeException e) {
            reply = Reply.fail(400, "400: Bad Request", 50109); // "The request body contains invalid JSON."
        }
        calls.add(new Call(method, path, req.query(), MultiMap.caseInsensitiveMultiMap().addAll(req.headers()),
                body, arrayBody, List.copyOf(files), nanos, reply.status()));
        var response = req.response().setStatusCode(reply.status());
        reply.headers().forEach(response::putHeader);
        if (reply.json() == null) {
            response.end();
        } else {
            response.putHeader("Content-Type", "application/json");
            response.end(reply.json() instanceof JsonObject o ? o.encode() : ((JsonArray) reply.json()).encode());
        }
    }

    private Optional<Answer> scriptedFor(String method, String path) {
        for (Scripted s : scripted) {
            if (s.method().equals(method) && s.path().matcher(path).matches() && scripted.remove(s)) return Optional.of(s.answer());
        }
        return Optional.empty();
    }

    /** Interaction callbacks and webhook calls are authorised by their token in the path; the rest need {@code Bot <token>}. */
    private boolean authorized(HttpServerRequest req, String path) {
        if (path.startsWith("interactions/") || path.startsWith("webhooks/")) return true;
        return ("Bot " + token).equals(req.getHeader("Authorization"));
    }

    private static final Pattern CHANNEL_MESSAGES = Pattern.compile("channels/(\\d+)/messages");
    private static final Pattern CHANNEL_MESSAGE = Pattern.compile("channels/(\\d+)/messages/(\\d+)");
    private static final Pattern THREAD_FROM_MESSAGE = Pattern.compile("channels/(\\d+)/messages/(\\d+)/threads");
    private static final Pattern OWN_REACTION = Pattern.compile("channels/(\\d+)/messages/(\\d+)/reactions/([^/]+)/@me");
    private static final Pattern CHANNEL = Pattern.compile("channels/(\\d+)");
    private static final Pattern TYPING = Pattern.compile("channels/(\\d+)/typing");
    private static final Pattern CALLBACK = Pattern.compile("interactions/(\\d+)/([^/]+)/callback");
    private static final Pattern WEBHOOK = Pattern.compile("webhooks/(\\d+)/([^/]+)");
    private static final Pattern WEBHOOK_MESSAGE = Pattern.compile("webhooks/(\\d+)/([^/]+)/messages/(@original|\\d+)");
    private static final Pattern GLOBAL_COMMANDS = Pattern.compile("applications/(\\d+)/commands");
    private static final Pattern GUILD_COMMANDS = Pattern.compile("applications/(\\d+)/guilds/(\\d+)/commands");

    private Reply route(String method, String path, String query, Buffer raw, List<File> files) {
        String text = raw.toString(StandardCharsets.UTF_8).strip();
        JsonObject body = text.startsWith("{") ? new JsonObject(text) : new JsonObject();
        Matcher m;
        switch (method + " " + path) {
            case "GET users/@me" -> {
                return Reply.ok(FakeDiscordShapes.selfUser(bot));
            }
            case "GET gateway" -> {
                return Reply.ok(new JsonObject().put("url", gatewayUrl()));
            }
            case "GET gateway/bot" -> {
                return Reply.ok(new JsonObject().put("url", gatewayUrl()).put("shards", 1).put("session_start_limit",
                        new JsonObject().put("total", 1000).put("remaining", 999).put("reset_after", 14_400_000)
                                .put("max_concurrency", 1)));
            }
            case "GET applications/@me", "GET oauth2/applications/@me" -> {
                return Reply.ok(FakeDiscordShapes.application(applicationId, bot, owner));
            }
            case "POST users/@me/channels" -> {
                User recipient = users.get(Long.parseLong(body.getString("recipient_id", "0")));
                if (recipient == null) return Reply.fail(400, "Invalid Recipient(s)", 50033);
                return Reply.ok(channelJson(channels.get(dmOf(recipient))));
            }
            default -> { }
        }
        if ((m = CHANNEL_MESSAGES.matcher(path)).matches() && method.equals("POST")) {
            return createMessage(Long.parseLong(m.group(1)), body, files, bot);
        }
        if ((m = CHANNEL_MESSAGE.matcher(path)).matches()) {
            long channel = Long.parseLong(m.group(1));
            long id = Long.parseLong(m.group(2));
            return switch (method) {
                case "GET" -> Optional.ofNullable(messageOrNull(channel, id)).map(Reply::ok)
                        .orElse(Reply.fail(404, "Unknown Message", 10008));
                case "PATCH" -> editMessage(channel, id, body, files);
                default -> Reply.fail(405, "405: Method Not Allowed", 0);
            };
        }
        if ((m = THREAD_FROM_MESSAGE.matcher(path)).matches() && method.equals("POST")) {
            return startThread(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), body);
        }
        if ((m = OWN_REACTION.matcher(path)).matches() && method.equals("PUT")) {
            return react(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), URLDecoder.decode(m.group(3), StandardCharsets.UTF_8));
        }
        if ((m = TYPING.matcher(path)).matches() && method.equals("POST")) {
            return channels.containsKey(Long.parseLong(m.group(1))) ? Reply.noContent() : Reply.fail(404, "Unknown Channel", 10003);
        }
        if ((m = CHANNEL.matcher(path)).matches() && method.equals("GET")) {
            Channel c = channels.get(Long.parseLong(m.group(1)));
            return c == null ? Reply.fail(404, "Unknown Channel", 10003) : Reply.ok(channelJson(c));
        }
        if ((m = CALLBACK.matcher(path)).matches() && method.equals("POST")) {
            return callback(Long.parseLong(m.group(1)), m.group(2), query, body, files);
        }
        if ((m = WEBHOOK_MESSAGE.matcher(path)).matches()) {
            return webhookMessage(method, Long.parseLong(m.group(1)), m.group(2), m.group(3), body, files);
        }
        if ((m = WEBHOOK.matcher(path)).matches() && method.equals("POST")) {
            return followUp(Long.parseLong(m.group(1)), m.group(2), body, files);
        }
        if ((m = GUILD_COMMANDS.matcher(path)).matches()) {
            return commands(method, Long.parseLong(m.group(1)), m.group(2), text);
        }
        if ((m = GLOBAL_COMMANDS.matcher(path)).matches()) {
            return commands(method, Long.parseLong(m.group(1)), "global", text);
        }
        return Reply.fail(404, "404: Not Found", 0);
    }

    private Reply createMessage(long channel, JsonObject body, List<File> files, User author) {
        Channel c = channels.get(channel);
        if (c == null) return Reply.fail(404, "Unknown Channel", 10003);
        Optional<Reply> invalid = invalidMessage(body, files, true);
        if (invalid.isPresent()) return invalid.get();
        JsonObject message = FakeDiscordShapes.message(snowflake(), channel, c.guildId(), author, body.getString("content", ""), this);
        apply(message, body, files);
        if (body.containsKey("message_reference")) message.put("message_reference", body.getJsonObject("message_reference"));
        store(c, message);
        if (dispatchOwnMessages) dispatchMessage("MESSAGE_CREATE", c, message.copy());
        return Reply.ok(message);
    }

    private Reply editMessage(long channel, long id, JsonObject body, List<File> files) {
        JsonObject message = messageOrNull(channel, id);
        if (message == null) return Reply.fail(404, "Unknown Message", 10008);
        if (!bot.idString().equals(message.getJsonObject("author").getString("id"))) {
            return Reply.fail(403, "Cannot edit a message authored by another user", 50005);
        }
        Optional<Reply> invalid = invalidMessage(body, files, false);
        if (invalid.isPresent()) return invalid.get();
        apply(message, body, files);
        message.put("edited_timestamp", FakeDiscordShapes.now());
        if (dispatchOwnMessages) dispatchMessage("MESSAGE_UPDATE", channels.get(channel), message.copy());
        return Reply.ok(message.copy());
    }

    /** Applies the fields of a create or edit body to a stored message. */
    private void apply(JsonObject message, JsonObject body, List<File> files) {
        if (body.containsKey("content")) message.put("content", body.getString("content") == null ? "" : body.getString("content"));
        if (body.containsKey("embeds")) message.put("embeds", body.getJsonArray("embeds") == null ? new JsonArray() : body.getJsonArray("embeds"));
        if (body.containsKey("components")) {
            message.put("components", body.getJsonArray("components") == null ? new JsonArray() : body.getJsonArray("components"));
        }
        if (body.containsKey("flags")) message.put("flags", body.getInteger("flags", 0) & (64 | 4 | 4096));
        if (!files.isEmpty()) {
            JsonArray attachments = new JsonArray();
            for (File f : files) {
                long attachmentId = snowflake();
                attachments.add(new JsonObject().put("id", id(attachmentId)).put("filename", f.filename())
                        .put("size", f.content().length()).put("content_type", f.contentType())
                        .put("url", "http://127.0.0.1:" + port() + "/attachments/" + id(attachmentId) + "/" + f.filename())
                        .put("proxy_url", "http://127.0.0.1:" + port() + "/attachments/" + id(attachmentId) + "/" + f.filename()));
            }
            message.put("attachments", attachments);
        }
    }

    /**
     * Discord's checks of a message body: content at most 2,000 characters, at most 10 embeds
     * (title 256, description 4,096, 25 fields of name 256 / value 1,024, 6,000 in all), at most 5
     * action rows of at most 5 buttons (label 80, custom_id 100), and not empty.
     */
    private Optional<Reply> invalidMessage(JsonObject body, List<File> files, boolean creating) {
        List<String> problems = new ArrayList<>();
        String content = body.getString("content");
        if (content != null && content.codePointCount(0, content.length()) > 2000) problems.add("content: Must be 2000 or fewer in length.");
        JsonArray embeds = body.getJsonArray("embeds", new JsonArray());
        if (embeds.size() > 10) problems.add("embeds: Must be 10 or fewer in length.");
        int embedTotal = 0;
        for (Object o : embeds) {
            JsonObject e = (JsonObject) o;
            embedTotal += length(e.getString("title")) + length(e.getString("description"));
            if (length(e.getString("title")) > 256) problems.add("embeds.title: Must be 256 or fewer in length.");
            if (length(e.getString("description")) > 4096) problems.add("embeds.description: Must be 4096 or fewer in length.");
            JsonArray fields = e.getJsonArray("fields", new JsonArray());
            if (fields.size() > 25) problems.add("embeds.fields: Must be 25 or fewer in length.");
            for (Object f : fields) {
                JsonObject field = (JsonObject) f;
                embedTotal += length(field.getString("name")) + length(field.getString("value"));
                if (length(field.getString("name")) > 256) problems.add("embeds.fields.name: Must be 256 or fewer in length.");
                if (length(field.getString("value")) > 1024) problems.add("embeds.fields.value: Must be 1024 or fewer in length.");
            }
        }
        if (embedTotal > 6000) problems.add("embeds: Embed size exceeds maximum size of 6000");
        JsonArray rows = body.getJsonArray("components", new JsonArray());
        if (rows.size() > 5) problems.add("components: Must be 5 or fewer in length.");
        for (Object o : rows) {
            JsonObject row = (JsonObject) o;
            JsonArray buttons = row.getJsonArray("components", new JsonArray());
            if (row.getInteger("type", 0) != 1) problems.add("components.type: top-level components must be action rows (1)");
            if (buttons.size() > 5 || buttons.isEmpty()) problems.add("components.components: Must be between 1 and 5 in length.");
            for (Object b : buttons) {
                JsonObject button = (JsonObject) b;
                int style = button.getInteger("style", 0);
                if (length(button.getString("label")) > 80) problems.add("components.label: Must be 80 or fewer in length.");
                if (style == 5 ? button.getString("url") == null : length(button.getString("custom_id")) == 0
                        || length(button.getString("custom_id")) > 100) {
                    problems.add("components.custom_id: a button needs a custom_id of 1 to 100 characters (or a url for style 5)");
                }
            }
        }
        if (!problems.isEmpty()) {
            return Optional.of(new Reply(400, error("Invalid Form Body", 50035).put("errors", new JsonArray(problems)), Map.of()));
        }
        boolean empty = length(content) == 0 && embeds.isEmpty() && files.isEmpty() && rows.isEmpty();
        if (creating && empty) return Optional.of(Reply.fail(400, "Cannot send an empty message", 50006));
        return Optional.empty();
    }

    private static int length(String s) {
        return s == null ? 0 : s.codePointCount(0, s.length());
    }

    private Reply startThread(long channel, long messageId, JsonObject body) {
        Channel parent = channels.get(channel);
        if (parent == null) return Reply.fail(404, "Unknown Channel", 10003);
        if (parent.type() != FakeDiscordShapes.TEXT_CHANNEL) return Reply.fail(400, "Cannot execute action on this channel type", 50024);
        JsonObject message = messageOrNull(channel, messageId);
        if (message == null) return Reply.fail(404, "Unknown Message", 10008);
        String name = body.getString("name", "");
        if (name.isEmpty() || name.length() > 100) {
            return new Reply(400, error("Invalid Form Body", 50035)
                    .put("errors", new JsonArray().add("name: Must be between 1 and 100 in length.")), Map.of());
        }
        if (channels.containsKey(messageId)) return Reply.fail(400, "A thread has already been created for this message", 160004);
        Channel thread = new Channel(messageId, FakeDiscordShapes.PUBLIC_THREAD, parent.guildId(), channel, name, null);
        channels.put(messageId, thread);
        JsonObject json = channelJson(thread);
        message.put("thread", json.copy());
        gateway.dispatch("THREAD_CREATE", json.copy().put("newly_created", true), s -> (s.intents & FakeGateway.GUILDS) != 0);
        return Reply.ok(json);
    }

    private Reply react(long channel, long messageId, String emoji) {
        JsonObject message = messageOrNull(channel, messageId);
        if (message == null) return Reply.fail(404, "Unknown Message", 10008);
        JsonArray reactions = message.getJsonArray("reactions", new JsonArray());
        boolean found = false;
        for (Object o : reactions) {
            JsonObject r = (JsonObject) o;
            if (emoji.equals(r.getJsonObject("emoji").getString("name"))) {
                if (!r.getBoolean("me")) r.put("count", r.getInteger("count") + 1).put("me", true);
                found = true;
            }
        }
        if (!found) {
            reactions.add(new JsonObject().put("count", 1).put("me", true).put("burst_colors", new JsonArray())
                    .put("emoji", new JsonObject().put("id", null).put("name", emoji)));
        }
        message.put("reactions", reactions);
        return Reply.noContent();
    }

    /**
     * An interaction callback: only within 3 seconds ({@link #ackWindow}) of the dispatch (else 10062 Unknown
     * interaction, as Discord), once (else 40060), with a response type that fits the interaction.
     */
    private Reply callback(long id, String interactionToken, String query, JsonObject body, List<File> files) {
        FakeInteraction i = interactions.get(id);
        if (i == null || !i.token().equals(interactionToken)) return Reply.fail(404, "Unknown interaction", 10062);
        if (System.nanoTime() - i.sentNanos > ackWindow.toNanos()) return Reply.fail(404, "Unknown interaction", 10062);
        if (i.acknowledged()) return Reply.fail(400, "Interaction has already been acknowledged.", 40060);
        int type = body.getInteger("type", 0);
        boolean fits = switch (i.type()) {
            case FakeInteraction.APPLICATION_COMMAND -> type == 4 || type == 5 || type == 9;
            case FakeInteraction.MESSAGE_COMPONENT -> type == 4 || type == 5 || type == 6 || type == 7 || type == 9;
            case FakeInteraction.APPLICATION_COMMAND_AUTOCOMPLETE -> type == 8;
            default -> false;
        };
        if (!fits) return Reply.fail(400, "Interaction callback type is not valid for this interaction", 50035);
        JsonObject data = body.getJsonObject("data", new JsonObject());
        if (type == 8 && data.getJsonArray("choices", new JsonArray()).size() > 25) {
            return new Reply(400, error("Invalid Form Body", 50035).put("errors", new JsonArray().add("choices: Must be 25 or fewer in length.")), Map.of());
        }
        if (type == 4 || type == 7) {
            Optional<Reply> invalid = invalidMessage(data, files, type == 4);
            if (invalid.isPresent()) return invalid.get();
        }
        JsonObject responseMessage = null;
        Channel c = channels.get(i.channelId());
        switch (type) {
            case 4, 5 -> {
                // the response is a new message from the bot: "thinking" (flag 128) until edited when deferred
                responseMessage = FakeDiscordShapes.message(snowflake(), i.channelId(), c.guildId(), bot, data.getString("content", ""), this);
                apply(responseMessage, data, files);
                int flags = data.getInteger("flags", 0) & 64;
                responseMessage.put("flags", type == 5 ? flags | 128 : flags).put("webhook_id", id(applicationId))
                        .put("application_id", id(applicationId)).put("interaction_metadata", new JsonObject()
                                .put("id", id(i.id())).put("type", i.type()).put("user", FakeDiscordShapes.user(i.user()))
                                .put("authorizing_integration_owners", i.payload().getJsonObject("authorizing_integration_owners")));
                if ((flags & 64) == 0) store(c, responseMessage);
            }
            case 6 -> responseMessage = messageOrNull(i.channelId(), i.messageId());
            case 7 -> {
                responseMessage = messageOrNull(i.channelId(), i.messageId());
                if (responseMessage != null) {
                    apply(responseMessage, data, files);
                    responseMessage.put("edited_timestamp", FakeDiscordShapes.now());
                }
            }
            default -> { }
        }
        if (responseMessage != null) setOriginal(i, responseMessage);
        Call call = new Call("POST", "interactions/" + id(id) + "/" + interactionToken + "/callback", query,
                MultiMap.caseInsensitiveMultiMap(), body, null, List.copyOf(files), System.nanoTime(), query != null
                && query.contains("with_response=true") ? 200 : 204);
        i.callback.complete(call);
        if (query == null || !query.contains("with_response=true")) return Reply.noContent();
        JsonObject resource = new JsonObject().put("type", type);
        if (responseMessage != null && type != 6) resource.put("message", responseMessage.copy());
        return Reply.ok(new JsonObject().put("interaction", new JsonObject().put("id", id(i.id())).put("type", i.type())
                .put("activity_instance_id", null).put("response_message_id", responseMessage == null ? null : responseMessage.getString("id"))
                .put("response_message_loading", type == 5).put("response_message_ephemeral",
                        responseMessage != null && (responseMessage.getInteger("flags", 0) & 64) != 0))
                .put("resource", resource));
    }

    private void setOriginal(FakeInteraction i, JsonObject message) {
        i.original = message.copy();
        i.originalVersions.add(message.copy());
    }

    /** A follow-up through the interaction's webhook: allowed once the interaction is acknowledged, for 15 minutes. */
    private Reply followUp(long app, String interactionToken, JsonObject body, List<File> files) {
        FakeInteraction i = interactionsByToken.get(interactionToken);
        if (app != applicationId || i == null) return Reply.fail(404, "Unknown Webhook", 10015);
        if (!i.acknowledged()) return Reply.fail(404, "Unknown Webhook", 10015);
        if (System.nanoTime() - i.sentNanos > Duration.ofMinutes(15).toNanos()) return Reply.fail(401, "Invalid Webhook Token", 50027);
        Optional<Reply> invalid = invalidMessage(body, files, true);
        if (invalid.isPresent()) return invalid.get();
        Channel c = channels.get(i.channelId());
        JsonObject message = FakeDiscordShapes.message(snowflake(), i.channelId(), c.guildId(), bot, body.getString("content", ""), this);
        apply(message, body, files);
        message.put("flags", body.getInteger("flags", 0) & 64).put("webhook_id", id(applicationId))
                .put("application_id", id(applicationId));
        if ((message.getInteger("flags") & 64) == 0) store(c, message);
        i.followUps.add(new Call("POST", "webhooks/" + id(app) + "/" + interactionToken, null, MultiMap.caseInsensitiveMultiMap(),
                body, null, List.copyOf(files), System.nanoTime(), 200));
        return Reply.ok(message);
    }

    private Reply webhookMessage(String method, long app, String interactionToken, String which, JsonObject body, List<File> files) {
        FakeInteraction i = interactionsByToken.get(interactionToken);
        if (app != applicationId || i == null || !i.acknowledged()) return Reply.fail(404, "Unknown Webhook", 10015);
        JsonObject target;
        if (which.equals("@original")) {
            target = i.original == null ? null : messageOrNull(i.channelId(), Long.parseUnsignedLong(i.original.getString("id")));
            if (target == null) target = i.original; // ephemeral originals are not in the channel
        } else {
            target = messageOrNull(i.channelId(), Long.parseLong(which));
        }
        if (target == null) return Reply.fail(404, "Unknown Message", 10008);
        if (method.equals("GET")) return Reply.ok(target.copy());
        if (!method.equals("PATCH")) return Reply.fail(405, "405: Method Not Allowed", 0);
        Optional<Reply> invalid = invalidMessage(body, files, false);
        if (invalid.isPresent()) return invalid.get();
        apply(target, body, files);
        target.put("flags", target.getInteger("flags", 0) & ~128).put("edited_timestamp", FakeDiscordShapes.now());
        if (which.equals("@original")) setOriginal(i, target);
        return Reply.ok(target.copy());
    }

    private Reply commands(String method, long app, String scope, String text) {
        if (app != applicationId) return Reply.fail(403, "Missing Access", 50001);
        if (method.equals("GET")) return Reply.ok(commands.getOrDefault(scope, new JsonArray()));
        if (!method.equals("PUT")) return Reply.fail(405, "405: Method Not Allowed", 0);
        JsonArray given = new JsonArray(text.isEmpty() ? "[]" : text);
        if (given.size() > 100) return Reply.fail(400, "Invalid Form Body", 50035);
        JsonArray registered = new JsonArray();
        JsonArray before = commands.getOrDefault(scope, new JsonArray());
        for (Object o : given) {
            JsonObject cmd = ((JsonObject) o).copy();
            String name = cmd.getString("name", "");
            if (!name.matches("[-_\\p{L}\\p{N}]{1,32}") || !name.equals(name.toLowerCase())) {
                return Reply.fail(400, "Invalid Form Body", 50035);
            }
            String existing = before.stream().map(JsonObject.class::cast).filter(b -> name.equals(b.getString("name")))
                    .map(b -> b.getString("id")).findFirst().orElse(id(snowflake()));
            cmd.put("id", existing).put("application_id", id(applicationId)).put("version", id(snowflake()))
                    .put("type", cmd.getInteger("type", 1)).put("default_member_permissions", cmd.getValue("default_member_permissions"))
                    .put("nsfw", cmd.getBoolean("nsfw", false));
            if (!scope.equals("global")) cmd.put("guild_id", scope);
            registered.add(cmd);
        }
        commands.put(scope, registered);
        return Reply.ok(registered);
    }

    // ---- plumbing ----

    /** Runs {@code work} on the fake's event loop and waits for its result. */
    private <T> T onLoop(Callable<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        loop.runOnContext(v -> {
            try {
                result.complete(work.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        try {
            return result.get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof AssertionError a) throw a;
            throw new IllegalStateException(e.getCause());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void onLoop(Runnable work) {
        onLoop(() -> {
            work.run();
            return null;
        });
    }

    /** Polls {@code probe} every 10 ms until it yields a value, or fails with {@code describe}'s text. */
    static <T> T poll(Duration timeout, Supplier<Optional<T>> probe, Supplier<String> describe) {
        long end = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<T> found = probe.get();
            if (found.isPresent()) return found.get();
            if (System.nanoTime() > end) throw new AssertionError(describe.get());
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted");
            }
        }
    }

    @Override
    public void close() throws Exception {
        onLoop(gateway::closeAll);
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
