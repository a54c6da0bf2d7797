package dev.quorum.agent.model;

import com.fasterxml.jackson.core.JacksonException;
import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.ModelNotFoundException;
import dev.langchain4j.exception.NonRetriableException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.exception.TimeoutException;
import dev.langchain4j.exception.UnresolvedModelServerException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.util.Optional;

/** Turns the exceptions a LangChain4j client throws into short phrases a person can act on. Stateless. */
final class ModelFailures {

    private ModelFailures() {
    }

    /** Whether another attempt may succeed: rate limits, 5xx, timeouts, dropped connections and unreadable replies. */
    static boolean retriable(Throwable failure) {
        return !(failure instanceof NonRetriableException);
    }

    /** A phrase such as "server error (HTTP 503)" or "a reply that is not valid JSON". */
    static String describe(Throwable failure) {
        Optional<Integer> status = httpStatus(failure);
        String code = status.map(s -> " (HTTP " + s + ")").orElse("");
        if (failure instanceof RateLimitException) {
            return "rate limited" + code;
        }
        if (failure instanceof InternalServerException) {
            return "server error" + code;
        }
        if (failure instanceof AuthenticationException) {
            return "the API key was refused" + code;
        }
        if (failure instanceof ModelNotFoundException) {
            return "the model name is unknown to the provider" + code;
        }
        if (failure instanceof InvalidRequestException) {
            return "the provider refused the request" + code;
        }
        if (failure instanceof UnresolvedModelServerException) {
            return "the model server's host name does not resolve";
        }
        if (failure instanceof TimeoutException || has(failure, HttpTimeoutException.class)) {
            return "no answer within the timeout";
        }
        if (has(failure, ConnectException.class)) {
            return "the model server refused the connection";
        }
        if (has(failure, JacksonException.class)) {
            return "a reply that is not valid JSON";
        }
        if (failure instanceof RetryingModelCaller.EmptyReplyException) {
            return "a reply with no message";
        }
        if (status.isPresent()) {
            return "an unexpected answer" + code;
        }
        Throwable root = root(failure);
        String detail = root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
        if (has(failure, IOException.class)) {
            return "a connection problem (" + detail + ")";
        }
        return "an unreadable reply (" + detail + ")";
    }

    private static Optional<Integer> httpStatus(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof HttpException http) {
                return Optional.of(http.statusCode());
            }
        }
        return Optional.empty();
    }

    private static Throwable root(Throwable failure) {
        Throwable t = failure;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    private static boolean has(Throwable failure, Class<? extends Throwable> kind) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (kind.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
