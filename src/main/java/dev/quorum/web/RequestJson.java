package dev.quorum.web;

import dev.quorum.request.Request;

import java.util.LinkedHashMap;
import java.util.Map;

/** A request as the HTTP API shows it (SPEC §7): snake_case, ISO times. */
final class RequestJson {
    private RequestJson() {}

    static Map<String, Object> of(Request r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("type", r.type().wire());
        m.put("state", r.state().wire());
        m.put("requester", r.requester().toString());
        m.put("requester_name", r.requesterName());
        m.put("text", r.text());
        m.put("created_at", r.createdAt().toString());
        m.put("updated_at", r.updatedAt().toString());
        m.put("summary", r.summary());
        m.put("reason", r.reason());
        m.put("rerun_of", r.rerunOf());
        m.put("cost_usd", r.costUsd());
        Map<String, Object> origin = new LinkedHashMap<>();
        origin.put("adapter", r.origin().adapter());
        origin.put("channel", r.origin().channel());
        origin.put("thread", r.origin().thread());
        m.put("origin", origin);
        return m;
    }
}
