package dev.quorum.chat.console;

/**
 * One entry of the console's shared chat log, as sent over Server-Sent Events.
 *
 * @param id    the Redis stream id: orders events and serves as the SSE event id; {@code 0-0} for
 *              live-only events that are not in the log
 * @param kind  {@code reply}, {@code update} (edit of an earlier reply), {@code message} (a member's
 *              command) or {@code request} (a request changed state; live only)
 * @param to    for a whisper, the only console user who may see it; else {@code null}
 * @param json  the event's data, one JSON object
 */
public record ConsoleEvent(String id, String kind, String to, String json) {
    /** Live-only events carry no position in the log. */
    public boolean live() {
        return "0-0".equals(id);
    }

    /** True when {@code user} may see this event. */
    public boolean visibleTo(String user) {
        return to == null || to.equals(user);
    }

    /** Stream ids are {@code millis-seq}; compares them as numbers. */
    public static int compareIds(String a, String b) {
        String[] x = a.split("-", 2);
        String[] y = b.split("-", 2);
        int c = Long.compare(Long.parseLong(x[0]), Long.parseLong(y[0]));
        return c != 0 ? c : Long.compare(Long.parseLong(x.length > 1 ? x[1] : "0"), Long.parseLong(y.length > 1 ? y[1] : "0"));
    }
}
