package dev.quorum.chat.slack;

import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.SlackApiTextResponse;
import com.slack.api.methods.response.auth.AuthTestResponse;
import com.slack.api.methods.response.users.UsersInfoResponse;
import com.slack.api.model.User;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * The Slack Web API calls Quorum makes, over Slack's own client, within Slack's rate limits. An
 * HTTP 429 pauses that method for the {@code Retry-After} it names, for every caller on this
 * instance, and the call is made again: a reply arrives late rather than never. Calls that are
 * safe to repeat are also retried after a server error; every call is retried when the
 * connection could not be made (nothing was sent).
 *
 * <p>Blocking: call from virtual threads, never from an event loop. Thread-safe.
 */
final class RateLimitedSlackClient {
    private static final Logger LOG = LoggerFactory.getLogger(RateLimitedSlackClient.class);
    /** 429s in a row before a call gives up: Slack's pauses are seconds to a minute, so this is minutes. */
    static final int MAX_RATE_LIMITED_ATTEMPTS = 10;
    /** Other failures worth another try (a refused connection, a 5xx on a repeatable call). */
    static final int MAX_FAILED_ATTEMPTS = 3;
    /** When a 429 names no delay; Slack's documented minimum is one second. */
    private static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(1);
    private static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(2);

    /**
     * Calls in flight at once. Every command answers on its own virtual thread, so a burst would
     * otherwise open a connection per waiting reply (OkHttp does not bound blocking calls); beyond
     * a few dozen, more connections only add handshakes and contention, never throughput.
     */
    static final int MAX_IN_FLIGHT = 32;

    private final MethodsClient methods;
    /** Method name to {@link System#nanoTime()} before which nobody calls it. */
    private final Map<String, Long> pausedUntil = new ConcurrentHashMap<>();
    private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT, true);

    RateLimitedSlackClient(MethodsClient methods) {
        this.methods = methods;
    }

    /** {@code auth.test}: who the bot token belongs to. */
    BotIdentity authTest() {
        AuthTestResponse r = call("auth.test", true, () -> methods.authTest(b -> b));
        return new BotIdentity(r.getUserId(), r.getBotId(), r.getTeamId());
    }

    /** {@code chat.postMessage}, in a thread when {@code threadTs} is given; returns the message's ts. */
    String postMessage(String channel, String threadTs, SlackMessage m) {
        return call("chat.postMessage", false, () -> methods.chatPostMessage(b -> b
                .channel(channel).threadTs(threadTs).text(m.text()).blocks(m.blocks()).unfurlLinks(false))).getTs();
    }

    /** {@code chat.update}: the message at {@code ts} shows {@code m} instead. */
    void update(String channel, String ts, SlackMessage m) {
        call("chat.update", true, () -> methods.chatUpdate(b -> b.channel(channel).ts(ts).text(m.text()).blocks(m.blocks())));
    }

    /** {@code chat.postEphemeral}: only {@code user} sees it, in the thread when given. */
    void postEphemeral(String channel, String user, String threadTs, SlackMessage m) {
        call("chat.postEphemeral", false, () -> methods.chatPostEphemeral(b -> b
                .channel(channel).user(user).threadTs(threadTs).text(m.text()).blocks(m.blocks())));
    }

    /** {@code reactions.add}; a reaction that is already there counts as added. */
    void addReaction(String channel, String ts, String emoji) {
        try {
            call("reactions.add", true, () -> methods.reactionsAdd(b -> b.channel(channel).timestamp(ts).name(emoji)));
        } catch (SlackCallException e) {
            if (!"already_reacted".equals(e.error())) throw e;
        }
    }

    /** {@code users.info}: the name a member shows, if Slack tells it. */
    Optional<String> displayName(String userId) {
        UsersInfoResponse r = call("users.info", true, () -> methods.usersInfo(b -> b.user(userId)));
        User user = r.getUser();
        if (user == null) return Optional.empty();
        if (user.getProfile() != null && notBlank(user.getProfile().getDisplayName())) return Optional.of(user.getProfile().getDisplayName());
        if (notBlank(user.getRealName())) return Optional.of(user.getRealName());
        return notBlank(user.getName()) ? Optional.of(user.getName()) : Optional.empty();
    }

    /**
     * {@code chat.getPermalink}: Slack's link to the message at {@code ts} (no scope needed). Asked while a page waits,
     * so it is asked once: no waiting out a pause or a 429, no second try (the caller falls back and asks again later).
     */
    String permalink(String channel, String ts) {
        return call("chat.getPermalink", Patience.IMPATIENT, () -> methods.chatGetPermalink(b -> b.channel(channel).messageTs(ts))).getPermalink();
    }

    /** How hard a call tries. */
    private enum Patience {
        /** Waits out 429s and retries refused connections, but not a 5xx (the call may have been made). */
        PATIENT,
        /** Also retries a 5xx: making the call twice does no harm. */
        PATIENT_REPEATABLE,
        /** One try, now: a paused method or any failure is an error at once. */
        IMPATIENT
    }

    @FunctionalInterface
    private interface Call<T extends SlackApiTextResponse> {
        T run() throws IOException, SlackApiException;
    }

    /** @param repeatable true when making the call twice does no harm (so a 5xx may be retried) */
    private <T extends SlackApiTextResponse> T call(String method, boolean repeatable, Call<T> call) {
        return call(method, repeatable ? Patience.PATIENT_REPEATABLE : Patience.PATIENT, call);
    }

    /**
     * Makes the call, waiting out this method's pause first (unless it may not wait).
     *
     * @throws SlackCallException when Slack answers {@code ok: false} or the retries are used up
     */
    private <T extends SlackApiTextResponse> T call(String method, Patience patience, Call<T> call) {
        int rateLimited = 0;
        int failed = 0;
        boolean retries = patience != Patience.IMPATIENT;
        while (true) {
            if (retries) awaitPause(method);
            else if (paused(method)) throw new SlackCallException(method, "rate limited");
            try {
                T response = limited(method, call);
                if (!response.isOk()) throw new SlackCallException(method, response.getError());
                return response;
            } catch (SlackApiException e) {
                int status = e.getResponse().code();
                if (status == 429 && retries && ++rateLimited < MAX_RATE_LIMITED_ATTEMPTS) {
                    Duration wait = retryAfter(e);
                    LOG.warn("Slack rate-limited {}; calling it again in {} s", method, wait.toSeconds());
                    pausedUntil.merge(method, System.nanoTime() + wait.toNanos(), Math::max);
                } else if (status == 429 && !retries) { // nobody calls it again before Slack said
                    pausedUntil.merge(method, System.nanoTime() + retryAfter(e).toNanos(), Math::max);
                    throw new SlackCallException(method, "HTTP 429", e);
                } else if (status >= 500 && patience == Patience.PATIENT_REPEATABLE && ++failed < MAX_FAILED_ATTEMPTS) {
                    sleep(method, backoff(failed));
                } else {
                    throw new SlackCallException(method, "HTTP " + status, e);
                }
            } catch (ConnectException e) {
                if (!retries || ++failed >= MAX_FAILED_ATTEMPTS) throw new SlackCallException(method, e.toString(), e);
                sleep(method, backoff(failed));
            } catch (IOException e) {
                throw new SlackCallException(method, e.toString(), e);
            }
        }
    }

    private <T extends SlackApiTextResponse> T limited(String method, Call<T> call) throws IOException, SlackApiException {
        try {
            inFlight.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SlackCallException(method, "interrupted while waiting for a free connection", e);
        }
        try {
            return call.run();
        } finally {
            inFlight.release();
        }
    }

    private boolean paused(String method) {
        Long until = pausedUntil.get(method);
        return until != null && until - System.nanoTime() > 0;
    }

    private void awaitPause(String method) {
        Long until = pausedUntil.get(method);
        if (until == null) return;
        long left = until - System.nanoTime();
        if (left > 0) sleep(method, Duration.ofNanos(left));
        else pausedUntil.remove(method, until);
    }

    private static Duration retryAfter(SlackApiException e) {
        String header = e.getResponse().header("Retry-After");
        try {
            Duration d = header == null ? DEFAULT_RETRY_AFTER : Duration.ofSeconds(Long.parseLong(header.strip()));
            return d.isNegative() || d.isZero() ? DEFAULT_RETRY_AFTER : d.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : d;
        } catch (NumberFormatException bad) {
            return DEFAULT_RETRY_AFTER;
        }
    }

    private static Duration backoff(int failures) {
        return Duration.ofMillis(250L << failures);
    }

    private static void sleep(String method, Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SlackCallException(method, "interrupted while waiting to call it again", e);
        }
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }
}
