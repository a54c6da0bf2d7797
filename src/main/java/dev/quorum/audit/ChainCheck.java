package dev.quorum.audit;

import dev.quorum.store.Redis;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code audit verify}: walks the chain in Redis and checks each entry's hash, seal, position and
 * link, then the whole against the anchor file, and says what is wrong in one sentence. What
 * Redis says about itself (head, count) is checked last: an attacker can set it.
 */
final class ChainCheck {
    private static final int PAGE = 1000;

    private final Redis redis;
    private final Optional<SealKey> key;
    private final Path keyFile;
    private final Anchors anchors; // null without a key
    private final List<String> notes = new ArrayList<>();

    // the walk so far
    private long keyedAfter = -1; // -1: not known from an anchor file, so "until the first sealed entry"
    private Map<Long, String> anchored = Map.of();
    private boolean sawSealed;
    private long unsealed;
    private long rejected;
    private long firstRejected;

    ChainCheck(Redis redis, Optional<SealKey> key, Path keyFile, Anchors anchors) {
        this.redis = redis;
        this.key = key;
        this.keyFile = keyFile;
        this.anchors = anchors;
    }

    AuditVerification run() throws IOException {
        Anchors.Contents contents = anchors == null ? new Anchors.Contents.Missing() : anchors.read();
        Anchors.Contents.Found file = contents instanceof Anchors.Contents.Found f ? f : null;
        if (file != null) {
            anchored = file.hashAt();
            if (file.begin() != null) keyedAfter = file.begin().keyedAfter();
        }
        // Read before the walk: entries appended during it must not look like a moved head.
        List<String> position = redis.sync().mget(AuditLog.HEAD, AuditLog.COUNT).stream().map(kv -> kv.getValueOrElse(null)).toList();
        Long countBefore;
        try {
            countBefore = position.get(1) == null ? null : Long.valueOf(position.get(1));
        } catch (NumberFormatException e) {
            return AuditVerification.bad(0, "(start)", "the entry count in Redis is not a number (it was changed)", notes);
        }
        String hashAtCount = null;

        long n = 0;
        String expectedPrev = "";
        String lastId = null;
        List<AuditEntry> page;
        do {
            page = AuditLog.page(redis, lastId, PAGE);
            for (AuditEntry e : page) {
                n++;
                Optional<String> problem = problemWith(e, n, expectedPrev);
                if (problem.isPresent()) return AuditVerification.bad(n, e.id(), problem.get(), notes);
                expectedPrev = e.hash();
                lastId = e.id();
                if (AuditLog.OUTBOX_REJECTED.equals(e.type()) && rejected++ == 0) firstRejected = n;
                if (countBefore != null && n == countBefore) hashAtCount = e.hash();
            }
        } while (page.size() == PAGE);
        String last = lastId == null ? "(start)" : lastId;

        if (file != null && file.highest() > n) {
            return AuditVerification.bad(n, last, "the chain ends at entry " + n + " but the anchor file records " + file.highest()
                    + " entries (entries after " + n + " were deleted)", notes);
        }
        if (file != null && file.problem() != null) return AuditVerification.bad(n, "(anchor file)", file.problem(), notes);
        if (key.isEmpty() && sawSealed) {
            return AuditVerification.bad(n, "(seal key)", "the chain holds sealed entries but there is no seal key at " + keyFile
                    + ": restore it from your backup to check them", notes);
        }
        if (key.isPresent() && file == null && sawSealed) {
            return AuditVerification.bad(n, "(anchor file)", "the anchor file " + anchors.path() + " is missing, yet the chain holds "
                    + "sealed entries: it was deleted, so a deleted tail cannot be ruled out", notes);
        }
        if (countBefore != null && countBefore > n) {
            return AuditVerification.bad(n, last, "the chain ends at entry " + n + " but Redis counts " + countBefore
                    + " entries (entries after " + n + " were deleted)", notes);
        }
        String head = countBefore != null ? position.getFirst() : redis.sync().get(AuditLog.HEAD);
        String headOf = countBefore != null ? (countBefore == 0 ? "" : hashAtCount) : expectedPrev;
        if (!(head == null ? "" : head).equals(headOf)) {
            return AuditVerification.bad(n, last, "the chain head in Redis does not match the last entry (entries after it were deleted)", notes);
        }
        if (rejected > 0) {
            notes.add(rejected == 1
                    ? "1 audit outbox entry (entry " + firstRejected + ") was not written by Quorum and is kept as " + AuditLog.OUTBOX_REJECTED
                            + ": it was forged or damaged in Redis; look at who can write to it"
                    : rejected + " audit outbox entries (the first is entry " + firstRejected + ") were not written by Quorum and are kept as "
                            + AuditLog.OUTBOX_REJECTED + ": they were forged or damaged in Redis; look at who can write to it");
        }
        addNotes(file, n);
        return AuditVerification.good(n, notes);
    }

    private Optional<String> problemWith(AuditEntry e, long n, String expectedPrev) {
        if (!e.computeHash().equals(e.hash())) {
            return Optional.of("entry " + n + " does not match its hash (the entry was changed)");
        }
        if (e.sealed()) {
            sawSealed = true;
            if (key.isPresent()) {
                if (!e.sealedBy(key.get())) {
                    return Optional.of("entry " + n + " is not sealed by this installation's key (it was rewritten or forged: "
                            + "a chain hashed again without the key cannot be sealed again)");
                }
                if (e.seq() > n) {
                    return Optional.of(n == 1 ? "the chain starts at entry " + e.seq() + " (" + deleted(1, e.seq() - 1) + ")"
                            : "entry " + n + " is missing: entry " + e.seq() + " follows entry " + (n - 1) + " (" + deleted(n, e.seq() - 1) + ")");
                }
                if (e.seq() < n) {
                    return Optional.of("entry " + e.seq() + " appears again as entry " + n + " (entries were copied or reordered)");
                }
            }
        } else if (key.isPresent() && (keyedAfter >= 0 ? n > keyedAfter : sawSealed)) {
            return Optional.of("entry " + n + " carries no seal, but " + (keyedAfter >= 0
                    ? "keying began after entry " + keyedAfter + " (says the anchor file)" : "an entry before it is sealed")
                    + ": it was forged or its seal removed");
        } else {
            unsealed++;
        }
        if (!e.prev().equals(expectedPrev)) {
            return Optional.of("entry " + n + " does not follow entry " + (n - 1) + " (an entry was deleted or changed)");
        }
        String hash = anchored.get(n);
        if (hash != null && !hash.equals(e.hash())) {
            return Optional.of("entry " + n + " is not the entry the anchor file recorded at that position (the chain was replaced)");
        }
        return Optional.empty();
    }

    private void addNotes(Anchors.Contents.Found file, long n) {
        if (key.isEmpty()) {
            notes.add("the audit log is not sealed: there is no seal key at " + keyFile + " yet (Quorum makes one at its next start); "
                    + "only the hash chain was checked");
            return;
        }
        if (unsealed > 0) {
            notes.add(range(1, unsealed) + " were written before keying began and " + (unsealed == 1 ? "is" : "are") + " accepted without a seal");
        }
        if (file == null) {
            notes.add("there is no anchor file at " + anchors.path() + " yet");
            return;
        }
        if (file.begin() != null) {
            long at = file.begin().startsAt();
            switch (file.begin().origin()) {
                case NEW_KEY -> { }
                case EXISTING_KEY -> notes.add("the anchor file " + anchors.path() + " begins at entry " + at + ": it was started when the "
                        + "seal key already existed (a second Quorum instance on this Redis, or the earlier file was deleted), "
                        + "so entries up to " + at + " are checked by their seals only");
                case RECREATED -> notes.add("the anchor file " + anchors.path() + " was started again at entry " + at + " after it "
                        + "disappeared while Quorum ran (see Quorum's log); of the anchors before, only the last one is kept");
            }
        }
        if (file.torn()) {
            notes.add("the last line of the anchor file " + anchors.path() + " does not verify and is ignored (cut short by a crash, "
                    + "or being written just then)");
        }
        notes.add((n - unsealed) + " sealed entries checked with key " + key.get().id() + " against " + file.anchors()
                + " anchors in " + anchors.path());
    }

    private static String deleted(long from, long to) {
        return range(from, to) + (from == to ? " was" : " were") + " deleted";
    }

    private static String range(long from, long to) {
        return from == to ? "entry " + from : "entries " + from + " to " + to;
    }
}
