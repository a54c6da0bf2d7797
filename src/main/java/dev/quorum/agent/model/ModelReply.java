package dev.quorum.agent.model;

import dev.langchain4j.model.chat.response.ChatResponse;
import java.time.Duration;

/**
 * A model's answer to one logical call.
 *
 * @param response the provider's reply
 * @param attempts HTTP attempts it took, 1 when the first one succeeded
 * @param latency  wall time of all attempts and the backoff between them
 */
public record ModelReply(ChatResponse response, int attempts, Duration latency) {
}
