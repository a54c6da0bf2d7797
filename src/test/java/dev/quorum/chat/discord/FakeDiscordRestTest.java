package dev.quorum.chat.discord;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fake's REST rules that the adapter's tests rely on being Discord's: a request without the
 * bot token is refused, a message Discord would refuse is refused with Discord's code, an
 * interaction is acknowledged once, and only within 3 seconds.
 */
@Timeout(30)
class FakeDiscordRestTest {
    private FakeDiscord fake;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void start() throws Exception {
        fake = new FakeDiscord();
    }

    @AfterEach
    void stop() throws Exception {
        fake.close();
        http.shutdownNow(); // close() would wait for the pooled keep-alive connections to time out
    }

    private HttpResponse<String> call(String method, String path, String token, Object body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(fake.apiUrl() + path)).timeout(Duration.ofSeconds(5)).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body.toString()));
        if (token != null) b.header("Authorization", "Bot " + token);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, JsonObject body) throws Exception {
        return call("POST", path, fake.token(), body.encode());
    }

    @Test
    void aCallWithoutTheBotTokenOrWithAnotherIsRefusedWith401() throws Exception {
        assertThat(call("GET", "users/@me", null, null).statusCode()).isEqualTo(401);
        HttpResponse<String> forged = call("GET", "users/@me", "forged", null);
        assertThat(forged.statusCode()).isEqualTo(401);
        assertThat(new JsonObject(forged.body()).getString("message")).isEqualTo("401: Unauthorized");
        assertThat(new JsonObject(call("GET", "users/@me", fake.token(), null).body()).getString("id")).isEqualTo(fake.bot().idString());
    }

    @Test
    void messagesDiscordWouldRefuseAreRefusedWithDiscordsCodes() throws Exception {
        String channel = "channels/" + fake.general() + "/messages";
        HttpResponse<String> tooLong = post(channel, new JsonObject().put("content", "x".repeat(2001)));
        assertThat(tooLong.statusCode()).isEqualTo(400);
        assertThat(new JsonObject(tooLong.body()).getInteger("code")).isEqualTo(50035);
        JsonArray sixButtons = new JsonArray();
        for (int i = 0; i < 6; i++) sixButtons.add(new JsonObject().put("type", 2).put("style", 1).put("label", "b" + i).put("custom_id", "q:" + i));
        HttpResponse<String> crowded = post(channel, new JsonObject().put("content", "vote")
                .put("components", new JsonArray().add(new JsonObject().put("type", 1).put("components", sixButtons))));
        assertThat(crowded.statusCode()).isEqualTo(400);
        assertThat(new JsonObject(post(channel, new JsonObject()).body()).getInteger("code")).isEqualTo(50006);
        assertThat(new JsonObject(post("channels/123/messages", new JsonObject().put("content", "hi")).body()).getInteger("code"))
                .isEqualTo(10003);
        HttpResponse<String> fits = post(channel, new JsonObject().put("content", "x".repeat(2000)));
        assertThat(fits.statusCode()).isEqualTo(200);
        assertThat(fake.botMessages(fake.general())).hasSize(1);
    }

    @Test
    void anInteractionIsAcknowledgedOnceWithATypeThatFitsIt() throws Exception {
        FakeDiscord.User alice = fake.user("alice");
        FakeInteraction slash = fake.dispatchSlashCommand(fake.general(), alice, "quorum", FakeDiscord.stringOption("command", "help"));
        String callback = "interactions/" + slash.id() + "/" + slash.token() + "/callback";
        assertThat(call("POST", callback, null, new JsonObject().put("type", 6).encode()).statusCode()).isEqualTo(400); // deferEdit is for components
        assertThat(call("POST", "interactions/" + slash.id() + "/forged/callback", null, new JsonObject().put("type", 5).encode())
                .statusCode()).isEqualTo(404);
        assertThat(call("POST", callback, null, new JsonObject().put("type", 5).encode()).statusCode()).isEqualTo(204);
        HttpResponse<String> again = call("POST", callback, null, new JsonObject().put("type", 5).encode());
        assertThat(new JsonObject(again.body()).getInteger("code")).isEqualTo(40060);
        assertThat(slash.awaitCallbackType(Duration.ofSeconds(1))).isEqualTo(5);
    }

    @Test
    void aCallbackAfterTheAckWindowIsAnUnknownInteraction() throws Exception {
        fake.ackWindow(Duration.ofMillis(200));
        FakeInteraction slash = fake.dispatchSlashCommand(fake.general(), fake.user("alice"), "quorum", new JsonArray());
        Thread.sleep(300);
        HttpResponse<String> late = call("POST", "interactions/" + slash.id() + "/" + slash.token() + "/callback", null,
                new JsonObject().put("type", 5).encode());
        assertThat(late.statusCode()).isEqualTo(404);
        assertThat(new JsonObject(late.body()).getInteger("code")).isEqualTo(10062);
        assertThat(slash.acknowledged()).isFalse();
    }

    @Test
    void theEchoSocketSendsEveryFrameBack() throws Exception {
        CompletableFuture<String> echoed = new CompletableFuture<>();
        WebSocket ws = http.newWebSocketBuilder().buildAsync(URI.create(fake.echoUrl()), new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                echoed.complete(data.toString());
                return null;
            }
        }).get(5, TimeUnit.SECONDS);
        ws.sendText("{\"op\":1}", true).get(5, TimeUnit.SECONDS);
        assertThat(echoed.get(5, TimeUnit.SECONDS)).isEqualTo("{\"op\":1}");
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);
    }
}
