package dev.quorum.chat.discord;

/**
 * A Discord REST call that did not succeed, after the retries that were safe. The message names the
 * route as a template ({@code POST webhooks/{app}/{token}}), Discord's status and error code: never the
 * bot token nor an interaction token, which would otherwise reach the log. For the log, never for chat.
 */
final class DiscordCallException extends RuntimeException {
    private final int status;
    private final int code;

    DiscordCallException(String route, int status, int code, String what) {
        super(route + " failed: " + what);
        this.status = status;
        this.code = code;
    }

    /** The HTTP status, or 0 when no answer came. */
    int status() {
        return status;
    }

    /** Discord's JSON error code ({@code 50013} Missing Permissions), or 0. */
    int code() {
        return code;
    }
}
