package dev.quorum.agent.testing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** An OpenAI-compatible chat completions server ({@code POST /v1/chat/completions}) with scripted replies. */
public final class FakeOpenAiServer extends FakeHttpServer {

    public static final String MODEL = "fake-gpt";

    /** A tool call the fake model asks for. */
    public record Call(String name, String argumentsJson) {
    }

    public static FakeOpenAiServer start() {
        return new FakeOpenAiServer();
    }

    /** The base URL for {@code OPENAI_BASE_URL}: {@code http://127.0.0.1:<port>/v1}. */
    public String baseUrl() {
        return origin() + "/v1";
    }

    public static Call call(String name, String argumentsJson) {
        return new Call(name, argumentsJson);
    }

    /** A reply asking for tools, with token usage. */
    public static Reply toolCalls(int promptTokens, int completionTokens, Call... calls) {
        JsonArray toolCalls = new JsonArray();
        for (int i = 0; i < calls.length; i++) {
            toolCalls.add(new JsonObject()
                    .put("id", "call_" + i + "_" + calls[i].name())
                    .put("type", "function")
                    .put("function", new JsonObject().put("name", calls[i].name()).put("arguments", calls[i].argumentsJson())));
        }
        JsonObject message = new JsonObject().put("role", "assistant").putNull("content").put("tool_calls", toolCalls);
        return Reply.json(completion(message, "tool_calls", promptTokens, completionTokens));
    }

    public static Reply toolCalls(Call... calls) {
        return toolCalls(100, 20, calls);
    }

    /** A final answer, with token usage. */
    public static Reply text(int promptTokens, int completionTokens, String text) {
        JsonObject message = new JsonObject().put("role", "assistant").put("content", text);
        return Reply.json(completion(message, "stop", promptTokens, completionTokens));
    }

    public static Reply text(String text) {
        return text(100, 20, text);
    }

    private static JsonObject completion(JsonObject message, String finishReason, int prompt, int completion) {
        return new JsonObject()
                .put("id", "chatcmpl-fake")
                .put("object", "chat.completion")
                .put("created", 1_700_000_000)
                .put("model", MODEL)
                .put("choices", new JsonArray().add(new JsonObject()
                        .put("index", 0).put("message", message).put("finish_reason", finishReason)))
                .put("usage", new JsonObject()
                        .put("prompt_tokens", prompt).put("completion_tokens", completion)
                        .put("total_tokens", prompt + completion));
    }

    /** The messages of the {@code n}th chat request (0-based), as the client sent them. */
    public JsonArray messagesOf(int n) {
        return received().get(n).json().getJsonArray("messages");
    }

    /** The text of every tool message in the {@code n}th request, in order. */
    public List<String> toolResultsIn(int n) {
        return messagesOf(n).stream().map(JsonObject.class::cast)
                .filter(m -> "tool".equals(m.getString("role")))
                .map(m -> m.getString("content"))
                .toList();
    }
}
