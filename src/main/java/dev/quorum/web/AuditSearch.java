package dev.quorum.web;

import dev.quorum.audit.AuditEntry;
import dev.quorum.audit.AuditLog;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A search of the audit chain for {@code GET /api/audit}: by request, actor, kind and text, newest first, paged with a
 * cursor. Every term is matched as the literal text it is (no pattern syntax: a {@code *} or {@code .} is that
 * character), ignoring case; a kind matches itself and the kinds under it ({@code request} finds {@code request.state}).
 * The chain has no index but its order, so one call reads at most {@link #SCAN} entries and says where to go on.
 *
 * @param request a request id ({@code R7}), or {@code null}
 * @param actor   words in the actor's identity, or {@code null}
 * @param kind    the entry's type or the start of it, or {@code null}
 * @param text    words anywhere in the entry (type, actor, request, details), or {@code null}
 */
record AuditSearch(String request, String actor, String kind, String text) {
    /** How many entries one page reads at most before it answers with what it found and a cursor. */
    static final int SCAN = 20_000;
    private static final int READ = 500;

    /**
     * @param entries what matched, newest first
     * @param next    the cursor for older entries ({@code before}), or {@code null} at the start of the chain
     * @param scanned how many entries this page read
     */
    record Page(List<AuditEntry> entries, String next, long scanned) {}

    AuditSearch {
        actor = lower(actor);
        kind = lower(kind);
        text = lower(text);
    }

    boolean any() {
        return request != null || actor != null || kind != null || text != null;
    }

    boolean matches(AuditEntry e) {
        if (request != null && !request.equals(e.requestId())) return false;
        if (actor != null && !e.actor().toLowerCase(Locale.ROOT).contains(actor)) return false;
        String type = e.type().toLowerCase(Locale.ROOT);
        if (kind != null && !type.equals(kind) && !type.startsWith(kind + ".")) return false;
        return text == null || (type + "\n" + e.actor() + "\n" + (e.requestId() == null ? "" : e.requestId()) + "\n" + e.data())
                .toLowerCase(Locale.ROOT).contains(text);
    }

    /** Up to {@code limit} matches older than {@code before} ({@code null}: from the newest). Blocking. */
    Page run(AuditLog log, String before, int limit) {
        List<AuditEntry> found = new ArrayList<>();
        String cursor = before;
        long scanned = 0;
        while (scanned < SCAN) {
            int want = (int) Math.min(READ, SCAN - scanned);
            List<AuditEntry> page = log.before(cursor, want);
            for (AuditEntry e : page) {
                scanned++;
                cursor = e.id();
                if (matches(e)) {
                    found.add(e);
                    if (found.size() == limit) return new Page(found, cursor, scanned);
                }
            }
            if (page.size() < want) return new Page(found, null, scanned); // the start of the chain
        }
        return new Page(found, cursor, scanned);
    }

    private static String lower(String s) {
        return s == null || s.isBlank() ? null : s.strip().toLowerCase(Locale.ROOT);
    }
}
