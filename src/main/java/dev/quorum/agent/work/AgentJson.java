package dev.quorum.agent.work;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.quorum.agent.transcript.ModelCall;
import dev.quorum.agent.transcript.ModelCallFailure;
import dev.quorum.agent.transcript.ToolCall;
import dev.quorum.agent.transcript.TranscriptEntry;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

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
     * bounded result); {@code attempt} tells the runs of a resumed request apart.
     */
    static String transcriptEntry(TranscriptEntry entry, int attempt) {
        Map<String, Object> m = new LinkedHashMap<>();
        switch (entry) {
            case ModelCall c -> {
                m.put("kind", "model");
                m.put("model", c.model());
                m.put("tokens_in", c.inputTokens());
                m.put("tokens_out", c.outputTokens());
                m.put("latency_ms", c.latencyMs());
                m.put("cost_usd", c.cost());
                m.put("attempts", c.attempts());
                m.put("finish_reason", c.finishReason());
                m.put("tools_requested", c.toolsRequested());
            }
            case ModelCallFailure f -> {
                m.put("kind", "model_failure");
                m.put("latency_ms", f.latencyMs());
                m.put("attempts", f.attempts());
                m.put("message", f.message());
            }
            case ToolCall t -> {
                m.put("kind", "tool");
                m.put("name", t.tool());
                m.put("arguments", t.arguments());
                m.put("status", t.status().name().toLowerCase(Locale.ROOT));
                m.put("refused", t.refused());
                m.put("result", t.result());
                m.put("duration_ms", t.durationMs());
            }
        }
        m.put("seq", entry.seq());
        m.put("attempt", attempt);
        m.put("at", entry.at().toString());
        return write(m);
    }

    /** A record or map as JSON; record components become snake_case names. */
    static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
