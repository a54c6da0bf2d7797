package dev.quorum.agent.work;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quorum.agent.transcript.ToolCall;
import dev.quorum.evidence.Redactor;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class AgentJsonTest {
    private static final String SECRET = "tok-" + "9dJ2kQ7wXz41";
    private static final Redactor REDACTOR = Redactor.of(List.of(SECRET));

    private static JsonNode stored(String arguments, String result) {
        ToolCall call = new ToolCall(3, Instant.parse("2026-01-01T00:00:00Z"), "read_file", arguments, ToolCall.Status.OK,
                result, 5);
        return AgentJson.parse(AgentJson.transcriptEntry(call, 1, REDACTOR::redact));
    }

    @Test
    void aResultIsMaskedBeforeItIsCutSoThatASecretAcrossTheCutLeavesNoHalf() {
        String result = "x".repeat(ToolCall.MAX_RECORDED_CHARS - 6) + SECRET + "y".repeat(100);

        String recorded = stored("{}", result).get("result").asText();

        // the mask would straddle the cut: the cut comes before it, and the rest is counted
        assertThat(recorded).isEqualTo("x".repeat(ToolCall.MAX_RECORDED_CHARS - 6) + "… ["
                + (Redactor.MASK.length() + 100) + " more chars]");
    }

    @Test
    void argumentsAreMaskedValueByValueSoThatAnEscapedLineBreakSplitsNothing() {
        String arguments = "{\"path\": \"notes.txt\", \"content\": \"key " + SECRET.substring(0, 5) + "\\n" + SECRET.substring(5)
                + " end\"}";

        assertThat(stored(arguments, "ok").get("arguments").asText())
                .isEqualTo("{\"path\":\"notes.txt\",\"content\":\"key [REDACTED]\\n[REDACTED] end\"}");
    }

    @Test
    void argumentsWithoutSecretsAreKeptAsTheModelWroteThem() {
        assertThat(stored("{\"path\": \"src/App.java\"}", "ok").get("arguments").asText()).isEqualTo("{\"path\": \"src/App.java\"}");
        assertThat(stored("not json " + SECRET, "ok").get("arguments").asText()).isEqualTo("not json [REDACTED]");
    }

    @Test
    void aKeyValuePairSpanningAJsonKeyAndItsValueIsMaskedInTheText() {
        assertThat(stored("{\"user\":\"bob\",\"password\":\"hunter2\"}", "ok").get("arguments").asText())
                .isEqualTo("{\"user\":\"bob\",\"password\":\"[REDACTED]\"}");
    }
}
