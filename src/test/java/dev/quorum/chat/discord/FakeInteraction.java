package dev.quorum.chat.discord;

import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * An interaction the fake dispatched (slash command, button click, autocomplete), and what the
 * bot answered it with: the callback (the ack within Discord's 3 seconds), follow-ups through the
 * interaction's webhook, and the original response as it was edited.
 */
final class FakeInteraction {
    /** Discord's interaction types. */
    static final int APPLICATION_COMMAND = 2;
    static final int MESSAGE_COMPONENT = 3;
    static final int APPLICATION_COMMAND_AUTOCOMPLETE = 4;

    private final long id;
    private final String token;
    private final int type;
    private final long channelId;
    private final FakeDiscord.User user;
    /** The message a component sits on (its id), else 0. */
    private final long messageId;
    private final JsonObject payload;
    /** When the dispatch went out to the sessions (System.nanoTime). */
    volatile long sentNanos;
    final CompletableFuture<FakeDiscord.Call> callback = new CompletableFuture<>();
    final List<FakeDiscord.Call> followUps = new CopyOnWriteArrayList<>();
    /** The original response as it stands (after the callback and every edit of {@code @original}); null before. */
    volatile JsonObject original;
    final List<JsonObject> originalVersions = new CopyOnWriteArrayList<>();

    FakeInteraction(long id, String token, int type, long channelId, FakeDiscord.User user, long messageId, JsonObject payload) {
        this.id = id;
        this.token = token;
        this.type = type;
        this.channelId = channelId;
        this.user = user;
        this.messageId = messageId;
        this.payload = payload;
    }

    long id() {
        return id;
    }

    String token() {
        return token;
    }

    int type() {
        return type;
    }

    long channelId() {
        return channelId;
    }

    FakeDiscord.User user() {
        return user;
    }

    long messageId() {
        return messageId;
    }

    /** The INTERACTION_CREATE data as dispatched. */
    JsonObject payload() {
        return payload.copy();
    }

    long sentNanos() {
        return sentNanos;
    }

    boolean acknowledged() {
        return callback.isDone();
    }

    /** The interaction callback (its body: {@code type} 4/5/6/7/8 and {@code data}); fails after {@code timeout}. */
    FakeDiscord.Call awaitCallback(Duration timeout) {
        try {
            return callback.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("no interaction callback for interaction " + id + " within " + timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } catch (ExecutionException e) {
            throw new AssertionError(e.getCause());
        }
    }

    /** The callback's response type (5 = deferred reply, 6 = deferred update, 8 = autocomplete result, ...). */
    int awaitCallbackType(Duration timeout) {
        return awaitCallback(timeout).body().getInteger("type");
    }

    /** A follow-up message ({@code POST webhooks/{app}/{token}}) whose body matches. */
    FakeDiscord.Call awaitFollowUp(Predicate<JsonObject> matching, Duration timeout) {
        return FakeDiscord.poll(timeout, () -> followUps.stream().filter(c -> matching.test(c.body())).findFirst(),
                () -> "no follow-up matched for interaction " + id + "; follow-ups: " + followUps);
    }

    /** The original response once it matches (e.g. edited from "thinking" to the answer). */
    JsonObject awaitOriginal(Predicate<JsonObject> matching, Duration timeout) {
        return FakeDiscord.poll(timeout, () -> java.util.Optional.ofNullable(original).filter(matching),
                () -> "the original response of interaction " + id + " never matched; versions: " + originalVersions);
    }

    @Override
    public String toString() {
        return "FakeInteraction[" + id + " type " + type + " by " + user.username() + "]";
    }
}
