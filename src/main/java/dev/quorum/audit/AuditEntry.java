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
 */
public record AuditEntry(String id, Instant at, String type, String actor, String requestId, String data,
                         String prev, String hash) {

    /** Recomputes what {@link #hash} should be from the other fields. */
    public String computeHash() {
        return hashOf(at, type, actor, requestId, data, prev);
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
