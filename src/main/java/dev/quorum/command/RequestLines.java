package dev.quorum.command;

import dev.quorum.request.Request;
import dev.quorum.request.RequestState;

import java.time.Instant;

/** How a request reads in one line of chat. Pure. */
public final class RequestLines {
    private RequestLines() {}

    /** {@code R7 · test · succeeded · alice · 3 m ago — test demo main} */
    public static String oneLine(Request r, Instant now) {
        String text = r.text().length() > 80 ? r.text().substring(0, 80) + "…" : r.text();
        return r.id() + " · " + r.type().wire() + " · " + state(r.state()) + " · " + r.requesterName()
                + " · " + Times.ago(r.createdAt(), now) + " — `" + text.replace("`", "'").replace('\n', ' ') + "`";
    }

    /** A state as people write it: {@code awaiting approval}, not {@code awaiting_approval}. */
    public static String state(RequestState s) {
        return s.wire().replace('_', ' ');
    }
}
