package dev.quorum.agent.testing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** An Anthropic Messages API server ({@code POST /v1/messages}) with scripted replies. */
public final class FakeAnthropicServer extends FakeHttpServer {

    public static final String MODEL = "claude-fake";

    public static FakeAnthropicServer start() {
        return new FakeAnthropicServer();
    }

    /** The base URL for {@code ANTHROPIC_BASE_URL}: {@code http://127.0.0.1:<port>/v1/}. */
    public String baseUrl() {
        return origin() + "/v1/";
    }

    public static Reply toolUse(String id, String name, JsonObject input) {
        JsonArray content = new JsonArray()
                .add(new JsonObject().put("type", "text").put("text", "Let me look."))
                .add(new JsonObject().put("type", "tool_use").put("id", id).put("name", name).put("input", input));
        return Reply.json(message(content, "tool_use", 50, 10));
    }

    public static Reply text(String text) {
        return Reply.json(message(new JsonArray().add(new JsonObject().put("type", "text").put("text", text)),
                "end_turn", 80, 30));
    }

    private static JsonObject message(JsonArray content, String stopReason, int in, int out) {
        return new JsonObject()
                .put("id", "msg_fake")
                .put("type", "message")
                .put("role", "assistant")
                .put("model", MODEL)
                .put("content", content)
                .put("stop_reason", stopReason)
                .putNull("stop_sequence")
                .put("usage", new JsonObject().put("input_tokens", in).put("output_tokens", out));
    }
}
