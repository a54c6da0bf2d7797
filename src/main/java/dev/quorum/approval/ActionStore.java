package dev.quorum.approval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.quorum.conversation.Conversation;
import dev.quorum.conversation.Identity;
import dev.quorum.conversation.PostedMessage;
import dev.quorum.store.Redis;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Action records and votes in Redis: {@code q:action:<id>} (a hash the tally script reads) and
 * {@code q:votes:<id>} (person to vote JSON, so one person votes once across platforms).
 * Thread-safe; blocking.
 */
public final class ActionStore {
    static final String ACTION = "{q}:action:";
    static final String VOTES = "{q}:votes:";
    static final ObjectMapper JSON = JsonMapper.builder().addModule(new JavaTimeModule())
            .disable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();

    private final Redis redis;

    public ActionStore(Redis redis) {
        this.redis = redis;
    }

    public static String actionKey(String id) {
        return ACTION + id;
    }

    public static String votesKey(String id) {
        return VOTES + id;
    }

    /** The order in which people voted (the tally script appends). */
    static String orderKey(String id) {
        return VOTES + id + ":order";
    }

    /** Opens the window: stores everything the tally needs, before the request becomes awaiting_approval. */
    public void open(String id, Subject subject, AppliedPolicy policy, List<Identity> authors, String diffSummary, Instant expiresAt) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("subject", write(subject.toMap()));
        h.put("subject_digest", subject.digest());
        h.put("policy_action", policy.action());
        h.put("approvals", String.valueOf(policy.approvals()));
        h.put("eligible", write(policy.eligible()));
        h.put("require", write(policy.require()));
        h.put("veto", policy.veto() ? "1" : "0");
        h.put("ttl_ms", String.valueOf(policy.ttl().toMillis()));
        h.put("raised_by", write(policy.raisedBy()));
        h.put("authors", write(authors.stream().map(Identity::toString).toList()));
        h.put("diff", diffSummary);
        h.put("expires_at", String.valueOf(expiresAt.toEpochMilli()));
        redis.sync().hset(actionKey(id), h);
    }

    public void setCard(String id, PostedMessage card) {
        Conversation w = card.where();
        redis.sync().hset(actionKey(id), Map.of("card_adapter", w.adapter(), "card_channel", w.channel(),
                "card_thread", w.thread() == null ? "" : w.thread(), "card_message", card.messageId()));
    }

    public void voidVotes(String id) {
        redis.sync().hset(actionKey(id), "votes_void", "1");
    }

    public Optional<ActionRecord> find(String id) {
        Map<String, String> h = redis.sync().hgetall(actionKey(id));
        if (h.isEmpty() || !h.containsKey("subject")) return Optional.empty();
        Subject subject = Subject.fromMap(read(h.get("subject"), new TypeReference<Map<String, Object>>() {}));
        AppliedPolicy policy = new AppliedPolicy(h.get("policy_action"), Integer.parseInt(h.get("approvals")),
                read(h.get("eligible"), new TypeReference<List<String>>() {}),
                read(h.get("require"), new TypeReference<Map<String, Integer>>() {}),
                "1".equals(h.get("veto")), Duration.ofMillis(Long.parseLong(h.get("ttl_ms"))),
                read(h.get("raised_by"), new TypeReference<List<String>>() {}));
        List<Identity> authors = read(h.get("authors"), new TypeReference<List<String>>() {}).stream().map(Identity::parse).toList();
        PostedMessage card = h.containsKey("card_message") ? new PostedMessage(new Conversation(h.get("card_adapter"),
                h.get("card_channel"), h.get("card_thread").isEmpty() ? null : h.get("card_thread")), h.get("card_message")) : null;
        Instant reached = h.containsKey("quorum_reached_at") ? Instant.ofEpochMilli(Long.parseLong(h.get("quorum_reached_at"))) : null;
        return Optional.of(new ActionRecord(subject, policy, authors, h.getOrDefault("diff", ""),
                Instant.ofEpochMilli(Long.parseLong(h.get("expires_at"))), card, reached, "1".equals(h.get("votes_void"))));
    }

    /** Whether the person ({@link dev.quorum.config.Directory#personOf}) has a vote on the request, as the tally script keys them. */
    public boolean hasVoted(String id, String person) {
        return redis.sync().hexists(votesKey(id), person);
    }

    /** The votes, in the order they were cast. */
    public List<Vote> votes(String id) {
        List<String> order = redis.sync().lrange(orderKey(id), 0, -1);
        if (order.isEmpty()) return List.of();
        List<Vote> out = new ArrayList<>();
        for (var kv : redis.sync().hmget(votesKey(id), order.toArray(String[]::new))) {
            if (kv.hasValue()) out.add(read(kv.getValue(), new TypeReference<Vote>() {}));
        }
        return out;
    }

    static String write(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static <T> T read(String json, TypeReference<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable action data: " + e.getOriginalMessage(), e);
        }
    }
}
