package dev.quorum.evidence;

import dev.quorum.audit.SealKey;
import dev.quorum.store.Redis;
import io.lettuce.core.KeyValue;
import io.lettuce.core.Range;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Evidence records in Redis, as the exact JSON that was sealed (so their digest can be checked
 * at any time), indexed by request and by commit. Beside each record lies its seal, an HMAC of
 * its digest with the {@link SealKey} that Redis never sees: a record someone wrote into Redis
 * without the key has no valid seal, and {@link #find}, {@link #latest}, {@link #latestPassing}
 * and {@link #forRequest} treat it as absent (with one warning per digest). Records are never
 * changed or deleted. Thread-safe; blocking.
 */
public final class EvidenceStore {
    private static final Logger LOG = LoggerFactory.getLogger(EvidenceStore.class);
    private static final String RECORD = "{q}:evidence:";
    private static final String SEAL = ":seal";
    private static final String BY_COMMIT = "{q}:evidence:commit:";
    private static final String OF_REQUEST = "{q}:req:";
    /** How many of a commit's newest records are looked at for a sealed one. */
    private static final int NEWEST = 20;

    private static final int CACHED = 2048;
    private final Redis redis;
    private final SealKey key;
    /** Records never change (their key is their digest), so sealed ones, once checked, are kept for votes and cards. */
    private final Map<String, EvidenceRecord> sealed = new ConcurrentHashMap<>();
    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    public EvidenceStore(Redis redis, SealKey key) {
        this.redis = redis;
        this.key = key;
    }

    /** Stores a record with its seal, and links it to the request that produced it. */
    public void save(EvidenceRecord record, String requestId, Instant now) {
        redis.sync().mset(Map.of(RECORD + record.digest(), record.toJson(),
                RECORD + record.digest() + SEAL, key.seal(SealKey.Purpose.EVIDENCE, record.digest())));
        redis.sync().zadd(BY_COMMIT + record.repo() + ":" + record.commit(), now.toEpochMilli(), record.digest());
        if (requestId != null) redis.sync().set(OF_REQUEST + requestId + ":evidence", record.digest());
    }

    /** What is stored under {@code digest}, checked: its digest, that it is filed under it, and its seal. */
    public StoredEvidence inspect(String digest) {
        List<KeyValue<String, String>> both = redis.sync().mget(RECORD + digest, RECORD + digest + SEAL);
        String json = both.get(0).getValueOrElse(null);
        String seal = both.get(1).getValueOrElse(null);
        if (json == null) return new StoredEvidence.Missing();
        if (!EvidenceRecord.verifyDigest(json)) {
            return new StoredEvidence.Broken("does NOT match its digest: the stored record was changed");
        }
        EvidenceRecord record;
        try {
            record = EvidenceRecord.fromJson(json);
        } catch (IllegalArgumentException e) {
            return new StoredEvidence.Broken("is not an evidence record this Quorum can read");
        }
        if (!record.digest().equals(digest)) {
            return new StoredEvidence.Broken("is filed under another digest (" + record.shortDigest() + "): the stored record was replaced");
        }
        if (seal == null) return new StoredEvidence.Unsealed(record, json);
        if (!key.verifies(SealKey.Purpose.EVIDENCE, digest, seal)) {
            return new StoredEvidence.Broken("does NOT match its seal: Quorum did not store it (forged, or sealed with another key)");
        }
        return new StoredEvidence.Sealed(record, json);
    }

    /** The sealed record with this digest; anything else stored under it counts as absent. */
    public Optional<EvidenceRecord> find(String digest) {
        EvidenceRecord known = sealed.get(digest);
        if (known != null) return Optional.of(known);
        return switch (inspect(digest)) {
            case StoredEvidence.Sealed s -> {
                if (sealed.size() >= CACHED) sealed.clear();
                sealed.put(digest, s.record());
                yield Optional.of(s.record());
            }
            case StoredEvidence.Unsealed u -> ignored(digest, "carries no seal (stored before keying began, or forged)");
            case StoredEvidence.Broken b -> ignored(digest, b.problem());
            case StoredEvidence.Missing m -> Optional.empty();
        };
    }

    private Optional<EvidenceRecord> ignored(String digest, String why) {
        if (warned.size() >= CACHED) warned.clear();
        if (warned.add(digest)) LOG.warn("Evidence {} is not used: it {}", digest, why);
        return Optional.empty();
    }

    /** The digest of the evidence a request produced, if any. */
    public Optional<String> digestOf(String requestId) {
        return Optional.ofNullable(redis.sync().get(OF_REQUEST + requestId + ":evidence"));
    }

    public Optional<EvidenceRecord> forRequest(String requestId) {
        return digestOf(requestId).flatMap(this::find);
    }

    /** The newest sealed record for a commit, whatever its status. */
    public Optional<EvidenceRecord> latest(String repo, String commit) {
        return newestSealed(repo, commit).findFirst();
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
            if (!d.equals(digest)) find(d).filter(r -> isAbout(r, repo, commit)).ifPresent(out::add);
        }
        return out;
    }

    /** The newest sealed record for a commit that passed. */
    public Optional<EvidenceRecord> latestPassing(String repo, String commit) {
        return newestSealed(repo, commit).filter(r -> r.status() == EvidenceStatus.PASSED).findFirst();
    }

    /** A commit's newest sealed records, newest first, looked up as the caller reads them. */
    private Stream<EvidenceRecord> newestSealed(String repo, String commit) {
        return redis.sync().zrevrange(BY_COMMIT + repo + ":" + commit, 0, NEWEST - 1).stream()
                .flatMap(d -> find(d).stream())
                .filter(r -> isAbout(r, repo, commit));
    }

    /** The index is in Redis: a sealed record of another commit filed under this one counts as absent. */
    private boolean isAbout(EvidenceRecord r, String repo, String commit) {
        if (r.repo().equals(repo) && r.commit().equals(commit)) return true;
        ignored(r.digest(), "is about " + r.repo() + "@" + r.commit() + " but was filed under " + repo + "@" + commit);
        return false;
    }
}
