package dev.quorum.agent.model;

import static dev.quorum.agent.testing.FakeHttpServer.Reply;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.quorum.agent.testing.FakeOpenAiServer;
import dev.quorum.agent.testing.Settings;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RetryingModelCallerTest {

    private final FakeOpenAiServer server = FakeOpenAiServer.start();

    @AfterEach
    void stop() {
        server.close();
    }

    private RetryingModelCaller caller(int retries) {
        ModelSettings settings = Settings.openAi(server).withRetries(retries, Duration.ofMillis(10));
        ChatModel model = ChatModelFactory.create(settings);
        return RetryingModelCaller.forSettings(model, settings);
    }

    private static ChatRequest hello() {
        return ChatRequest.builder().messages(UserMessage.from("hello")).build();
    }

    @Test
    void aServerErrorThenGarbageIsRetriedThenFailsWithAClearMessage() {
        server.enqueue(Reply.status(500, "{\"error\":{\"message\":\"boom\"}}"))
                .enqueue(Reply.raw(200, "text/html", "<html><body>Bad gateway</body></html>"))
                .enqueue(Reply.raw(200, "application/json", "{not json"));

        assertThatThrownBy(() -> caller(2).call(hello(), () -> false))
                .isInstanceOf(ModelCallException.class)
                .hasMessage("The model call failed after 3 attempts: server error (HTTP 500), then a reply that is "
                        + "not valid JSON, then a reply that is not valid JSON. Try again later, or check the model server.")
                .satisfies(e -> assertThat(((ModelCallException) e).attempts()).isEqualTo(3));
        assertThat(server.requestCount()).isEqualTo(3);
    }

    @Test
    void aRateLimitIsRetriedAndTheNextAnswerIsUsed() throws Exception {
        server.enqueue(Reply.status(429, "{\"error\":{\"message\":\"slow down\"}}"))
                .enqueue(FakeOpenAiServer.text("hi there"));

        ModelReply reply = caller(2).call(hello(), () -> false);

        assertThat(reply.response().aiMessage().text()).isEqualTo("hi there");
        assertThat(reply.attempts()).isEqualTo(2);
        assertThat(server.requestCount()).isEqualTo(2);
    }

    @Test
    void aRefusedApiKeyFailsAtOnceWithoutRetrying() {
        server.enqueue(Reply.status(401, "{\"error\":{\"message\":\"bad key\"}}"));

        assertThatThrownBy(() -> caller(3).call(hello(), () -> false))
                .hasMessage("The model call failed: the API key was refused (HTTP 401). Check the model settings "
                        + "(provider, base URL, API key, model name).");
        assertThat(server.requestCount()).isEqualTo(1);
    }

    @Test
    void aStopRequestDuringBackoffAbandonsTheCall() {
        server.enqueue(Reply.status(503, "{}"));
        RetryingModelCaller slow = new RetryingModelCaller(
                ChatModelFactory.create(Settings.openAi(server)), 3, Duration.ofSeconds(30));

        long started = System.nanoTime();
        assertThatThrownBy(() -> slow.call(hello(), () -> true))
                .isInstanceOf(ModelCallException.class)
                .satisfies(e -> assertThat(((ModelCallException) e).abandoned()).isTrue());
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        assertThat(server.requestCount()).isEqualTo(1);
    }
}
