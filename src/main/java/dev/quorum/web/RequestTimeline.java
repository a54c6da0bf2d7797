package dev.quorum.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quorum.audit.AuditEntry;
import dev.quorum.request.Request;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A request's story in time order for its page ({@code timeline} on {@code GET /api/requests/{id}}), built from what
 * is stored only: the audit chain's entries about it (creation and every state change, which the chain holds through
 * the outbox, and anything else recorded about it), the votes as the vote store keeps them, the evidence, the diff
 * stat and the agent transcript from the record's other parts. Each entry is
 * {@code {at, kind, actor, platform, text}} plus what its kind has: {@code state}/{@code from} for a state change,
 * {@code vote} for a vote, {@code audit_id} for what came from the chain. Texts are the stored words, never markup.
 */
final class RequestTimeline {
    /** What an entry is; its wire name is the {@code kind} field. */
    enum Kind {
        CREATED, STATE, VOTE, EVIDENCE, DIFF, TRANSCRIPT, AUDIT;

        String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private record Entry(Instant at, Kind kind, String actor, Map<String, Object> body) {}

    private RequestTimeline() {}

    /**
     * @param full  the request's record as the API shows it (votes, evidence, transcript, tally, result)
     * @param audit the chain's entries about it, in chain order
     */
    static List<Map<String, Object>> of(Request r, Map<String, Object> full, List<AuditEntry> audit) {
        JsonNode record = Json.MAPPER.valueToTree(full);
        List<Entry> entries = new ArrayList<>();
        // Votes first, so that a vote and the state change it caused at the same instant stay in that order.
        for (JsonNode v : record.path("votes")) {
            entries.add(entry(time(v.path("at")), Kind.VOTE, v.path("voter").asText(""),
                    "vote", v.path("vote").asText(""),
                    "text", v.path("vote").asText("") + (v.path("reason").asText("").isEmpty() ? "" : ": " + v.path("reason").asText())
                            + (v.path("void").asBoolean(false) ? " (void)" : "")));
        }
        Instant opened = null;
        for (AuditEntry e : audit) {
            JsonNode data = parse(e.data());
            switch (e.type()) {
                case "request.created" -> entries.add(entry(e.at(), Kind.CREATED, e.actor(), "audit_id", e.id(),
                        "state", data.path("state").asText(null), "text", "asked: " + r.text()));
                case "request.state" -> entries.add(entry(e.at(), Kind.STATE, e.actor(), "audit_id", e.id(),
                        "from", data.path("from").asText(""), "state", data.path("to").asText(""),
                        "text", data.path("from").asText("?") + " → " + data.path("to").asText("?")
                                + (data.path("reason").asText("").isEmpty() ? "" : ": " + data.path("reason").asText())));
                case "vote" -> { } // the vote store's record of it is above, with its name and whether it still counts
                default -> {
                    if (e.type().equals("approval.opened")) opened = e.at();
                    entries.add(entry(e.at(), Kind.AUDIT, e.actor(), "audit_id", e.id(), "audit_type", e.type(), "text", e.type()));
                }
            }
        }
        JsonNode ev = record.path("evidence");
        if (ev.isObject()) {
            Instant started = time(ev.path("started_at"));
            Instant done = started == null ? null : started.plusMillis(Math.max(0, ev.path("duration_ms").asLong(0)));
            JsonNode t = ev.path("tests");
            entries.add(entry(done, Kind.EVIDENCE, "quorum", "commit", ev.path("commit").asText(null),
                    "text", ev.path("status").asText("?") + ": " + t.path("passed").asLong(0) + " passed, "
                            + t.path("failed").asLong(0) + " failed, " + t.path("skipped").asLong(0) + " skipped at "
                            + abbrev(ev.path("commit").asText(""))));
        }
        JsonNode steps = record.path("transcript");
        Instant lastStep = null;
        if (steps.isArray() && !steps.isEmpty()) {
            long models = 0;
            long tools = 0;
            for (JsonNode s : steps) {
                if (s.path("kind").asText("").equals("model")) models++;
                if (s.path("kind").asText("").equals("tool")) tools++;
                Instant at = time(s.path("at"));
                if (at != null) lastStep = at;
            }
            entries.add(entry(time(steps.get(0).path("at")), Kind.TRANSCRIPT, "agent",
                    "text", steps.size() + " agent steps: " + models + " model calls, " + tools + " tool calls"));
        }
        String change = record.path("tally").path("change").asText("");
        JsonNode stat = record.path("result").path("diff_stat");
        if (!change.isEmpty()) {
            entries.add(entry(opened, Kind.DIFF, "quorum", "text", change));
        } else if (stat.isObject()) {
            entries.add(entry(lastStep, Kind.DIFF, "agent", "text", stat.path("files").asLong(0) + " files changed, +"
                    + stat.path("insertions").asLong(0) + " −" + stat.path("deletions").asLong(0)));
        }
        Instant fallback = r.updatedAt();
        List<Entry> timed = new ArrayList<>();
        for (Entry e : entries) timed.add(e.at() != null ? e : new Entry(fallback, e.kind(), e.actor(), e.body()));
        // By the millisecond, stably: the chain's order within one, and a vote before the state change it made (the
        // change's step stamps the vote's instant to the millisecond)
        timed.sort(Comparator.comparing(e -> e.at().truncatedTo(java.time.temporal.ChronoUnit.MILLIS)));
        List<Map<String, Object>> out = new ArrayList<>();
        for (Entry e : timed) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("at", e.at().toString());
            m.put("kind", e.kind().wire());
            m.put("actor", e.actor());
            m.put("platform", platform(e.actor()));
            m.putAll(e.body());
            out.add(m);
        }
        return out;
    }

    /** The platform of an identity ({@code slack:U1} is on slack); {@code null} for Quorum itself or the agent. */
    static String platform(String actor) {
        int colon = actor.indexOf(':');
        return colon > 0 ? actor.substring(0, colon) : null;
    }

    private static Entry entry(Instant at, Kind kind, String actor, Object... pairs) {
        Map<String, Object> body = new LinkedHashMap<>();
        for (int i = 0; i + 1 < pairs.length; i += 2) body.put((String) pairs[i], pairs[i + 1]);
        return new Entry(at, kind, actor, body);
    }

    private static Instant time(JsonNode n) {
        if (!n.isTextual()) return null;
        try {
            return Instant.parse(n.asText());
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static JsonNode parse(String data) {
        try {
            return Json.MAPPER.readTree(data == null || data.isEmpty() ? "{}" : data);
        } catch (java.io.IOException e) {
            return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        }
    }

    private static String abbrev(String sha) {
        return sha.length() > 7 ? sha.substring(0, 7) : sha;
    }
}
