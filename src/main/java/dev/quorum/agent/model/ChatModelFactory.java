package dev.quorum.agent.model;

import dev.langchain4j.model.anthropic.AnthropicChatModel;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;

/**
 * Builds the LangChain4j client for a {@link ModelSettings}.
 *
 * <p>The client is built with LangChain4j's own retries switched off: {@link RetryingModelCaller} retries instead,
 * because it must give up at the run's deadline or on cancellation, use the configured backoff, and count attempts
 * for the transcript; LangChain4j's built-in policy does none of these (fixed 500 ms × 1.5ⁿ, not interruptible by a
 * cancel token). The returned model is safe for concurrent use by many runs.
 */
public final class ChatModelFactory {

    private static final int ANTHROPIC_DEFAULT_MAX_TOKENS = 4096;

    private ChatModelFactory() {
    }

    public static ChatModel create(ModelSettings settings) {
        return switch (settings.provider()) {
            case OPENAI -> OpenAiChatModel.builder()
                    .baseUrl(settings.baseUrl())
                    .apiKey(settings.apiKey())
                    .modelName(settings.modelName())
                    .temperature(settings.temperature())
                    .maxTokens(settings.maxOutputTokens())
                    .timeout(settings.timeout())
                    .maxRetries(0)
                    .logRequests(settings.logRequests())
                    .logResponses(settings.logRequests())
                    .build();
            case ANTHROPIC -> AnthropicChatModel.builder()
                    .baseUrl(settings.baseUrl())
                    .apiKey(settings.apiKey())
                    .modelName(settings.modelName())
                    .temperature(settings.temperature())
                    .maxTokens(settings.maxOutputTokens() == null
                            ? ANTHROPIC_DEFAULT_MAX_TOKENS : settings.maxOutputTokens())
                    .timeout(settings.timeout())
                    .maxRetries(0)
                    .logRequests(settings.logRequests())
                    .logResponses(settings.logRequests())
                    .build();
        };
    }
}
