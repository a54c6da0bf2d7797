package dev.quorum.agent.model;

import java.util.Locale;

/** The two wire protocols Quorum speaks to models. OpenAI-compatible also covers Ollama, vLLM, LM Studio and OpenRouter. */
public enum Provider {
    OPENAI,
    ANTHROPIC;

    /**
     * Parses the config spelling ({@code openai} or {@code anthropic}, any case).
     *
     * @throws IllegalArgumentException naming the accepted values when {@code text} is neither
     */
    public static Provider parse(String text) {
        return switch (text == null ? "" : text.trim().toLowerCase(Locale.ROOT)) {
            case "openai" -> OPENAI;
            case "anthropic" -> ANTHROPIC;
            default -> throw new IllegalArgumentException(
                    "model.provider is '" + text + "': expected openai or anthropic");
        };
    }
}
