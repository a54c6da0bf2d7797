package dev.quorum.agent.model;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls a {@link ChatModel} with retries: on rate limits, 5xx, timeouts, dropped connections and unreadable replies it
 * waits (exponential backoff from the configured delay, ±20 % jitter, at most 30 s) and tries again, up to the
 * configured number of retries. Authentication errors, unknown models and refused requests fail at once.
 *
 * <p>Between attempts and while backing off it polls a stop condition (the run's cancel token and deadline), so a
 * cancelled run never sleeps through its backoff. Safe for concurrent use: it keeps no per-call state.
 */
public final class RetryingModelCaller {

    private static final Logger LOG = LoggerFactory.getLogger(RetryingModelCaller.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    private static final long POLL_MILLIS = 50;

    private final ChatModel model;
    private final int maxRetries;
    private final Duration initialBackoff;

    public RetryingModelCaller(ChatModel model, int maxRetries, Duration initialBackoff) {
        this.model = Objects.requireNonNull(model, "model");
        if (maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries must be 0 or more, was " + maxRetries);
        }
        this.maxRetries = maxRetries;
        this.initialBackoff = Objects.requireNonNull(initialBackoff, "initialBackoff");
    }

    public static RetryingModelCaller forSettings(ChatModel model, ModelSettings settings) {
        return new RetryingModelCaller(model, settings.maxRetries(), settings.retryBackoff());
    }

    /**
     * Sends {@code request}, retrying as described above. Blocks the calling thread (meant for a virtual thread).
     *
     * @param shouldStop polled between attempts; when it turns true the call is abandoned
     * @throws ModelCallException when every attempt failed, a failure was not retriable, or the call was abandoned;
     *                            its message is fit for the requester
     */
    public ModelReply call(ChatRequest request, BooleanSupplier shouldStop) throws ModelCallException {
        long started = System.nanoTime();
        List<String> failures = new ArrayList<>();
        RuntimeException last = null;
        for (int attempt = 1; attempt <= maxRetries + 1; attempt++) {
            if (attempt > 1 && !backOff(attempt - 1, shouldStop)) {
                throw new ModelCallException("The model call was abandoned while waiting to retry after "
                        + String.join(", then ", failures) + ".", attempt - 1, true, last);
            }
            try {
                ChatResponse response = model.chat(request);
                if (response == null || response.aiMessage() == null) {
                    throw new EmptyReplyException();
                }
                return new ModelReply(response, attempt, Duration.ofNanos(System.nanoTime() - started));
            } catch (RuntimeException failure) {
                last = failure;
                failures.add(ModelFailures.describe(failure));
                if (!ModelFailures.retriable(failure)) {
                    throw new ModelCallException("The model call failed: " + failures.getLast()
                            + ". Check the model settings (provider, base URL, API key, model name).",
                            attempt, false, failure);
                }
                LOG.warn("Model call attempt {} of {} failed: {}", attempt, maxRetries + 1, failures.getLast());
            }
        }
        throw new ModelCallException("The model call failed after " + failures.size() + " attempts: "
                + String.join(", then ", failures) + ". Try again later, or check the model server.",
                failures.size(), false, last);
    }

    /** Sleeps before retry {@code retry} (1-based); false when the stop condition turned true meanwhile. */
    private boolean backOff(int retry, BooleanSupplier shouldStop) {
        double jitter = 0.8 + ThreadLocalRandom.current().nextDouble() * 0.4;
        long millis = (long) Math.min(MAX_BACKOFF.toMillis(),
                initialBackoff.toMillis() * Math.pow(2, retry - 1) * jitter);
        long until = System.nanoTime() + millis * 1_000_000;
        while (true) {
            if (shouldStop.getAsBoolean()) {
                return false;
            }
            long left = until - System.nanoTime();
            if (left <= 0) {
                return true;
            }
            try {
                Thread.sleep(Math.min(POLL_MILLIS, Math.max(1, left / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    /** A 200 reply that parsed but carried no message: retried like any unreadable reply. */
    static final class EmptyReplyException extends RuntimeException {
        EmptyReplyException() {
            super("the provider's reply has no message", null, false, false);
        }
    }
}
