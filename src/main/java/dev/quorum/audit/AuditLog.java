package dev.quorum.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quorum.config.ConfigException;
import dev.quorum.store.LuaScript;
import dev.quorum.store.Redis;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.StreamMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The append-only, hash-chained audit log in a Redis stream. Every state change, vote, execution,
 * freeze and config load is appended here; each entry carries the SHA-256 of the entry before,
 * its position, and a seal (HMAC) made with a key Redis never sees ({@link SealKey}), and each
 * append batch leaves a sealed anchor in a file outside Redis, so {@link #verify()} detects a
 * changed, forged, removed or cut-off entry even when whoever did it could write all of Redis.
 * Appends from several Quorum instances are serialised by a compare-and-set on the chain head
 * and count; each instance keeps its own anchor file, all share the key. Thread-safe; blocking.
 */
public final class AuditLog {
    private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);
    static final String STREAM = "{q}:audit";
    static final String HEAD = "{q}:audit:head";
    static final String COUNT = "{q}:audit:count";
    /** Every this many entries the chain position also goes to the log, a second copy outside Redis. */
    static final long CHECKPOINT_EVERY = 1000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Redis redis;
    private final Clock clock;
    private final SealKey key;
    private final Anchors anchors;
    private final LuaScript append = LuaScript.load("audit_append");
    private static final int FIELDS = 18; // 9 field/value pairs per entry
    private static final int MAX_BATCH = 200;
    private final ReentrantLock lock = new ReentrantLock();
    private final ConcurrentLinkedQueue<Pending> waiting = new ConcurrentLinkedQueue<>();
    private Position known; // guarded by lock

    /** Where the chain stood after the last append seen: the head hash and the entry count. */
    private record Position(String head, long count) {
        static final Position UNKNOWN = new Position("?", -1); // never matches: the script answers with the real one
    }

    private AuditLog(Redis redis, Clock clock, SealKey key, Anchors anchors) {
        this.redis = redis;
        this.clock = clock;
        this.key = key;
        this.anchors = anchors;
    }

    /**
     * The audit log of a Quorum instance whose data folder is {@code dataDir}. At the first start
     * this makes the seal key and the anchor file, and records there that keying begins after the
     * entries already in Redis.
     *
     * @throws ConfigException when there is no key but Redis or the anchor file shows there was one
     *                         (a new key would hide that), or when the key file is not owner-only
     */
    public static AuditLog open(Redis redis, Clock clock, Path dataDir) throws IOException {
        Path anchorFile = Anchors.file(dataDir);
        Optional<SealKey> existing = SealKey.find(dataDir);
        if (existing.isEmpty()) {
            if (Files.exists(anchorFile)) {
                throw new ConfigException("data", dataDir.toString(), "the audit anchor file " + anchorFile + " exists but the seal key "
                        + SealKey.file(dataDir) + " is missing: restore the key from your backup");
            }
            if (newest(redis).map(AuditEntry::sealed).orElse(false)) {
                throw new ConfigException("data", dataDir.toString(), "the audit log in Redis is sealed but there is no seal key at "
                        + SealKey.file(dataDir) + ": restore it from your backup, or copy it from the Quorum instance that made it "
                        + "(all instances on one Redis share one key)");
            }
        }
        SealKey key = existing.isPresent() ? existing.get() : SealKey.create(dataDir);
        AuditLog log = new AuditLog(redis, clock, key, new Anchors(anchorFile, key));
        log.startAnchors(existing.isEmpty());
        LOG.info("Audit log sealed with key {} ({}), anchored in {}", key.id(), key.file(), anchorFile);
        return log;
    }

    /** Checks the chain as {@code quorum audit verify} does: with the data folder's key and anchors, creating nothing. */
    public static AuditVerification verify(Redis redis, Path dataDir) throws IOException {
        Optional<SealKey> key = SealKey.find(dataDir);
        return new ChainCheck(redis, key, SealKey.file(dataDir), key.map(k -> new Anchors(Anchors.file(dataDir), k)).orElse(null)).run();
    }

    private void startAnchors(boolean newKey) throws IOException {
        if (anchors.exists()) {
            anchors.resume();
            return;
        }
        long count = position().count();
        long keyedAfter = newKey ? count : leadingUnsealed();
        anchors.begin(keyedAfter, count, newKey ? Anchors.Origin.NEW_KEY : Anchors.Origin.EXISTING_KEY, clock.instant());
        if (!newKey && count > keyedAfter) {
            LOG.warn("There was no audit anchor file {} although the audit log holds {} sealed entries: if this is not a new Quorum "
                    + "instance, the file was deleted. Anchors start again at entry {}.", anchors.path(), count - keyedAfter, count);
        }
    }

    /** How many entries at the start of the chain carry no seal: written before keying began. */
    private long leadingUnsealed() {
        long n = 0;
        String after = null;
        List<AuditEntry> page;
        do {
            page = page(redis, after, 1000);
            for (AuditEntry e : page) {
                if (e.sealed()) return n;
                n++;
                after = e.id();
            }
        } while (page.size() == 1000);
        return n;
    }

    /** The chain's head and count, from the append script (which appends nothing when asked this way). */
    private Position position() {
        List<String> result = append.run(redis.sync(), ScriptOutputType.MULTI, new String[]{STREAM, HEAD, COUNT},
                Position.UNKNOWN.head(), "?", "", String.valueOf(FIELDS));
        return new Position(result.get(1), Long.parseLong(result.get(2)));
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
        // then in one script call (group commit). The position this instance wrote last is
        // remembered, so the common case is one round trip; another instance moving the head
        // costs a rehash and reseal of the batch.
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
            Position from = known != null ? known : position();
            for (int attempt = 0; ; attempt++) {
                Instant at = clock.instant();
                List<AuditEntry> entries = new ArrayList<>(batch.size());
                List<String> args = new ArrayList<>(List.of(from.head(), String.valueOf(from.count()), "", String.valueOf(FIELDS)));
                String link = from.head();
                long seq = from.count();
                for (Pending p : batch) {
                    String hash = AuditEntry.hashOf(at, p.type(), p.actor(), p.requestId(), p.json(), link);
                    String seal = AuditEntry.sealOf(key, ++seq, hash);
                    entries.add(new AuditEntry(null, at, p.type(), p.actor(), p.requestId(), p.json(), link, hash, seq, seal));
                    args.addAll(List.of("at", at.toString(), "type", p.type(), "actor", p.actor(),
                            "request", p.requestId() == null ? "" : p.requestId(), "data", p.json(), "prev", link, "hash", hash,
                            "seq", String.valueOf(seq), "seal", seal));
                    link = hash;
                }
                args.set(2, link);
                List<String> result = append.run(redis.sync(), ScriptOutputType.MULTI, new String[]{STREAM, HEAD, COUNT}, args.toArray(String[]::new));
                if ("ok".equals(result.getFirst())) {
                    known = new Position(link, seq);
                    for (int i = 0; i < batch.size(); i++) {
                        AuditEntry e = entries.get(i);
                        batch.get(i).done().complete(new AuditEntry(result.get(i + 2), e.at(), e.type(), e.actor(), e.requestId(),
                                e.data(), e.prev(), e.hash(), e.seq(), e.seal()));
                        if (e.seq() % CHECKPOINT_EVERY == 0) LOG.info("Audit checkpoint: entry {} has hash {}", e.seq(), e.hash());
                    }
                    // The callers go on while the anchor is written; the next batch waits for it, so lines stay in order.
                    anchors.record(seq, link, at);
                    return;
                }
                from = new Position(result.get(1), Long.parseLong(result.get(2)));
                if (attempt >= 8) pause(attempt); // several instances appending hard: let the others through
            }
        } catch (RuntimeException e) {
            known = null;
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

    /** Entries after the stream id {@code after} (exclusive; {@code null} from the start), oldest first. */
    public List<AuditEntry> read(String after, int limit) {
        return page(redis, after, limit);
    }

    static List<AuditEntry> page(Redis redis, String after, int limit) {
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
        return newest(redis, limit);
    }

    private static Optional<AuditEntry> newest(Redis redis) {
        return newest(redis, 1).stream().findFirst();
    }

    private static List<AuditEntry> newest(Redis redis, int limit) {
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

    /**
     * Walks the whole chain and reports the first entry that was changed, forged, removed or cut
     * off, checking seals with the key and positions against this instance's anchor file.
     */
    public AuditVerification verify() {
        try {
            return new ChainCheck(redis, Optional.of(key), key.file(), anchors).run();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the audit anchor file " + anchors.path(), e);
        }
    }

    /** The key this log seals with; evidence records are sealed with it too. */
    public SealKey key() {
        return key;
    }

    private static AuditEntry decode(StreamMessage<String, String> m) {
        Map<String, String> b = m.getBody();
        Instant at;
        try {
            at = Instant.parse(b.getOrDefault("at", ""));
        } catch (RuntimeException e) {
            at = Instant.EPOCH;
        }
        long seq;
        try {
            seq = Long.parseLong(b.getOrDefault("seq", "0"));
        } catch (NumberFormatException e) {
            seq = -1; // not a position: its seal cannot verify
        }
        String request = b.getOrDefault("request", "");
        return new AuditEntry(m.getId(), at, b.getOrDefault("type", ""), b.getOrDefault("actor", ""),
                request.isEmpty() ? null : request, b.getOrDefault("data", ""), b.getOrDefault("prev", ""),
                b.getOrDefault("hash", ""), seq, b.getOrDefault("seal", ""));
    }

    /** Convenience for details maps with a stable order. */
    public static Map<String, Object> details(Object... pairs) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < pairs.length; i += 2) m.put(String.valueOf(pairs[i]), pairs[i + 1]);
        return m;
    }
}
