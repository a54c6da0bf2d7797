package dev.quorum.request;

import dev.quorum.audit.AuditLog;
import dev.quorum.conversation.Conversation;
import dev.quorum.conversation.Identity;
import dev.quorum.conversation.PostedMessage;
import dev.quorum.insights.Rollup;
import dev.quorum.store.LuaScript;
import dev.quorum.store.Redis;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Requests in Redis: a hash per request and sorted-set indexes by time, state, type and
 * requester (scored by the id's number), so that history is listed without scanning keys.
 * Creation and state changes are Lua scripts, atomic across Quorum instances. Thread-safe;
 * methods block on Redis, so call them from virtual threads.
 */
public final class RequestStore {
    static final String PREFIX = "{q}:req:";
    private static final String COUNTER = "{q}:seq:request";
    private static final String BY_TIME = "{q}:idx:time";
    private static final String BY_STATE = "{q}:idx:state:";
    private static final String BY_TYPE = "{q}:idx:type:";
    private static final String BY_USER = "{q}:idx:user:";
    /** Requests an identity approved (an approve vote counted), scored by number; written by vote_tally.lua. */
    private static final String BY_APPROVER = "{q}:idx:approver:";
    private static final String BY_REPO = "{q}:idx:repo:";
    private static final String BY_ENVIRONMENT = "{q}:idx:env:";
    /** Every request scored by its creation time in epoch ms, to turn a date range into a range of numbers. */
    static final String BY_CREATED = "{q}:idx:created";
    /** Every request scored by its last state change in epoch ms, for the order by update; every state-changing script keeps it. */
    static final String BY_UPDATED = "{q}:idx:updated";
    /** The inputs that name what a request works on, each with its index: the history filters by them. */
    static final Map<String, String> INDEXED_INPUTS = Map.of("repo", BY_REPO, "environment", BY_ENVIRONMENT);

    private final Redis redis;
    private final LuaScript create = LuaScript.load("request_create", Rollup.LIBRARY);
    private final LuaScript transition = LuaScript.load("request_transition", Rollup.LIBRARY);
    private final LuaScript cost = LuaScript.load("request_cost");
    private final ReentrantLock creating = new ReentrantLock();
    private long next = 1; // guarded by creating: the request number the counter gives next, as last seen

    /** The Redis key of a request's hash, for atomic scripts of other capabilities. */
    public static String key(String id) {
        return PREFIX + id;
    }

    /** The Redis key of the index of requests in a state, for atomic scripts of other capabilities. */
    public static String stateIndex(RequestState state) {
        return BY_STATE + state.wire();
    }

    private final LuaScript takeOverProgress = LuaScript.load("progress_take_over");

    public RequestStore(Redis redis) {
        this.redis = redis;
    }

    /** Stores a new request in {@link Lifecycle#initial()} state, with no inputs and no job, and returns it with its id. */
    public Request create(RequestType type, Identity requester, String requesterName, Conversation origin,
                          String text, String rerunOf, Instant now) {
        return create(type, requester, requesterName, origin, text, rerunOf, now, Map.of());
    }

    /** Stores a new request in {@link Lifecycle#initial()} state with its inputs and no job, and returns it with its id. */
    public Request create(RequestType type, Identity requester, String requesterName, Conversation origin,
                          String text, String rerunOf, Instant now, Map<String, String> inputs) {
        return create(type, requester, requesterName, origin, text, rerunOf, now, inputs, null, 0);
    }

    /**
     * Stores a new request in {@link Lifecycle#initial()} state with its inputs, its audit entry and, when
     * {@code job} is given, its job, in one atomic step: all of it or, refused, nothing.
     *
     * @param job kind of the job to queue for it, or {@code null} for none
     * @param cap the most jobs the queue may hold for a job to be queued (0: no cap)
     * @throws QueueFullException when the queue holds {@code cap} jobs already
     */
    Request create(RequestType type, Identity requester, String requesterName, Conversation origin, String text, String rerunOf,
                   Instant now, Map<String, String> inputs, String job, int cap) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("type", type.wire());
        fields.put("state", Lifecycle.initial().wire());
        fields.put("requester", requester.toString());
        fields.put("requester_name", requesterName);
        putConversation(fields, "origin_", origin);
        fields.put("text", text);
        fields.put("created_at", String.valueOf(now.toEpochMilli()));
        fields.put("updated_at", String.valueOf(now.toEpochMilli()));
        if (rerunOf != null) fields.put("rerun_of", rerunOf);
        // what it works on, copied onto the hash for the rollups every state-changing script keeps (rollup.lua), which
        // reach the request's hash but not always its inputs
        INDEXED_INPUTS.keySet().stream().sorted().forEach(input -> {
            String value = inputs.get(input);
            if (value != null && !value.isBlank()) fields.put("in_" + input, value);
        });
        String details = AuditLog.details(AuditLog.details("type", type.wire(), "text", text, "rerun_of", rerunOf == null ? "" : rerunOf,
                "channel", origin.adapter() + ":" + origin.channel()));
        List<String> tail = new ArrayList<>(List.of(job == null ? "" : job, String.valueOf(cap), requester.toString(), details,
                String.valueOf(now.toEpochMilli()), String.valueOf(fields.size())));
        fields.forEach((k, v) -> {
            tail.add(k);
            tail.add(v);
        });
        inputs.forEach((k, v) -> {
            tail.add(k);
            tail.add(v);
        });
        List<String> keys = new ArrayList<>(List.of(COUNTER, BY_TIME, BY_STATE + Lifecycle.initial().wire(), BY_TYPE + type.wire(),
                BY_USER + requester, "", "", AuditLog.OUTBOX, WorkQueue.STREAM, BY_CREATED, BY_UPDATED));
        INDEXED_INPUTS.forEach((input, index) -> {
            String value = inputs.get(input);
            if (value != null && !value.isBlank()) keys.add(index + value);
        });
        keys.add(Rollup.dayKey(now)); // the last two keys: request_create.lua's rollups
        keys.add(Rollup.slicesKey(now));
        // This instance's creations take turns, so only another instance's can make the guess wrong
        creating.lock();
        try {
            for (int attempt = 0; ; attempt++) {
                long n = next;
                String id = RequestIds.of(n);
                List<String> args = new ArrayList<>(tail.size() + 1);
                args.add(String.valueOf(n));
                args.addAll(tail);
                keys.set(5, PREFIX + id);
                keys.set(6, PREFIX + id + ":inputs");
                List<String> result = create.run(redis.sync(), ScriptOutputType.MULTI, keys.toArray(String[]::new), args.toArray(String[]::new));
                switch (result.getFirst()) {
                    case "ok" -> {
                        next = n + 1;
                        redis.durable(); // acknowledged requests outlive a failover (store.Durability)
                        return new Request(id, type, Lifecycle.initial(), requester, requesterName, origin, text, now, now,
                                null, null, rerunOf, null, 0.0);
                    }
                    case "full" -> throw new QueueFullException(cap);
                    case "moved" -> next = Long.parseLong(result.get(1));
                    case "broken" -> throw new IllegalStateException("the Redis key " + result.get(1)
                            + " does not hold what Quorum keeps there (changed by hand?); nothing was written");
                    default -> throw new IllegalStateException("request_create answered " + result);
                }
                if (attempt > 1000) throw new IllegalStateException("could not take a request number: other instances kept taking it first");
            }
        } finally {
            creating.unlock();
        }
    }
    public Optional<Request> find(String id) {
        if (!RequestIds.isId(id)) return Optional.empty();
        Map<String, String> h = redis.sync().hgetall(PREFIX + RequestIds.normalize(id));
        return h.isEmpty() ? Optional.empty() : Optional.of(decode(h));
    }

    /** Moves a request for Quorum, with no reason: {@link #transition(Request, RequestState, RequestState, Map, Instant, String, String)}. */
    public boolean transition(Request r, RequestState from, RequestState to, Map<String, String> fields, Instant now) {
        return transition(r, from, to, fields, now, "quorum", null);
    }

    /**
     * Moves a request from {@code from} to {@code to} if it is still in {@code from}, and writes its
     * {@code request.state} audit entry to the audit outbox in the same atomic step.
     *
     * @param fields extra fields set in the same atomic step ({@code summary}, {@code reason})
     * @param actor  who caused the change, as audited
     * @param reason why, as audited; may be {@code null}
     * @return true if this call made the change; false if the request was no longer in {@code from}
     * @throws IllegalTransitionException if the lifecycle forbids the change
     * @throws java.util.NoSuchElementException if there is no such request
     */
    public boolean transition(Request r, RequestState from, RequestState to, Map<String, String> fields, Instant now,
                              String actor, String reason) {
        Lifecycle.check(r.id(), r.type(), from, to);
        String result = transition.run(redis.sync(), ScriptOutputType.VALUE, transitionKeys(r, from, to),
                transitionArgs(r, from, to, fields, now, actor, reason));
        if (result == null || result.isEmpty()) throw new java.util.NoSuchElementException("no request " + r.id());
        if ("OK".equals(result)) redis.durable(); // a state change outlives a failover (store.Durability)
        return "OK".equals(result);
    }

    /**
     * request_transition.lua's KEYS, in the script's order: the one list of them, which {@link #transition} and the
     * benchmark that times the script itself both pass, so that a key added to the script is added here once.
     */
    public static String[] transitionKeys(Request r, RequestState from, RequestState to) {
        return new String[]{PREFIX + r.id(), BY_STATE + from.wire(), BY_STATE + to.wire(), AuditLog.OUTBOX, BY_UPDATED,
                Rollup.dayKey(r.createdAt()), PREFIX + r.id() + ":inputs", Rollup.INCIDENTS, Rollup.slicesKey(r.createdAt())};
    }

    /** request_transition.lua's ARGV, in its order, for {@link #transitionKeys}: the arguments of {@link #transition}. */
    public static String[] transitionArgs(Request r, RequestState from, RequestState to, Map<String, String> fields, Instant now,
                                          String actor, String reason) {
        List<String> args = new ArrayList<>(List.of(from.wire(), to.wire(), String.valueOf(r.number()), r.id(), actor,
                AuditLog.details(stateChange(from, to, reason)), String.valueOf(now.toEpochMilli()),
                "updated_at", String.valueOf(now.toEpochMilli())));
        fields.forEach((k, v) -> {
            args.add(k);
            args.add(v == null ? "" : v);
        });
        return args.toArray(String[]::new);
    }

    /** The details of a {@code request.state} audit entry, as every step that changes a state writes them. */
    public static Map<String, Object> stateChange(RequestState from, RequestState to, String reason) {
        return AuditLog.details("from", from.wire(), "to", to.wire(), "reason", reason == null ? "" : reason);
    }

    /** Remembers which chat message shows this request's progress. */
    public void setProgress(String id, PostedMessage message) {
        Map<String, String> fields = new HashMap<>();
        putConversation(fields, "progress_", message.where());
        fields.put("progress_message", message.messageId());
        redis.sync().hset(PREFIX + id, fields);
    }

    /**
     * Claims the posting of the request's progress message: true for the one caller that should post
     * it (the submitter, or the worker when the submitter died before posting), false while someone
     * else's claim is younger than {@code stale}. The submit step queues the job before the message is
     * posted, so without the claim a fast worker and the submitter would both post one.
     */
    public boolean claimProgress(String id, Instant now, Duration stale) {
        String key = PREFIX + id;
        if (redis.sync().hsetnx(key, "progress_claimed_at", String.valueOf(now.toEpochMilli()))) return true;
        String at = redis.sync().hget(key, "progress_claimed_at");
        if (at == null || redis.sync().hexists(key, "progress_message")) return false;
        // the claimant died before it posted: take over (compare-and-set, so only one taker)
        return takeOverProgress.run(redis.sync(), ScriptOutputType.INTEGER, new String[]{key},
                at, String.valueOf(now.toEpochMilli()), String.valueOf(now.minus(stale).toEpochMilli())).equals(1L);
    }

    /** Sets descriptive fields that are not part of the lifecycle ({@code summary}). */
    public void annotate(String id, String field, String value) {
        redis.sync().hset(PREFIX + id, field, value);
    }

    /**
     * Remembers what a request works on, resolved when it was opened (repo, commit, model
     * settings...), so that a worker on any instance and a later {@code rerun} use exactly that.
     */
    public void setInputs(String id, Map<String, String> inputs) {
        if (!inputs.isEmpty()) redis.sync().hset(PREFIX + id + ":inputs", inputs);
    }

    public Map<String, String> inputs(String id) {
        return redis.sync().hgetall(PREFIX + id + ":inputs");
    }

    /** Adds model cost, atomically, with the insights' cost of the day it was asked (in the same step). */
    public void addCost(String id, double usd) {
        String created = redis.sync().hget(PREFIX + id, "created_at");
        if (created == null) return; // no such request: nothing to count it on
        Instant asked = Instant.ofEpochMilli(Long.parseLong(created));
        cost.run(redis.sync(), ScriptOutputType.INTEGER, new String[]{PREFIX + id, Rollup.dayKey(asked), Rollup.slicesKey(asked)},
                java.math.BigDecimal.valueOf(usd).toPlainString());
    }

    /** How many requests are in each state (for metrics). */
    public Map<RequestState, Long> countByState() {
        Map<RequestState, Long> counts = new LinkedHashMap<>();
        for (RequestState s : RequestState.values()) counts.put(s, redis.sync().zcard(BY_STATE + s.wire()));
        return counts;
    }

    public long countByType(RequestType type) {
        return redis.sync().zcard(BY_TYPE + type.wire());
    }

    /** A page of history in the query's order, found on the indexes: see {@link HistorySearch}. */
    public RequestPage list(RequestQuery q) {
        return new HistorySearch(redis, this::loadAll).page(q);
    }

    /** Totals over everything that matches the filter (its limit and cursor are ignored): see {@link HistoryTotals}. */
    public RequestStats stats(RequestQuery q) {
        return new HistoryTotals(redis, this).of(q);
    }

    /**
     * Builds the history's indexes for requests stored before them, once per store (see {@link IndexBackfill}). Blocking:
     * run it off the start-up path on a store that may be large.
     *
     * @param approvers who approved an action request, by its id (its counted approve votes)
     * @return how many requests it indexed (0: done before)
     */
    public long backfillIndexes(java.util.function.Function<String, List<Identity>> approvers) {
        return new IndexBackfill(redis, approvers).run();
    }

    /** The index of the requests an identity approved, for the vote script. */
    public static String approverIndex(Identity approver) {
        return BY_APPROVER + approver;
    }

    /** The index by last update, for every script that changes a request's state. */
    public static String updatedIndex() {
        return BY_UPDATED;
    }

    /**
     * The indexes a filter names, all scored by request number, as groups: a request matches a group when it is in any
     * of its indexes (one person's identities), and the filter when it matches every group; empty when it names none.
     */
    static List<List<String>> indexesFor(RequestQuery q) {
        List<List<String>> groups = new ArrayList<>();
        if (q.state() != null) groups.add(List.of(BY_STATE + q.state().wire()));
        if (q.type() != null) groups.add(List.of(BY_TYPE + q.type().wire()));
        if (q.user() != null) groups.add(q.user().stream().map(u -> BY_USER + u).sorted().toList());
        if (q.approver() != null) groups.add(q.approver().stream().map(a -> BY_APPROVER + a).sorted().toList());
        if (q.repo() != null) groups.add(List.of(BY_REPO + q.repo()));
        if (q.environment() != null) groups.add(List.of(BY_ENVIRONMENT + q.environment()));
        return groups;
    }

    /** The index of every request by number, newest last. */
    static String allIndex() {
        return BY_TIME;
    }

    /** Loads many requests in one pipelined round of HGETALLs, keeping the order; missing ones are skipped. */
    List<Request> loadAll(List<String> ids) {
        List<RedisFuture<Map<String, String>>> futures = new ArrayList<>(ids.size());
        for (String id : ids) futures.add(redis.async().hgetall(PREFIX + id));
        List<Request> out = new ArrayList<>(ids.size());
        for (RedisFuture<Map<String, String>> f : futures) {
            try {
                Map<String, String> h = f.get(10, TimeUnit.SECONDS);
                if (!h.isEmpty()) out.add(decode(h));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while reading requests", e);
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("reading requests from Redis failed", e);
            }
        }
        return out;
    }

    private static void putConversation(Map<String, String> fields, String prefix, Conversation c) {
        fields.put(prefix + "adapter", c.adapter());
        fields.put(prefix + "channel", c.channel());
        if (c.thread() != null) fields.put(prefix + "thread", c.thread());
    }

    private static Conversation conversation(Map<String, String> h, String prefix) {
        String adapter = h.get(prefix + "adapter");
        if (adapter == null) return null;
        String thread = h.get(prefix + "thread");
        return new Conversation(adapter, h.get(prefix + "channel"), thread == null || thread.isEmpty() ? null : thread);
    }

    static Request decode(Map<String, String> h) {
        Conversation progressWhere = conversation(h, "progress_");
        PostedMessage progress = progressWhere == null ? null : new PostedMessage(progressWhere, h.get("progress_message"));
        return new Request(
                h.get("id"),
                RequestType.fromWire(h.get("type")),
                RequestState.fromWire(h.get("state")),
                Identity.parse(h.get("requester")),
                h.getOrDefault("requester_name", ""),
                conversation(h, "origin_"),
                h.getOrDefault("text", ""),
                Instant.ofEpochMilli(Long.parseLong(h.get("created_at"))),
                Instant.ofEpochMilli(Long.parseLong(h.get("updated_at"))),
                blankToNull(h.get("summary")),
                blankToNull(h.get("reason")),
                blankToNull(h.get("rerun_of")),
                progress,
                h.containsKey("cost_usd") ? Double.parseDouble(h.get("cost_usd")) : 0.0);
    }

    private static String blankToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
