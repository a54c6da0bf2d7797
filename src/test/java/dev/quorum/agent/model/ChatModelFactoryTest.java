package dev.quorum.agent.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.quorum.agent.testing.FakeOpenAiServer;
import dev.quorum.agent.testing.Settings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class ChatModelFactoryTest {

    @Test
    void moreConcurrentCallsThanAnHttp2StreamLimitAllSucceedAtTheFirstAttempt() throws Exception {
        try (FakeOpenAiServer server = FakeOpenAiServer.start()) {
            server.respondWith(request -> FakeOpenAiServer.text("ok").delayedBy(300));
            ModelSettings settings = Settings.openAi(server).withRetries(0, Duration.ofMillis(10));
            RetryingModelCaller caller = RetryingModelCaller.forSettings(ChatModelFactory.create(settings), settings);

            // a first call sets up the connection; over HTTP/2 (h2c, which the server offers) the rest would share it
            caller.call(ChatRequest.builder().messages(UserMessage.from("first")).build(), () -> false);
            List<Future<ModelReply>> replies = new ArrayList<>();
            try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < 150; i++) {
                    replies.add(threads.submit(() -> caller.call(
                            ChatRequest.builder().messages(UserMessage.from("hi")).build(), () -> false)));
                }
                for (Future<ModelReply> reply : replies) {
                    assertThat(reply.get().attempts()).isEqualTo(1);
                }
            }
            assertThat(server.requestCount()).isEqualTo(151);
        }
    }

    @Test
    void theApiKeyNeverAppearsInTheSettingsText() {
        ModelSettings settings = ModelSettings.of(Provider.OPENAI, null, "sk-very-secret", "gpt-4o-mini")
                .withPrices(Map.of("gpt-4o-mini", ModelPrice.of("0.15", "0.60")));

        assertThat(settings.toString()).doesNotContain("sk-very-secret").contains("apiKey=***", "gpt-4o-mini");
    }

    @Test
    void aModelIsPricedByTheNameTheProviderReportsElseTheConfiguredOneElseFree() {
        ModelSettings settings = ModelSettings.of(Provider.OPENAI, null, "k", "gpt-4o")
                .withPrices(Map.of("gpt-4o", ModelPrice.of("2.50", "10"), "gpt-4o-2024-08-06", ModelPrice.of("1", "1")));

        assertThat(settings.priceOf("gpt-4o-2024-08-06").cost(1_000_000, 0)).isEqualByComparingTo("1");
        assertThat(settings.priceOf("unknown-snapshot").cost(1_000_000, 0)).isEqualByComparingTo("2.50");
        assertThat(ModelSettings.of(Provider.OPENAI, null, "k", "llama3").priceOf("llama3").cost(5, 5))
                .isEqualByComparingTo("0");
    }

    @Test
    void theProviderIsParsedFromItsConfigSpellingOrNamedInTheError() {
        assertThat(Provider.parse(" Anthropic ")).isEqualTo(Provider.ANTHROPIC);
        assertThatThrownBy(() -> Provider.parse("gemini"))
                .hasMessage("model.provider is 'gemini': expected openai or anthropic");
    }
}
