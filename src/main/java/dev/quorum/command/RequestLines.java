package dev.quorum.command;

import dev.quorum.request.Request;

import java.time.Duration;
import java.time.Instant;

/** How a request reads in one line of chat. Pure. */
public final class RequestLines {
    private RequestLines() {}

    /** {@code R7 · test · succeeded · alice · 3m ago — test demo main} */
    public static String oneLine(Request r, Instant now) {
        String text = r.text().length() > 80 ? r.text().substring(0, 80) + "…" : r.text();
        return r.id() + " · " + r.type().wire() + " · " + r.state().wire() + " · " + r.requesterName()
                + " · " + ago(r.createdAt(), now) + " — `" + text.replace("`", "'").replace('\n', ' ') + "`";
    }

    public static String ago(Instant then, Instant now) {
        long s = Math.max(0, Duration.between(then, now).toSeconds());
        if (s < 60) return s + "s ago";
        if (s < 3600) return s / 60 + "m ago";
        if (s < 86400) return s / 3600 + "h ago";
        return s / 86400 + "d ago";
    }
}
