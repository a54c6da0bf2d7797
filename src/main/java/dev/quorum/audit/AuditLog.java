package dev.quorum.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quorum.store.LuaScript;
import dev.quorum.store.Redis;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.StreamMessage;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The append-only, hash-chained audit log in a Redis stream. Every state change, vote, execution,
 * freeze and config load is appended here; each entry carries the SHA-256 of the entry before,
 * so a changed or deleted entry is detected by {@link #verify()}. Appends from several Quorum
 * instances are serialised by a compare-and-set on the chain head. Thread-safe; blocking.
 */
public final class AuditLog {
    static final String STREAM = "q:audit";
    static final String HEAD = "q:audit:head";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Redis redis;
    private final Clock clock;
    private final LuaScript append = LuaScript.load("audit_append");
    private static final int FIELDS = 14; // 7 field/value pairs per entry
    private static final int MAX_BATCH = 200;
    private final ReentrantLock lock = new ReentrantLock();
    private final ConcurrentLinkedQueue<Pending> waiting = new ConcurrentLinkedQueue<>();
    private String knownHead; // guarded by lock

    public AuditLog(Redis redis, Clock clock) {
        this.redis = redis;
        this.clock = clock;
    }

    /**
     * Appends an entry.
     *
     * @param data details; serialised to JSON
     * @return the new entry
     */
    public AuditEntry append(String type, String actor, String requestId, Map<String, ?> data) {
        String json;
        try {
            json = CanonicalJson.of(amountsAsText(JSON.valueToTree(data)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("audit data for " + type + " is not serialisable", e);
        }
        Pending mine = new Pending(type, actor, requestId, json, new CompletableFuture<>());
        waiting.add(mine);
        // The chain is sequential by nature. Instead of racing each other for the head, appends
        // from this instance take turns, and whoever has the turn writes every entry waiting by
        // then in one script call (group commit). The head this instance wrote last is
        // remembered, so the common case is one round trip; another instance moving the head
        // costs a rehash of the batch.
        lock.lock();
        try {
            if (!mine.done().isDone()) flush();
        } finally {
            lock.unlock();
        }
        try {
            return mine.done().join();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : e;
        }
    }

    private record Pending(String type, String actor, String requestId, String json, CompletableFuture<AuditEntry> done) {}

    /** Appends every waiting entry; called with the lock held. */
    private void flush() {
        List<Pending> batch = new ArrayList<>();
        for (Pending p; batch.size() < MAX_BATCH && (p = waiting.poll()) != null; ) batch.add(p);
        if (batch.isEmpty()) return;
        try {
            String prev = knownHead != null ? knownHead : head();
            for (int attempt = 0; ; attempt++) {
                Instant at = clock.instant();
                List<AuditEntry> entries = new ArrayList<>(batch.size());
                List<String> args = new ArrayList<>(List.of(prev, "", String.valueOf(FIELDS)));
                String link = prev;
                for (Pending p : batch) {
                    String hash = AuditEntry.hashOf(at, p.type(), p.actor(), p.requestId(), p.json(), link);
                    entries.add(new AuditEntry(null, at, p.type(), p.actor(), p.requestId(), p.json(), link, hash));
                    args.addAll(List.of("at", at.toString(), "type", p.type(), "actor", p.actor(),
                            "request", p.requestId() == null ? "" : p.requestId(), "data", p.json(), "prev", link, "hash", hash));
                    link = hash;
                }
                args.set(1, link);
                List<String> result = append.run(redis.sync(), ScriptOutputType.MULTI, new String[]{STREAM, HEAD}, args.toArray(String[]::new));
                if ("ok".equals(result.getFirst())) {
                    knownHead = link;
                    for (int i = 0; i < batch.size(); i++) {
                        AuditEntry e = entries.get(i);
                        batch.get(i).done().complete(new AuditEntry(result.get(i + 1), e.at(), e.type(), e.actor(), e.requestId(),
                                e.data(), e.prev(), e.hash()));
                    }
                    return;
                }
                prev = result.get(1);
                if (attempt >= 8) pause(attempt); // several instances appending hard: let the others through
            }
        } catch (RuntimeException e) {
            knownHead = null;
            batch.forEach(p -> p.done().completeExceptionally(e));
        }
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, Math.min(50, attempt)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while appending to the audit log", e);
        }
    }

    /** Canonical JSON takes integers only: amounts such as costs are kept as exact decimal text. */
    private static com.fasterxml.jackson.databind.JsonNode amountsAsText(com.fasterxml.jackson.databind.JsonNode node) {
        if (node.isNumber() && !node.isIntegralNumber()) {
            return com.fasterxml.jackson.databind.node.TextNode.valueOf(node.decimalValue().stripTrailingZeros().toPlainString());
        }
        if (node instanceof com.fasterxml.jackson.databind.node.ObjectNode o) {
            o.properties().forEach(e -> e.setValue(amountsAsText(e.getValue())));
        } else if (node instanceof com.fasterxml.jackson.databind.node.ArrayNode a) {
            for (int i = 0; i < a.size(); i++) a.set(i, amountsAsText(a.get(i)));
        }
        return node;
    }

    private String head() {
        String h = redis.sync().get(HEAD);
        return h == null ? "" : h;
    }

    /** Entries after the stream id {@code after} (exclusive; {@code null} from the start), oldest first. */
    public List<AuditEntry> read(String after, int limit) {
        Range<String> range = after == null ? Range.create("-", "+")
                : Range.from(Range.Boundary.excluding(after), Range.Boundary.unbounded());
        List<AuditEntry> out = new ArrayList<>();
        for (StreamMessage<String, String> m : redis.sync().xrange(STREAM, range, Limit.create(0, limit))) {
            out.add(decode(m));
        }
        return out;
    }

    /** The newest entries, newest first. */
    public List<AuditEntry> latest(int limit) {
        List<AuditEntry> out = new ArrayList<>();
        for (StreamMessage<String, String> m : redis.sync().xrevrange(STREAM, Range.create("-", "+"), Limit.create(0, limit))) {
            out.add(decode(m));
        }
        return out;
    }

    /** Entries about one request, oldest first (a scan: for a request page, not for hot paths). */
    public List<AuditEntry> forRequest(String requestId) {
        List<AuditEntry> out = new ArrayList<>();
        String after = null;
        List<AuditEntry> page;
        do {
            page = read(after, 1000);
            for (AuditEntry e : page) if (requestId.equals(e.requestId())) out.add(e);
            if (!page.isEmpty()) after = page.getLast().id();
        } while (page.size() == 1000);
        return out;
    }

    /** Walks the whole chain and reports the first entry that was changed, or the gap a deletion left. */
    public AuditVerification verify() {
        String expectedPrev = "";
        String after = null;
        long count = 0;
        List<AuditEntry> page;
        do {
            page = read(after, 1000);
            for (AuditEntry e : page) {
                count++;
                if (!e.prev().equals(expectedPrev)) {
                    return AuditVerification.bad(count, e.id(), "does not follow the entry before it (an entry was deleted or changed)");
                }
                if (!e.computeHash().equals(e.hash())) {
                    return AuditVerification.bad(count, e.id(), "its content does not match its hash (the entry was changed)");
                }
                expectedPrev = e.hash();
                after = e.id();
            }
        } while (page.size() == 1000);
        if (!expectedPrev.equals(head())) {
            return AuditVerification.bad(count, after == null ? "(start)" : after,
                    "the chain head does not match the last entry (entries after it were deleted)");
        }
        return AuditVerification.good(count);
    }

    private static AuditEntry decode(StreamMessage<String, String> m) {
        Map<String, String> b = m.getBody();
        Instant at;
        try {
            at = Instant.parse(b.getOrDefault("at", ""));
        } catch (RuntimeException e) {
            at = Instant.EPOCH;
        }
        String request = b.getOrDefault("request", "");
        return new AuditEntry(m.getId(), at, b.getOrDefault("type", ""), b.getOrDefault("actor", ""),
                request.isEmpty() ? null : request, b.getOrDefault("data", ""), b.getOrDefault("prev", ""),
                b.getOrDefault("hash", ""));
    }

    /** Convenience for details maps with a stable order. */
    public static Map<String, Object> details(Object... pairs) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < pairs.length; i += 2) m.put(String.valueOf(pairs[i]), pairs[i + 1]);
        return m;
    }
}
