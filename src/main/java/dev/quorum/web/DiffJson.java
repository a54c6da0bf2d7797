package dev.quorum.web;

import dev.quorum.repo.Diff;
import dev.quorum.repo.DiffRange;
import dev.quorum.request.Request;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code GET /api/requests/{id}/diff} as JSON: the range (each end's commit and what it is called), the counts, and
 * every file with its hunks, each line carrying its unified-diff marker ({@code " "}, {@code "-"}, {@code "+"}).
 */
final class DiffJson {
    private DiffJson() {}

    static Map<String, Object> of(Request r, DiffRange range, Diff diff) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("request_id", r.id());
        m.put("repo", range.repo());
        m.put("from", range.from() == null ? null : end(range.from(), range.fromLabel()));
        m.put("to", end(range.to(), range.toLabel()));
        m.put("note", range.note());
        m.put("files_changed", diff.files().size());
        m.put("insertions", diff.insertions());
        m.put("deletions", diff.deletions());
        m.put("truncated", diff.truncated());
        List<Object> files = new ArrayList<>();
        for (Diff.FilePatch f : diff.files()) {
            Map<String, Object> file = new LinkedHashMap<>();
            file.put("path", f.path());
            file.put("old_path", f.oldPath());
            file.put("change", f.change().name().toLowerCase(Locale.ROOT));
            file.put("insertions", f.insertions());
            file.put("deletions", f.deletions());
            file.put("binary", f.binary());
            file.put("truncated", f.truncated());
            file.put("note", f.note());
            List<Object> hunks = new ArrayList<>();
            for (Diff.Hunk h : f.hunks()) {
                Map<String, Object> hunk = new LinkedHashMap<>();
                hunk.put("old_start", h.oldStart());
                hunk.put("old_lines", h.oldLines());
                hunk.put("new_start", h.newStart());
                hunk.put("new_lines", h.newLines());
                hunk.put("lines", h.lines());
                hunks.add(hunk);
            }
            file.put("hunks", hunks);
            files.add(file);
        }
        m.put("files", files);
        return m;
    }

    private static Map<String, Object> end(String sha, String label) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sha", sha);
        m.put("label", label);
        return m;
    }

    /** Why a request has no diff, in words. */
    static String noDiff(Request r) {
        return switch (r.type()) {
            case MERGE, DEPLOY -> r.state().isTerminal() ? r.id() + " has no diff: it ended before its change was worked out"
                    : r.id() + " has no diff yet: it is worked out when the " + r.type().wire() + " is verified";
            case CODE -> r.state().isTerminal() ? r.id() + " has no diff: the coding run left no branch"
                    : r.id() + " has no diff yet: the coding run has not finished";
            case TEST, RESEARCH -> r.id() + " has no diff: a " + r.type().wire() + " request changes no code";
        };
    }
}
