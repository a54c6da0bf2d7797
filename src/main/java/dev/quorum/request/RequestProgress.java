package dev.quorum.request;

import dev.quorum.conversation.Links;
import dev.quorum.conversation.Messenger;
import dev.quorum.conversation.PostedMessage;
import dev.quorum.conversation.Reply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One chat message per request that shows where it is ("queued", "running for 12 s", "done"),
 * edited in place rather than flooding the thread. Intermediate updates are throttled; final
 * ones always go out. A failed edit is logged and never fails the work. Thread-safe.
 */
public final class RequestProgress {
    private static final Logger LOG = LoggerFactory.getLogger(RequestProgress.class);
    private static final Duration MIN_INTERVAL = Duration.ofSeconds(2);

    private final Messenger messenger;
    private final RequestStore store;
    private final Links links;
    private final Map<String, Long> lastUpdate = new ConcurrentHashMap<>();

    public RequestProgress(Messenger messenger, RequestStore store, Links links) {
        this.messenger = messenger;
        this.store = store;
        this.links = links;
    }

    /** Posts the request's progress message in its conversation and remembers it. */
    public PostedMessage open(Request r, String status) {
        PostedMessage posted = messenger.post(r.origin(), render(r, status, Reply.Tone.INFO));
        store.setProgress(r.id(), posted);
        return posted;
    }

    /** An intermediate status; dropped when the last one went out less than 2 s ago. */
    public void update(Request r, String status) {
        long now = System.nanoTime();
        Long last = lastUpdate.get(r.id());
        if (last != null && now - last < MIN_INTERVAL.toNanos()) return;
        lastUpdate.put(r.id(), now);
        edit(r, status, Reply.Tone.INFO);
    }

    /** The last status, always shown. */
    public void finish(Request r, String status, Reply.Tone tone) {
        lastUpdate.remove(r.id());
        edit(r, status, tone);
    }

    private void edit(Request r, String status, Reply.Tone tone) {
        PostedMessage message = r.progress() != null ? r.progress() : store.find(r.id()).map(Request::progress).orElse(null);
        try {
            if (message == null) open(r, status);
            else messenger.update(message, render(r, status, tone));
        } catch (RuntimeException e) {
            LOG.warn("Could not update the progress of {}: {}", r.id(), e.toString());
        }
    }

    private Reply render(Request r, String status, Reply.Tone tone) {
        String text = r.text().length() > 80 ? r.text().substring(0, 80) + "…" : r.text();
        return Reply.text(r.id() + " · `" + text.replace("`", "'") + "` · " + status).withTone(tone)
                .withLink(links.requestLink(r.id())).about(r.id());
    }
}
