package dev.quorum.audit;

import java.time.Instant;
import java.util.Map;

/**
 * One line of the audit log.
 *
 * @param id        the Redis stream id, which orders entries
 * @param type      what happened, e.g. {@code request.state}, {@code vote}, {@code freeze}
 * @param actor     the identity that caused it, or {@code quorum} for Quorum itself
 * @param requestId the request concerned, or {@code null}
 * @param data      details, as JSON text
 * @param prev      the hash of the entry before ({@code ""} for the first)
 * @param hash      SHA-256 over the canonical JSON of all fields above but {@code id}
 * @param seq       the entry's position in the chain, counting from 1 (0 for an entry written
 *                  before keying began)
 * @param seal      HMAC-SHA256 with the {@link SealKey} over {@code seq} and {@code hash}, so over the
 *                  content and the link to the entry before ({@code ""} before keying began)
 */
public record AuditEntry(String id, Instant at, String type, String actor, String requestId, String data,
                         String prev, String hash, long seq, String seal) {

    /** Recomputes what {@link #hash} should be from the other fields. */
    public String computeHash() {
        return hashOf(at, type, actor, requestId, data, prev);
    }

    /** True when the entry carries a seal (whether it verifies is {@link #sealedBy}'s question). */
    public boolean sealed() {
        return !seal.isEmpty();
    }

    boolean sealedBy(SealKey key) {
        return key.verifies(SealKey.Purpose.AUDIT_ENTRY, sealed(seq, hash), seal);
    }

    static String sealOf(SealKey key, long seq, String hash) {
        return key.seal(SealKey.Purpose.AUDIT_ENTRY, sealed(seq, hash));
    }

    private static String sealed(long seq, String hash) {
        return seq + "\n" + hash;
    }

    static String hashOf(Instant at, String type, String actor, String requestId, String data, String prev) {
        return CanonicalJson.sha256Hex(CanonicalJson.of(Map.of(
                "at", at.toString(),
                "type", type,
                "actor", actor,
                "request", requestId == null ? "" : requestId,
                "data", data,
                "prev", prev)));
    }
}
