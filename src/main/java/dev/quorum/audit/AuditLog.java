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
        for (int attempt = 0; ; attempt++) {
            String prev = head();
            Instant at = clock.instant();
            String hash = AuditEntry.hashOf(at, type, actor, requestId, json, prev);
            String id = append.run(redis.sync(), ScriptOutputType.VALUE, new String[]{STREAM, HEAD},
                    prev, hash,
                    "at", at.toString(), "type", type, "actor", actor, "request", requestId == null ? "" : requestId,
                    "data", json, "prev", prev, "hash", hash);
            if (id != null) return new AuditEntry(id, at, type, actor, requestId, json, prev, hash);
            if (attempt > 1000) throw new IllegalStateException("audit log head keeps moving; giving up on " + type);
            Thread.onSpinWait();
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
