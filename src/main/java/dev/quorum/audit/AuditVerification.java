package dev.quorum.audit;

import java.util.List;

/**
 * The result of checking the whole chain against its seals and this instance's anchor file.
 *
 * @param ok       every entry's hash is right, sealed where it must be, links to the one before,
 *                 and the chain is as long as the anchors and the head say
 * @param entries  how many entries were read
 * @param firstBad the stream id of the first entry that fails (for a deleted tail, the last entry
 *                 left, or {@code (start)}), or {@code null}
 * @param problem  what is wrong, one sentence, or {@code null}
 * @param notes    what an operator should know even when the chain holds: entries accepted
 *                 without a seal because they predate keying, where the anchor file begins
 */
public record AuditVerification(boolean ok, long entries, String firstBad, String problem, List<String> notes) {
    public AuditVerification {
        notes = List.copyOf(notes);
    }

    static AuditVerification good(long entries, List<String> notes) {
        return new AuditVerification(true, entries, null, null, notes);
    }

    static AuditVerification bad(long entries, String firstBad, String problem, List<String> notes) {
        return new AuditVerification(false, entries, firstBad, problem, notes);
    }
}
