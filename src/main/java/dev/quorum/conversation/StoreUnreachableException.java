package dev.quorum.conversation;

import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;

/**
 * Redis, Quorum's store, did not answer: the member is told {@link #LINE} at once, on every
 * platform, instead of waiting for a timeout or reading an error id. An {@link IllegalStateException}
 * so that adapters that already treat "not recorded in time" as a refusal keep doing so.
 */
public final class StoreUnreachableException extends IllegalStateException {
    /** The one line every command gets while the store is unreachable (user-facing: tests assert it exactly). */
    public static final String LINE = "Quorum cannot reach its store; nothing was done; try again";

    public StoreUnreachableException(String detail) {
        super(detail);
    }

    public StoreUnreachableException(String detail, Throwable cause) {
        super(detail, cause);
    }

    /**
     * Whether {@code failure} (or what caused it) says Redis is out of reach: not connected, not
     * connecting, or not answering in time. Any other Redis error (a script's, a wrong type) is a bug,
     * not an outage, and keeps its error id.
     */
    public static boolean explains(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof StoreUnreachableException || t instanceof RedisConnectionException
                    || t instanceof RedisCommandTimeoutException) return true;
            if (t instanceof RedisException && disconnected(String.valueOf(t.getMessage()))) return true;
        }
        return false;
    }

    /** Lettuce's words for a command refused or dropped because the connection is gone. */
    private static boolean disconnected(String message) {
        return message.startsWith("Currently not connected") || message.startsWith("Connection closed")
                || message.startsWith("Connection is closed") || message.startsWith("Connection disconnected");
    }
}
