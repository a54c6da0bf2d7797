package dev.quorum.agent.work;

import dev.quorum.agent.transcript.TranscriptEntry;
import dev.quorum.evidence.Redactor;
import dev.quorum.store.Redis;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What Quorum keeps of agent runs in Redis, beside each request: the transcript (a list of JSON entries, at most
 * {@link #MAX_TRANSCRIPT_ENTRIES}), usage over all attempts, the attempt counter, the result, and which queued
 * requests wait for {@code unfreeze}. Thread-safe; blocking (call from virtual threads).
 *
 * <p>This is where agents' text is stored, so this is where it is redacted: every text of a transcript entry (the
 * model's tool call arguments, the tool results, failure messages) and every string of a result (the report, the
 * summary, the outcome, source titles) has every secret Quorum knows masked before it reaches Redis. The API and the
 * console serve what is stored. The model itself still sees its tools' results whole: they are its own workspace.
 */
public final class AgentRunStore {
    /** A run that makes more entries than this keeps its first ones; budgets normally end a run long before. */
    public static final int MAX_TRANSCRIPT_ENTRIES = 2_000;

    private static final String REQUEST = "{q}:req:";
    private static final String WAITING_FOR_UNFREEZE = "{q}:agent:after-unfreeze";

    private final Redis redis;
    private final Redactor redactor;

    /** @param redactor the installation's: masks every secret Quorum knows */
    public AgentRunStore(Redis redis, Redactor redactor) {
        this.redis = redis;
        this.redactor = redactor;
    }

    private String clean(String text) {
        return text == null ? null : redactor.redact(text);
    }

    private static String transcriptKey(String id) {
        return REQUEST + id + ":transcript";
    }

    private static String runKey(String id) {
        return REQUEST + id + ":agent";
    }

    private static String resultKey(String id) {
        return REQUEST + id + ":result";
    }

    /** Stores {@code entry} of attempt {@code attempt}, redacted. */
    public void appendTranscript(String id, TranscriptEntry entry, int attempt) {
        long length = redis.sync().rpush(transcriptKey(id), AgentJson.transcriptEntry(entry, attempt, this::clean));
        if (length > MAX_TRANSCRIPT_ENTRIES) {
            redis.sync().ltrim(transcriptKey(id), 0, MAX_TRANSCRIPT_ENTRIES - 1);
            redis.sync().hset(runKey(id), "transcript_cut", "true");
        }
    }

    public List<String> transcript(String id) {
        return redis.sync().lrange(transcriptKey(id), 0, -1);
    }

    /** Counts one model call, over every attempt of the request. */
    public void addModelCall(String id, long tokensIn, long tokensOut, BigDecimal cost) {
        redis.sync().hincrby(runKey(id), "model_calls", 1);
        redis.sync().hincrby(runKey(id), "tokens_in", tokensIn);
        redis.sync().hincrby(runKey(id), "tokens_out", tokensOut);
        redis.sync().hincrbyfloat(runKey(id), "cost_usd", cost.doubleValue());
    }

    public UsageSoFar usage(String id) {
        Map<String, String> h = redis.sync().hgetall(runKey(id));
        return new UsageSoFar(Integer.parseInt(h.getOrDefault("model_calls", "0")),
                Long.parseLong(h.getOrDefault("tokens_in", "0")), Long.parseLong(h.getOrDefault("tokens_out", "0")),
                new BigDecimal(h.getOrDefault("cost_usd", "0")), Integer.parseInt(h.getOrDefault("attempts", "0")));
    }

    /** Starts the next attempt at the request and returns its number, from 1. */
    public int nextAttempt(String id) {
        return Math.toIntExact(redis.sync().hincrby(runKey(id), "attempts", 1));
    }

    /** The number of the request's latest attempt; an attempt with a smaller number has been superseded. */
    public int latestAttempt(String id) {
        String n = redis.sync().hget(runKey(id), "attempts");
        return n == null ? 0 : Integer.parseInt(n);
    }

    /** Marks a running request as handed over by a stopping instance, for whoever takes its job next. */
    public void markHandedOver(String id) {
        redis.sync().hset(runKey(id), "handed_over", "true");
    }

    /** True, once, when the request was handed over: the caller resumes it. */
    public boolean takeHandedOver(String id) {
        return redis.sync().hdel(runKey(id), "handed_over") > 0;
    }

    /** Stores {@code result} (a {@link RunRecords} record) as JSON, every string in it redacted. */
    public void saveResult(String id, Record result) {
        redis.sync().set(resultKey(id), AgentJson.write(result, this::clean));
    }

    public Optional<String> result(String id) {
        return Optional.ofNullable(redis.sync().get(resultKey(id)));
    }

    /** Remembers a queued request that must not start while Quorum is frozen; {@code job} is its job kind. */
    public void waitForUnfreeze(String id, String job) {
        redis.sync().sadd(WAITING_FOR_UNFREEZE, id + "|" + job);
    }

    /** True for exactly one caller: the one that takes the request off the waiting list and queues it. */
    public boolean stopWaiting(String id, String job) {
        return redis.sync().srem(WAITING_FOR_UNFREEZE, id + "|" + job) > 0;
    }

    /** Requests waiting for {@code unfreeze}, as (request id, job kind). */
    public List<Map.Entry<String, String>> waitingForUnfreeze() {
        return redis.sync().smembers(WAITING_FOR_UNFREEZE).stream()
                .map(m -> Map.entry(m.substring(0, m.indexOf('|')), m.substring(m.indexOf('|') + 1)))
                .toList();
    }
}
