package dev.quorum.chat.discord;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.zip.Deflater;

/**
 * Discord's gateway (API v10, JSON encoding, optionally {@code compress=zlib-stream}) for the
 * fake: HELLO, IDENTIFY (token and privileged intents checked, 4004 / 4014 as Discord closes),
 * READY then GUILD_CREATE, heartbeats and their ACKs, sequence numbers, RESUME with a replay of
 * what the session missed then RESUMED, INVALID_SESSION for a session it does not know. A
 * session lives on after its connection drops (it can be resumed) and ends when the client
 * closes with 1000 or 1001, as Discord's does. Confined to the fake's event loop.
 */
final class FakeGateway {
    static final int DISPATCH = 0;
    static final int HEARTBEAT = 1;
    static final int IDENTIFY = 2;
    static final int RESUME = 6;
    static final int RECONNECT = 7;
    static final int INVALID_SESSION = 9;
    static final int HELLO = 10;
    static final int HEARTBEAT_ACK = 11;
    static final int GUILDS = 1;
    static final int GUILD_MEMBERS = 1 << 1;
    static final int GUILD_PRESENCES = 1 << 8;
    static final int GUILD_MESSAGES = 1 << 9;
    static final int DIRECT_MESSAGES = 1 << 12;
    static final int MESSAGE_CONTENT = 1 << 15;
    static final int PRIVILEGED = GUILD_MEMBERS | GUILD_PRESENCES | MESSAGE_CONTENT;
    /** How many dispatches a session keeps for a RESUME (Discord keeps a few minutes' worth). */
    private static final int REPLAY_LIMIT = 10_000;

    /** A payload a client sent, as received. */
    record Received(int op, JsonObject d, String sessionId, long nanos) {}

    /** One gateway session (IDENTIFY → READY), which outlives its connections until it is closed for good. */
    static final class Session {
        final String id = UUID.randomUUID().toString().replace("-", "");
        final int intents;
        final List<JsonObject> log = new ArrayList<>();
        int seq;
        Connection connection;
        boolean ended;

        Session(int intents) {
            this.intents = intents;
        }
    }

    /** One WebSocket connection; sends zlib-stream binary frames when the client asked for them. */
    final class Connection {
        final ServerWebSocket ws;
        final Deflater deflater;
        Session session;
        boolean closedByServer;

        Connection(ServerWebSocket ws, boolean zlib) {
            this.ws = ws;
            this.deflater = zlib ? new Deflater() : null;
        }

        void send(JsonObject payload) {
            if (ws.isClosed()) return;
            byte[] text = payload.encode().getBytes(StandardCharsets.UTF_8);
            if (deflater == null) {
                ws.writeTextMessage(new String(text, StandardCharsets.UTF_8));
                return;
            }
            // One zlib stream per connection, each payload ended by a sync flush (00 00 ff ff), as Discord sends them.
            deflater.setInput(text);
            Buffer out = Buffer.buffer();
            byte[] chunk = new byte[8192];
            int n;
            do {
                n = deflater.deflate(chunk, 0, chunk.length, Deflater.SYNC_FLUSH);
                out.appendBytes(chunk, 0, n);
            } while (n == chunk.length);
            ws.writeBinaryMessage(out);
        }

        void close(int code, String reason) {
            closedByServer = true;
            closeCodesSent.add(code);
            ws.close((short) code, reason);
        }
    }

    private final FakeDiscord world;
    private final Map<String, Session> sessions = new LinkedHashMap<>();
    private final List<Connection> connections = new ArrayList<>();
    final List<Received> received = new CopyOnWriteArrayList<>();
    final List<Integer> closeCodesSent = new CopyOnWriteArrayList<>();
    final List<String> connectedQueries = new CopyOnWriteArrayList<>();
    int heartbeatInterval = 41_250;
    int enabledPrivilegedIntents = PRIVILEGED;
    boolean refuseToken;

    FakeGateway(FakeDiscord world) {
        this.world = world;
    }

    void accept(ServerWebSocket ws) {
        String query = ws.query() == null ? "" : ws.query();
        connectedQueries.add(query);
        Connection c = new Connection(ws, query.contains("compress=zlib-stream"));
        if (query.contains("encoding=etf")) {
            c.close(4002, "Error while decoding payload.");
            return;
        }
        connections.add(c);
        ws.textMessageHandler(text -> onPayload(c, text));
        ws.binaryMessageHandler(b -> onPayload(c, b.toString(StandardCharsets.UTF_8)));
        ws.closeHandler(v -> onClosed(c));
        ws.exceptionHandler(e -> {});
        c.send(new JsonObject().put("op", HELLO).put("s", null).put("t", null)
                .put("d", new JsonObject().put("heartbeat_interval", heartbeatInterval).put("_trace", List.of("[\"fake-gateway\"]"))));
    }

    private void onPayload(Connection c, String text) {
        JsonObject payload;
        try {
            payload = new JsonObject(text);
        } catch (DecodeException e) {
            c.close(4002, "Error while decoding payload.");
            return;
        }
        int op = payload.getInteger("op", -1);
        Object d = payload.getValue("d");
        received.add(new Received(op, d instanceof JsonObject o ? o : null, c.session == null ? null : c.session.id, System.nanoTime()));
        switch (op) {
            case HEARTBEAT -> c.send(new JsonObject().put("op", HEARTBEAT_ACK).put("s", null).put("t", null).put("d", null));
            case IDENTIFY -> identify(c, (JsonObject) d);
            case RESUME -> resume(c, (JsonObject) d);
            case 3, 4, 8, 31 -> {
                // presence, voice state, member requests, soundboard: accepted and ignored
                if (c.session == null) c.close(4003, "Not authenticated.");
            }
            default -> c.close(4001, "Unknown opcode.");
        }
    }

    private void identify(Connection c, JsonObject d) {
        if (c.session != null) {
            c.close(4005, "Already authenticated.");
            return;
        }
        if (refuseToken || !world.token().equals(d.getString("token"))) {
            c.close(4004, "Authentication failed.");
            return;
        }
        int intents = d.getInteger("intents", 0);
        if ((intents & PRIVILEGED & ~enabledPrivilegedIntents) != 0) {
            c.close(4014, "Disallowed intent(s).");
            return;
        }
        Session s = new Session(intents);
        sessions.put(s.id, s);
        attach(c, s);
        send(s, "READY", world.ready(s.id, world.gatewayUrl()));
        if ((intents & GUILDS) != 0) world.guildCreates().forEach(g -> send(s, "GUILD_CREATE", g));
    }

    private void resume(Connection c, JsonObject d) {
        Session s = sessions.get(d.getString("session_id"));
        if (refuseToken || !world.token().equals(d.getString("token"))) {
            c.close(4004, "Authentication failed.");
            return;
        }
        if (s == null || s.ended) {
            // d: false — the session cannot be resumed; the client must IDENTIFY anew
            c.send(new JsonObject().put("op", INVALID_SESSION).put("s", null).put("t", null).put("d", false));
            return;
        }
        long seq = d.getLong("seq", 0L);
        if (seq > s.seq) {
            c.close(4007, "Invalid seq.");
            return;
        }
        if (s.connection != null && s.connection != c) s.connection.close(4000, "Session resumed elsewhere.");
        attach(c, s);
        for (JsonObject missed : s.log) {
            if (missed.getLong("s") > seq) c.send(missed);
        }
        send(s, "RESUMED", new JsonObject().put("_trace", List.of("[\"fake-gateway\"]")));
    }

    private void attach(Connection c, Session s) {
        c.session = s;
        s.connection = c;
    }

    private void onClosed(Connection c) {
        connections.remove(c);
        if (c.deflater != null) c.deflater.end();
        Session s = c.session;
        if (s == null || s.connection != c) return;
        s.connection = null;
        Short code = c.ws.closeStatusCode();
        // A client that closes with 1000 or 1001 ends its session (Discord's rule); a drop or another code keeps it resumable.
        if (!c.closedByServer && code != null && (code == 1000 || code == 1001)) s.ended = true;
    }

    /** Sends a dispatch to every session that wants it (live ones now, dropped ones on their RESUME). */
    void dispatch(String type, JsonObject data, Predicate<Session> wants) {
        for (Session s : sessions.values()) {
            if (!s.ended && wants.test(s)) send(s, type, world.shapedFor(s, type, data));
        }
    }

    private void send(Session s, String type, JsonObject data) {
        JsonObject payload = new JsonObject().put("op", DISPATCH).put("t", type).put("s", ++s.seq).put("d", data);
        if (!type.equals("READY") && !type.equals("RESUMED")) {
            s.log.add(payload);
            if (s.log.size() > REPLAY_LIMIT) s.log.removeFirst();
        }
        if (s.connection != null) s.connection.send(payload);
    }

    /** Closes every live connection as Discord's load balancer does (1001): sessions stay resumable. */
    int dropConnections() {
        List<Connection> live = List.copyOf(connections);
        live.forEach(c -> c.close(1001, "Going away"));
        return live.size();
    }

    /** Asks every live connection to reconnect and resume (op 7), as Discord does before it restarts a node. */
    void requestReconnect() {
        connections.forEach(c -> c.send(new JsonObject().put("op", RECONNECT).put("s", null).put("t", null).put("d", null)));
    }

    /** Sessions with a connection now. */
    int liveSessions() {
        return (int) sessions.values().stream().filter(s -> !s.ended && s.connection != null).count();
    }

    Collection<Session> sessions() {
        return sessions.values();
    }

    void closeAll() {
        List.copyOf(connections).forEach(c -> c.ws.close());
    }
}
