package dev.quorum.chat.discord;

/**
 * A Discord REST call that did not succeed, after the retries that were safe. The message names the
 * route as a template ({@code POST webhooks/{app}/{token}}), Discord's status and error code: never the
 * bot token nor an interaction token, which would otherwise reach the log. For the log, never for chat.
 */
final class DiscordCallException extends RuntimeException {
    /**
     * @param status the HTTP status, or 0 when no answer came
     * @param code   Discord's JSON error code ({@code 50013} Missing Permissions), or 0
     * @param what   what went wrong, for the message
     */
    record Failure(int status, int code, String what) {
        static Failure unanswered(String what) {
            return new Failure(0, 0, what);
        }
    }

    private final Failure failure;

    DiscordCallException(DiscordRest.Route route, Failure failure) {
        super(route + " failed: " + failure.what());
        this.failure = failure;
    }

    Failure failure() {
        return failure;
    }
}
