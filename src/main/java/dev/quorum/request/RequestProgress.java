package dev.quorum.request;

import dev.quorum.conversation.Links;
import dev.quorum.conversation.Messenger;
import dev.quorum.conversation.PostedMessage;
import dev.quorum.conversation.Reply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
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
    /** How long a claim to post the progress message holds before another may post it instead. */
    static final Duration CLAIM_STALE = Duration.ofSeconds(5);

    private final Messenger messenger;
    private final RequestStore store;
    private final Links links;
    private final Map<String, Long> lastUpdate = new ConcurrentHashMap<>();

    public RequestProgress(Messenger messenger, RequestStore store, Links links) {
        this.messenger = messenger;
        this.store = store;
        this.links = links;
    }

    /**
     * Posts the request's progress message in its conversation and remembers it, unless its worker,
     * already under way, posted it first: then the worker's newer status stands.
     */
    public void open(Request r, String status) {
        if (store.claimProgress(r.id(), Instant.now(), CLAIM_STALE)) post(r, status, Reply.Tone.INFO);
    }

    private void post(Request r, String status, Reply.Tone tone) {
        store.setProgress(r.id(), messenger.post(r.origin(), render(r, status, tone)));
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
        try {
            PostedMessage message = r.progress() != null ? r.progress() : posted(r.id());
            if (message == null) {
                if (store.claimProgress(r.id(), Instant.now(), CLAIM_STALE)) {
                    post(r, status, tone); // the submitter died before it posted, or posting failed
                    return;
                }
                message = awaitPosted(r.id());
                if (message == null) {
                    LOG.warn("{}'s progress message was not posted within {}; this status is not shown: {}", r.id(), CLAIM_STALE, status);
                    return;
                }
            }
            messenger.update(message, render(r, status, tone));
        } catch (RuntimeException e) {
            LOG.warn("Could not update the progress of {}: {}", r.id(), e.toString());
        }
    }

    private PostedMessage posted(String id) {
        return store.find(id).map(Request::progress).orElse(null);
    }

    /** The message the claimant is posting right now (a chat post takes milliseconds to a few seconds). */
    private PostedMessage awaitPosted(String id) {
        long deadline = System.nanoTime() + CLAIM_STALE.toNanos();
        while (System.nanoTime() < deadline) {
            PostedMessage message = posted(id);
            if (message != null) return message;
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        return posted(id);
    }

    private Reply render(Request r, String status, Reply.Tone tone) {
        String text = r.text().length() > 80 ? r.text().substring(0, 80) + "…" : r.text();
        return Reply.text(r.id() + " · `" + text.replace("`", "'") + "` · " + status).withTone(tone)
                .withLink(links.requestLink(r.id())).about(r.id());
    }
}
