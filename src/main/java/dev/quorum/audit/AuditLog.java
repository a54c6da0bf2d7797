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
 * and count; each instance keeps its own anchor file, all share the key.
 * <p>
 * A state change cannot be sealed where it is made (a Lua script: the key never goes to Redis),
 * so the script that makes it writes its entry to the {@link #OUTBOX} stream in the same step, and
 * the log drains the outbox into the chain: the append step deletes the outbox entries it appends,
 * and refuses a batch whose outbox entries another instance took first. An entry is thus appended
 * exactly once, however Quorum dies; the outbox is drained at start and every few seconds by every
 * instance. An outbox entry no Quorum script could have written is never sealed as what it claims:
 * it is appended as an {@code audit.outbox_rejected} entry that quotes it, and logged. Thread-safe; blocking.
 */
public final class AuditLog {
    private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);
    static final String STREAM = "{q}:audit";
    static final String HEAD = "{q}:audit:head";
    static final String COUNT = "{q}:audit:count";
    /** Audit entries written by the atomic step that made a change, waiting to be sealed into the chain. */
    public static final String OUTBOX = "{q}:audit:outbox";
    /** What an outbox entry that could not be sealed as it stands becomes in the chain. */
    public static final String OUTBOX_REJECTED = "audit.outbox_rejected";
    /** The kinds Quorum's scripts write to the outbox; any other kind there was not written by Quorum. */
    private static final java.util.Set<String> OUTBOX_TYPES = java.util.Set.of("request.created", "request.state");
    private static final java.util.Set<String> OUTBOX_FIELDS = java.util.Set.of("type", "actor", "request", "data", "at");
    private static final java.util.regex.Pattern REQUEST_ID = java.util.regex.Pattern.compile("R[1-9][0-9]{0,17}");
    private static final int MAX_OUTBOX_DATA = 1 << 20;
    /** About how much detail one drain step carries at most (a batch of large entries is cut short). */
    private static final long MAX_BATCH_CHARS = 4L << 20;
    /** How much of each field of a rejected outbox entry the chain quotes. */
    private static final int QUOTED = 500;
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
     * entries already in Redis. Every start seals what the outbox holds.
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
        int replayed = log.drain(); // what an instance that died between a change and its drain left
        if (replayed > 0) LOG.info("Sealed {} audit entries left in the outbox", replayed);
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
        List<String> result = append.run(redis.sync(), ScriptOutputType.MULTI, new String[]{STREAM, HEAD, COUNT, OUTBOX},
                Position.UNKNOWN.head(), "?", "", String.valueOf(FIELDS), "0");
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
            json = details(data);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("audit data for " + type + " is not serialisable", e);
        }
        Pending mine = new Pending(null, null, type, actor, requestId, json, new CompletableFuture<>());
        waiting.add(mine);
        // The chain is sequential by nature. Instead of racing each other for the head, appends
        // from this instance take turns, and whoever has the turn writes every entry waiting by
        // then in one script call (group commit). The position this instance wrote last is
        // remembered, so the common case is one round trip; another instance moving the head
        // costs a rehash and reseal of the batch.
        lock.lock();
        try {
            while (!mine.done().isDone()) flush(); // more than a batch may be waiting before this one
        } catch (RuntimeException e) {
            if (waiting.remove(mine)) mine.done().completeExceptionally(e); // never appended later behind the caller's back
        } finally {
            lock.unlock();
        }
        try {
            return mine.done().join();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : e;
        }
    }

    /**
     * Details as the chain keeps them (canonical JSON), for a script that writes an entry to the {@link #OUTBOX}.
     *
     * @throws IllegalArgumentException when they cannot be serialised
     */
    public static String details(Map<String, ?> data) {
        return CanonicalJson.of(amountsAsText(JSON.valueToTree(data)));
    }

    /**
     * Seals every entry waiting in the outbox into the chain now. A change's step calls this right
     * after it, so that its entry is in the chain when the change is reported; if this instance dies
     * first, the next drain (at start, or any instance's periodic one) takes it.
     *
     * @return how many outbox entries this call appended
     */
    public int drain() {
        lock.lock();
        try {
            return flush();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Drains the outbox every {@code every} from now on, so that an entry left by an instance that
     * died between its change and its drain is sealed without waiting for a restart.
     *
     * @return stops the drain
     */
    public AutoCloseable drainEvery(java.time.Duration every) {
        var timer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("audit-outbox").factory());
        timer.scheduleWithFixedDelay(() -> {
            try {
                int n = drain();
                if (n > 0) LOG.info("Sealed {} audit entries left in the outbox", n);
            } catch (RuntimeException e) { // Redis away: the entries wait in the outbox for the next round
                LOG.warn("Could not drain the audit outbox: {}", e.toString());
            }
        }, every.toMillis(), every.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        return timer::shutdownNow;
    }

    /**
     * An entry to append: from a caller ({@code outboxId} null, waiting on {@code done}), or from the
     * outbox (its id, the time of the change; {@code done} unused).
     */
    private record Pending(String outboxId, Instant at, String type, String actor, String requestId, String json,
                           CompletableFuture<AuditEntry> done) {}

    /**
     * Appends what the outbox holds, then every waiting entry; called with the lock held.
     *
     * @return how many outbox entries were appended
     */
    private int flush() {
        List<Pending> direct = new ArrayList<>();
        for (Pending p; direct.size() < MAX_BATCH && (p = waiting.poll()) != null; ) direct.add(p);
        int drained = 0;
        try {
            while (true) {
                OutboxPage page = outbox();
                if (page.entries().isEmpty() && direct.isEmpty()) return drained;
                drained += appendBatch(page.entries(), direct);
                direct = List.of();
                if (!page.more()) return drained;
            }
        } catch (RuntimeException e) {
            known = null;
            direct.forEach(p -> p.done().completeExceptionally(e));
            throw direct.isEmpty() ? e : new IllegalStateException("appending to the audit log failed", e);
        }
    }

    /**
     * Appends the outbox entries then the direct ones in one step, retrying on a moved head; when
     * another instance took outbox entries first, reads the outbox again.
     *
     * @return how many outbox entries were appended
     */
    private int appendBatch(List<Pending> outbox, List<Pending> direct) {
        Position from = known != null ? known : position();
        for (int attempt = 0; ; attempt++) {
            List<Pending> batch = new ArrayList<>(outbox);
            batch.addAll(direct);
            if (batch.isEmpty()) return 0;
            Instant now = clock.instant();
            List<AuditEntry> entries = new ArrayList<>(batch.size());
            List<String> args = new ArrayList<>(List.of(from.head(), String.valueOf(from.count()), "", String.valueOf(FIELDS),
                    String.valueOf(outbox.size())));
            outbox.forEach(p -> args.add(p.outboxId()));
            String link = from.head();
            long seq = from.count();
            for (Pending p : batch) {
                Instant at = p.at() != null ? p.at() : now;
                String hash = AuditEntry.hashOf(at, p.type(), p.actor(), p.requestId(), p.json(), link);
                String seal = AuditEntry.sealOf(key, ++seq, hash);
                entries.add(new AuditEntry(null, at, p.type(), p.actor(), p.requestId(), p.json(), link, hash, seq, seal));
                args.addAll(List.of("at", at.toString(), "type", p.type(), "actor", p.actor(),
                        "request", p.requestId() == null ? "" : p.requestId(), "data", p.json(), "prev", link, "hash", hash,
                        "seq", String.valueOf(seq), "seal", seal));
                link = hash;
            }
            args.set(2, link);
            List<String> result = append.run(redis.sync(), ScriptOutputType.MULTI, new String[]{STREAM, HEAD, COUNT, OUTBOX},
                    args.toArray(String[]::new));
            if ("ok".equals(result.getFirst())) {
                known = new Position(link, seq);
                for (int i = 0; i < batch.size(); i++) {
                    AuditEntry e = entries.get(i);
                    if (batch.get(i).done() != null) {
                        batch.get(i).done().complete(new AuditEntry(result.get(i + 2), e.at(), e.type(), e.actor(), e.requestId(),
                                e.data(), e.prev(), e.hash(), e.seq(), e.seal()));
                    }
                    if (e.seq() % CHECKPOINT_EVERY == 0) LOG.info("Audit checkpoint: entry {} has hash {}", e.seq(), e.hash());
                }
                // The callers go on while the anchor is written; the next batch waits for it, so lines stay in order.
                anchors.record(seq, link, now);
                return outbox.size();
            }
            from = new Position(result.get(1), Long.parseLong(result.get(2)));
            if ("gone".equals(result.getFirst())) outbox = outbox().entries(); // another instance sealed some of them first
            if (attempt >= 8) pause(attempt); // several instances appending hard: let the others through
        }
    }

    /**
     * The oldest entries of the outbox, each as Quorum's script wrote it or, when it cannot be that, as a
     * rejected one; at most {@link #MAX_BATCH}, and fewer when they are large, so that one append step stays small.
     */
    private OutboxPage outbox() {
        List<Pending> out = new ArrayList<>();
        long chars = 0;
        List<StreamMessage<String, String>> read = redis.sync().xrange(OUTBOX, Range.create("-", "+"), Limit.create(0, MAX_BATCH));
        for (StreamMessage<String, String> m : read) {
            if (chars > MAX_BATCH_CHARS) break;
            Map<String, String> body = m.getBody() == null ? Map.of() : m.getBody();
            try {
                Pending p = fromOutbox(m.getId(), body);
                chars += p.json().length();
                out.add(p);
            } catch (RuntimeException e) { // whatever is wrong with one entry, the others go on
                String why = e instanceof IllegalArgumentException ? e.getMessage() : "it cannot be read (" + e.getClass().getSimpleName() + ")";
                LOG.warn("Audit outbox entry {} was not written by Quorum ({}); it goes into the chain as {}", m.getId(), oneLine(why),
                        OUTBOX_REJECTED);
                Map<String, String> quoted = new java.util.TreeMap<>();
                body.forEach((k, v) -> quoted.put(cut(k), cut(v)));
                out.add(new Pending(m.getId(), null, OUTBOX_REJECTED, "quorum", null,
                        details(details("outbox_id", m.getId(), "why", why, "fields", quoted)), null));
            }
        }
        return new OutboxPage(out, read.size() == MAX_BATCH || out.size() < read.size());
    }

    /** Entries read from the outbox, and whether it may hold more after them. */
    private record OutboxPage(List<Pending> entries, boolean more) {}

    /** An outbox entry as the chain will hold it; refuses anything Quorum's scripts do not write. */
    private static Pending fromOutbox(String id, Map<String, String> b) {
        java.util.Set<String> extra = new java.util.TreeSet<>(b.keySet());
        extra.removeAll(OUTBOX_FIELDS);
        if (!extra.isEmpty()) throw new IllegalArgumentException("it has fields Quorum does not write: " + cut(String.join(", ", extra)));
        String type = b.getOrDefault("type", "");
        if (!OUTBOX_TYPES.contains(type)) throw new IllegalArgumentException("its kind '" + cut(type) + "' is not one Quorum writes there");
        String actor = b.getOrDefault("actor", "");
        if (actor.isBlank() || actor.length() > QUOTED) throw new IllegalArgumentException("it names no actor, or one too long to be one");
        String request = b.getOrDefault("request", "");
        if (!REQUEST_ID.matcher(request).matches()) throw new IllegalArgumentException("'" + cut(request) + "' is not a request id");
        Instant at;
        try {
            at = Instant.ofEpochMilli(Long.parseLong(b.getOrDefault("at", "")));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("its time '" + cut(b.getOrDefault("at", "")) + "' is not a time in milliseconds");
        }
        String data = b.getOrDefault("data", "");
        if (data.length() > MAX_OUTBOX_DATA) throw new IllegalArgumentException("its details are longer than " + MAX_OUTBOX_DATA + " characters");
        com.fasterxml.jackson.databind.JsonNode tree;
        try {
            tree = JSON.readTree(data);
        } catch (IOException e) {
            throw new IllegalArgumentException("its details are not JSON");
        }
        if (tree == null || !tree.isObject()) throw new IllegalArgumentException("its details are not a JSON object");
        if (type.equals("request.state") && !(tree.path("from").isTextual() && tree.path("to").isTextual())) {
            throw new IllegalArgumentException("a state change without the states it went from and to");
        }
        String json;
        try {
            json = CanonicalJson.of(amountsAsText(tree));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("its details cannot be made canonical JSON");
        }
        return new Pending(id, at, type, actor, request, json, null);
    }

    private static String cut(String s) {
        return s.length() <= QUOTED ? s : s.substring(0, QUOTED) + "…";
    }

    /** A text from the outbox as one log line: it may be anyone's, and a line break would forge log lines. */
    private static String oneLine(String s) {
        return s.replaceAll("[\\p{Cntrl}\\u0085\\u2028\\u2029]+", " ");
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

    /**
     * Up to {@code limit} entries older than the stream id {@code before} (exclusive; {@code null} from the newest),
     * newest first: for paging back through the chain.
     */
    public List<AuditEntry> before(String before, int limit) {
        if (before == null) return latest(limit);
        List<AuditEntry> out = new ArrayList<>();
        Range<String> range = Range.from(Range.Boundary.unbounded(), Range.Boundary.excluding(before));
        for (StreamMessage<String, String> m : redis.sync().xrevrange(STREAM, range, Limit.create(0, limit))) out.add(decode(m));
        return out;
    }

    /**
     * This instance's anchor file, outside Redis, as far as its seals hold.
     *
     * @param file    where it is
     * @param anchors how many sealed anchor lines it holds (0 when it is missing)
     * @param latest  the highest chain position anchored (0 for none)
     * @param hash    the hash the file names for that entry, or {@code null}
     * @param written when the file was last written, or {@code null} when it is missing
     */
    public record AnchorSummary(String file, boolean present, long anchors, long latest, String hash, Instant written) {}

    /** Where the anchors are, how many, the latest. Blocking: reads the whole file. */
    public AnchorSummary anchorSummary() {
        try {
            return switch (anchors.read()) {
                case Anchors.Contents.Missing m -> new AnchorSummary(anchors.path().toString(), false, 0, 0, null, null);
                case Anchors.Contents.Found f -> new AnchorSummary(anchors.path().toString(), true, f.anchors(), f.highest(),
                        f.hashAt().get(f.highest()), Files.getLastModifiedTime(anchors.path()).toInstant());
            };
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the audit anchor file " + anchors.path(), e);
        }
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
