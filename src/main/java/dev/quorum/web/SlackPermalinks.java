package dev.quorum.web;

import dev.quorum.conversation.Conversation;
import dev.quorum.store.Redis;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Slack's own permalinks of request messages, asked lazily when a request's page is opened and kept in Redis.
 *
 * <p>Why lazily and not when the message is posted: most requests' pages are never opened, so asking at posting time
 * would add a Slack call to nearly every request for nothing; it would have to change what a request stores (its
 * progress message is plain data every instance reads), requests stored before would never get one, and a failure
 * then would be for good. Asked here, Slack is asked only for the pages people open, once per message for all
 * instances ({@link #KEEP} in Redis, since a message's permalink does not change), at most one call per message at a
 * time on this instance, and not again for {@link #KEEP_REFUSAL} after Slack could not give an acceptable one. The
 * page waits at most {@code wait}; an answer that comes later is kept for the next view.
 *
 * <p>What Slack answers is untrusted: it is used only as https on {@code slack.com} or a host under it, no user info,
 * port or fragment, path {@code /archives/<the same channel>/p<the same ts without its dot>}, and no query but
 * Slack's thread form {@code thread_ts=<ts>&cid=<the same channel>}; the link is rebuilt from those checked parts.
 */
final class SlackPermalinks {
    private static final Logger LOG = LoggerFactory.getLogger(SlackPermalinks.class);
    /** How long a permalink is kept: a message's does not change (a renamed workspace's old host is sent on by Slack). */
    static final Duration KEEP = Duration.ofDays(7);
    /** How long Quorum does not ask again after Slack gave no acceptable permalink (refused, failed, too slow). */
    static final Duration KEEP_REFUSAL = Duration.ofMinutes(2);
    /** Far longer than any permalink Slack makes (about 100 characters); anything longer is not one. */
    static final int MAX_LENGTH = 512;
    private static final String KEY = "{q}:chatlink:slack:";
    /** What the cache holds for "no acceptable permalink": never a link, which starts with https. */
    private static final String NONE = "-";
    private static final Pattern HOST = Pattern.compile("([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.){0,4}slack\\.com");
    private static final Pattern THREAD_QUERY = Pattern.compile("thread_ts=([0-9]{1,12}\\.[0-9]{1,9})&cid=([CDG][A-Z0-9]{2,20})");

    private final ChatLinks.Permalinks slack;
    private final Redis redis;
    private final Duration wait;
    private final Map<String, CompletableFuture<String>> asking = new ConcurrentHashMap<>();

    SlackPermalinks(ChatLinks.Permalinks slack, Redis redis, Duration wait) {
        this.slack = slack;
        this.redis = redis;
        this.wait = wait;
    }

    /**
     * The checked permalink of the message at {@code ts} in {@code where}'s channel, if Slack gives one within the
     * wait (or gave one before). Blocking (Redis, and up to the wait): call off the event loop. Both ids must already
     * look like Slack's: they are part of a Redis key.
     */
    Optional<String> of(Conversation where, String ts) {
        String key = KEY + where.channel() + ":" + ts;
        String cached = cached(key);
        if (cached != null) return NONE.equals(cached) ? Optional.empty() : Optional.of(cached);
        CompletableFuture<String> mine = new CompletableFuture<>();
        CompletableFuture<String> answer = asking.putIfAbsent(key, mine);
        if (answer == null) {
            answer = mine;
            Thread.ofVirtual().name("slack-permalink").start(() -> {
                try {
                    mine.complete(ask(key, where, ts));
                } catch (RuntimeException e) {
                    LOG.debug("Asking Slack for the permalink of {} in {}: {}", ts, where.channel(), e.toString());
                    mine.complete(NONE);
                } finally {
                    asking.remove(key, mine);
                }
            });
        }
        try {
            String href = answer.get(wait.toMillis(), TimeUnit.MILLISECONDS);
            return NONE.equals(href) ? Optional.empty() : Optional.of(href);
        } catch (TimeoutException | ExecutionException e) {
            return Optional.empty(); // the answer, when it comes, is kept for the next view
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private String ask(String key, Conversation where, String ts) {
        String href = slack.of(where, ts).flatMap(raw -> accepted(raw, where.channel(), ts)).orElse(NONE);
        try {
            redis.sync().setex(key, (NONE.equals(href) ? KEEP_REFUSAL : KEEP).toSeconds(), href);
        } catch (RuntimeException e) {
            LOG.debug("Could not keep the permalink of {}: {}", ts, e.toString());
        }
        return href;
    }

    private String cached(String key) {
        try {
            return redis.sync().get(key);
        } catch (RuntimeException e) {
            return null; // no cache now: ask, as on a miss
        }
    }

    /** {@code raw} rebuilt from its checked parts, if it is Slack's link to message {@code ts} of {@code channel}. */
    static Optional<String> accepted(String raw, String channel, String ts) {
        if (raw == null || raw.length() > MAX_LENGTH) return Optional.empty();
        URI uri;
        try {
            uri = new URI(raw);
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
        if (!"https".equals(uri.getScheme()) || uri.getRawUserInfo() != null || uri.getPort() != -1 || uri.getRawFragment() != null
                || uri.getHost() == null || !HOST.matcher(uri.getHost()).matches()) {
            return Optional.empty();
        }
        String path = "/archives/" + channel + "/p" + ts.replace(".", "");
        if (!path.equals(uri.getRawPath())) return Optional.empty();
        String query = uri.getRawQuery();
        if (query != null) {
            Matcher thread = THREAD_QUERY.matcher(query);
            if (!thread.matches() || !thread.group(2).equals(channel)) return Optional.empty();
        }
        return Optional.of("https://" + uri.getHost() + path + (query == null ? "" : "?" + query));
    }
}
