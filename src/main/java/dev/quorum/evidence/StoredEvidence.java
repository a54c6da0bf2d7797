package dev.quorum.evidence;

/**
 * What Redis holds under an evidence digest, and whether Quorum sealed it. Only a
 * {@link Sealed} record is evidence: the others are never attached to a vote or a deploy.
 */
public sealed interface StoredEvidence {
    /** Intact and sealed with this installation's key: stored by Quorum. */
    record Sealed(EvidenceRecord record, String json) implements StoredEvidence {}

    /**
     * Intact (its digest holds) but without a seal: stored before keying began, or forged by
     * someone who can write Redis. Shown as unsealed, never used.
     */
    record Unsealed(EvidenceRecord record, String json) implements StoredEvidence {}

    /** Changed, moved or forged; {@code problem} says which, in words for an operator. */
    record Broken(String problem) implements StoredEvidence {}

    record Missing() implements StoredEvidence {}
}
