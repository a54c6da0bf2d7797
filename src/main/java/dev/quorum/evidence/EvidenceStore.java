package dev.quorum.evidence;

import dev.quorum.store.Redis;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Evidence records in Redis, as the exact JSON that was sealed (so their digest can be checked
 * at any time), indexed by request and by commit. Records are never changed or deleted.
 * Thread-safe; blocking.
 */
public final class EvidenceStore {
    private static final String RECORD = "q:evidence:";
    private static final String BY_COMMIT = "q:evidence:commit:";
    private static final String OF_REQUEST = "q:req:";

    private static final int CACHED = 2048;
    private final Redis redis;
    /** Records never change (their key is their digest), so parsed ones are kept for votes and cards. */
    private final Map<String, EvidenceRecord> parsed = new ConcurrentHashMap<>();

    public EvidenceStore(Redis redis) {
        this.redis = redis;
    }

    /** Stores a record and links it to the request that produced it. */
    public void save(EvidenceRecord record, String requestId, Instant now) {
        redis.sync().set(RECORD + record.digest(), record.toJson());
        redis.sync().zadd(BY_COMMIT + record.repo() + ":" + record.commit(), now.toEpochMilli(), record.digest());
        if (requestId != null) redis.sync().set(OF_REQUEST + requestId + ":evidence", record.digest());
    }

    /** The stored JSON of a record, exactly as sealed. */
    public Optional<String> json(String digest) {
        return Optional.ofNullable(redis.sync().get(RECORD + digest));
    }

    public Optional<EvidenceRecord> find(String digest) {
        EvidenceRecord known = parsed.get(digest);
        if (known != null) return Optional.of(known);
        Optional<EvidenceRecord> r = json(digest).map(EvidenceRecord::fromJson);
        r.ifPresent(record -> {
            if (parsed.size() >= CACHED) parsed.clear();
            parsed.put(digest, record);
        });
        return r;
    }

    /** The digest of the evidence a request produced, if any. */
    public Optional<String> digestOf(String requestId) {
        return Optional.ofNullable(redis.sync().get(OF_REQUEST + requestId + ":evidence"));
    }

    public Optional<EvidenceRecord> forRequest(String requestId) {
        return digestOf(requestId).flatMap(this::find);
    }

    /** The newest record for a commit, whatever its status. */
    public Optional<EvidenceRecord> latest(String repo, String commit) {
        List<String> digests = redis.sync().zrevrange(BY_COMMIT + repo + ":" + commit, 0, 0);
        return digests.isEmpty() ? Optional.empty() : find(digests.getFirst());
    }

    /**
     * The records of a commit stored since the one with {@code digest} (at the same millisecond
     * or later, that one left out), oldest first; empty when that one is not indexed for the commit.
     */
    public List<EvidenceRecord> since(String repo, String commit, String digest) {
        String key = BY_COMMIT + repo + ":" + commit;
        Double stored = redis.sync().zscore(key, digest);
        if (stored == null) return List.of();
        List<EvidenceRecord> out = new ArrayList<>();
        for (String d : redis.sync().zrangebyscore(key, Range.create(stored, Double.POSITIVE_INFINITY))) {
            if (!d.equals(digest)) find(d).ifPresent(out::add);
        }
        return out;
    }

    /** The newest record for a commit that passed. */
    public Optional<EvidenceRecord> latestPassing(String repo, String commit) {
        for (String d : redis.sync().zrevrangebyscore(BY_COMMIT + repo + ":" + commit,
                Range.create(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY), Limit.create(0, 20))) {
            Optional<EvidenceRecord> r = find(d);
            if (r.isPresent() && r.get().status() == EvidenceStatus.PASSED) return r;
        }
        return Optional.empty();
    }
}
