package dev.quorum.agent.work;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.quorum.agent.transcript.ModelCall;
import dev.quorum.agent.transcript.ModelCallFailure;
import dev.quorum.agent.transcript.ToolCall;
import dev.quorum.agent.transcript.TranscriptEntry;
import dev.quorum.evidence.Redactor;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Agent data as Quorum stores it in Redis and the API shows it: snake_case JSON. Thread-safe.
 */
final class AgentJson {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .build();

    private AgentJson() {}

    /**
     * One transcript entry, whose {@code kind} is {@code model} (a model call: tokens, latency, cost),
     * {@code model_failure} (a call that failed after its retries) or {@code tool} (name, arguments, status, the
     * bounded result); {@code attempt} tells the runs of a resumed request apart. Every text goes through
     * {@code clean} (which takes null) first, the cut to {@link ToolCall#MAX_RECORDED_CHARS} after it, so that a secret across the cut
     * is still seen whole.
     */
    static String transcriptEntry(TranscriptEntry entry, int attempt, UnaryOperator<String> clean) {
        Map<String, Object> m = new LinkedHashMap<>();
        switch (entry) {
            case ModelCall c -> {
                m.put("kind", "model");
                m.put("model", clean.apply(c.model()));
                m.put("tokens_in", c.inputTokens());
                m.put("tokens_out", c.outputTokens());
                m.put("latency_ms", c.latencyMs());
                m.put("cost_usd", c.cost());
                m.put("attempts", c.attempts());
                m.put("finish_reason", c.finishReason());
                m.put("tools_requested", c.toolsRequested().stream().map(clean).toList());
            }
            case ModelCallFailure f -> {
                m.put("kind", "model_failure");
                m.put("latency_ms", f.latencyMs());
                m.put("attempts", f.attempts());
                m.put("message", clean.apply(f.message()));
            }
            case ToolCall t -> {
                m.put("kind", "tool");
                m.put("name", clean.apply(t.tool()));
                m.put("arguments", recorded(clean.apply(cleanedJson(t.arguments(), clean))));
                m.put("status", t.status().name().toLowerCase(Locale.ROOT));
                m.put("refused", t.refused());
                m.put("result", recorded(clean.apply(t.result())));
                m.put("duration_ms", t.durationMs());
            }
        }
        m.put("seq", entry.seq());
        m.put("attempt", attempt);
        m.put("at", entry.at().toString());
        return write(m);
    }

    /**
     * JSON text (a tool call's arguments) with each string value in it through {@code clean}, so that what JSON
     * escapes (a quote, a line break inside a split secret) is seen as it is meant; unchanged when nothing in it
     * changed or it is not JSON. The caller still cleans the whole text, for shapes such as {@code "password": "…"}
     * that span a key and its value.
     */
    static String cleanedJson(String json, UnaryOperator<String> clean) {
        if (json == null) {
            return null;
        }
        JsonNode tree;
        try {
            tree = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            return json;
        }
        if (tree == null || !tree.isContainerNode()) {
            return json;
        }
        JsonNode before = tree.deepCopy();
        JsonNode after = cleaned(tree, clean);
        return after.equals(before) ? json : write(after);
    }

    /** At most {@link ToolCall#MAX_RECORDED_CHARS} of {@code text}, cut before a mask rather than through it. */
    static String recorded(String text) {
        int max = ToolCall.MAX_RECORDED_CHARS;
        if (text == null || text.length() <= max) {
            return text;
        }
        int mask = text.lastIndexOf(Redactor.MASK, max - 1);
        int end = mask >= 0 && mask + Redactor.MASK.length() > max ? mask : max;
        return text.substring(0, end) + "… [" + (text.length() - end) + " more chars]";
    }

    /** A record or map as JSON; record components become snake_case names. */
    static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@link #write} with every string value, at any depth, through {@code clean}. */
    static String write(Object value, UnaryOperator<String> clean) {
        return write(cleaned(JSON.valueToTree(value), clean));
    }

    private static JsonNode cleaned(JsonNode node, UnaryOperator<String> clean) {
        switch (node) {
            case ObjectNode object -> object.properties().forEach(field -> field.setValue(cleaned(field.getValue(), clean)));
            case ArrayNode array -> {
                for (int i = 0; i < array.size(); i++) array.set(i, cleaned(array.get(i), clean));
            }
            case TextNode text -> {
                return TextNode.valueOf(clean.apply(text.textValue()));
            }
            default -> { }
        }
        return node;
    }

    static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
