package dev.quorum.web;

import dev.quorum.audit.AuditEntry;
import dev.quorum.conversation.Conversation;
import dev.quorum.conversation.Identity;
import dev.quorum.request.Request;
import dev.quorum.request.RequestState;
import dev.quorum.request.RequestType;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link RequestTimeline} on a stored record with votes from three platforms: each vote names its voter's platform, a
 * vote stamped within the millisecond of the state change it caused comes before it, and an entry without a time of
 * its own sits at the request's last change.
 */
class RequestTimelineTest {
    private static final Instant T = Instant.parse("2026-11-26T10:00:00Z");

    @Test
    void votesFromEachPlatformSayWhichAndComeBeforeTheChangeTheyMade() {
        Request r = new Request("R7", RequestType.MERGE, RequestState.EXECUTING, Identity.console("alice"), "alice",
                new Conversation("slack", "C024BE91L", "1732617600.000100"), "merge x", T, T.plusSeconds(60), null, null, null, null, 0);
        Map<String, Object> full = new LinkedHashMap<>();
        full.put("votes", List.of(vote("slack:U024BE7LH", T.plusSeconds(10)), vote("discord:80351110224678912", T.plusSeconds(20)),
                vote("github:alice-w", T.plusSeconds(30).plusNanos(700_000))));
        full.put("evidence", null);
        full.put("transcript", List.of());
        List<AuditEntry> chain = List.of(
                entry("1-0", T, "request.created", "slack:U1", "{\"type\":\"merge\"}"),
                entry("2-0", T.plusSeconds(5), "request.state", "quorum", "{\"from\":\"verifying\",\"to\":\"awaiting_approval\",\"reason\":\"\"}"),
                entry("3-0", T.plusSeconds(30), "request.state", "quorum", "{\"from\":\"awaiting_approval\",\"to\":\"executing\",\"reason\":\"quorum reached\"}"),
                entry("4-0", T.plusSeconds(30), "vote", "github:alice-w", "{}"),
                entry("5-0", T.plusSeconds(31), "merge.tree_mismatch", "quorum", "not json"));

        List<Map<String, Object>> timeline = RequestTimeline.of(r, full, chain);

        assertThat(timeline).extracting(e -> e.get("kind") + " " + e.get("platform") + " " + e.get("text")).containsExactly(
                "created slack asked: merge x",
                "state null verifying → awaiting_approval",
                "vote slack approve",
                "vote discord approve",
                "vote github approve",
                "state null awaiting_approval → executing: quorum reached",
                "audit null merge.tree_mismatch");
        assertThat(timeline.get(6)).containsEntry("audit_id", "5-0").containsEntry("audit_type", "merge.tree_mismatch");
        assertThat(RequestTimeline.platform("quorum")).isNull();
        assertThat(RequestTimeline.platform(":x")).isNull();
    }

    private static Map<String, Object> vote(String voter, Instant at) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("voter", voter);
        v.put("vote", "approve");
        v.put("at", at.toString());
        v.put("reason", null);
        v.put("void", false);
        return v;
    }

    private static AuditEntry entry(String id, Instant at, String type, String actor, String data) {
        return new AuditEntry(id, at, type, actor, "R7", data, "", "", 0, "");
    }
}
