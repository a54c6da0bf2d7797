package dev.quorum.chat.slack;

/**
 * A Slack Web API call that did not succeed, after retries where a retry was safe. The message
 * names the method and Slack's error code (e.g. {@code chat.postMessage failed: not_in_channel});
 * it is for the log, never for chat.
 */
final class SlackCallException extends RuntimeException {
    private final String method;
    private final String error;

    SlackCallException(String method, String error) {
        super(method + " failed: " + error);
        this.method = method;
        this.error = error;
    }

    SlackCallException(String method, String error, Throwable cause) {
        super(method + " failed: " + error, cause);
        this.method = method;
        this.error = error;
    }

    String method() {
        return method;
    }

    /** Slack's error code ({@code invalid_auth}), or what went wrong on the way ({@code HTTP 503}). */
    String error() {
        return error;
    }
}
