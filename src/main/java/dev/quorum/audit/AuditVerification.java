package dev.quorum.audit;

/**
 * The result of checking the whole chain.
 *
 * @param ok       every entry's hash is right and links to the one before, and the head matches
 * @param entries  how many entries were read
 * @param firstBad the stream id of the first entry that fails, or {@code null}
 * @param problem  what is wrong with it, or {@code null}
 */
public record AuditVerification(boolean ok, long entries, String firstBad, String problem) {
    static AuditVerification good(long entries) {
        return new AuditVerification(true, entries, null, null);
    }

    static AuditVerification bad(long entries, String firstBad, String problem) {
        return new AuditVerification(false, entries, firstBad, problem);
    }
}
