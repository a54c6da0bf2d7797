package dev.quorum.agent.model;

import dev.langchain4j.http.client.jdk.JdkHttpClientBuilder;
import dev.langchain4j.model.anthropic.AnthropicChatModel;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import java.net.http.HttpClient;

/**
 * Builds the LangChain4j client for a {@link ModelSettings}.
 *
 * <p>The client is built with LangChain4j's own retries switched off: {@link RetryingModelCaller} retries instead,
 * because it must give up at the run's deadline or on cancellation, use the configured backoff, and count attempts
 * for the transcript; LangChain4j's built-in policy does none of these (fixed 500 ms × 1.5ⁿ, not interruptible by a
 * cancel token). The returned model is safe for concurrent use by many runs.
 *
 * <p>Model calls go over HTTP/1.1. Over HTTP/2 the JDK client multiplexes every call to a host on one connection and,
 * once the server's stream limit (often 100) is reached, fails further calls with "too many concurrent streams"
 * instead of queuing them or opening another connection; hundreds of concurrent runs hit that at once. HTTP/1.1 uses
 * one pooled connection per call in flight.
 */
public final class ChatModelFactory {

    private static final int ANTHROPIC_DEFAULT_MAX_TOKENS = 4096;

    private ChatModelFactory() {
    }

    public static ChatModel create(ModelSettings settings) {
        return switch (settings.provider()) {
            case OPENAI -> OpenAiChatModel.builder()
                    .httpClientBuilder(http11())
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
                    .httpClientBuilder(http11())
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

    private static JdkHttpClientBuilder http11() {
        return new JdkHttpClientBuilder().httpClientBuilder(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1));
    }
}
