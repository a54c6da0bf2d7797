package dev.quorum.request;

import dev.quorum.chat.console.ConsoleAdapter;
import dev.quorum.conversation.Identity;
import dev.quorum.store.Redis;
import io.lettuce.core.RedisFuture;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A history to filter: request {@code n} is {@link #row(long)}, worked out from {@code n} alone (types, requesters,
 * repositories, environments, approvers, states, times and words in turn), so a test knows what every filter must
 * answer. {@link #viaStore} goes through the store's own scripts; {@link #pipelined} writes the same keys straight
 * into Redis, fast, for the benchmark's 100,000.
 */
public final class HistorySeed {
    public static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
    public static final List<String> USERS = List.of("alice", "bob", "carol", "dave");
    public static final List<String> REPOS = List.of("acme/web", "acme/api");
    public static final List<String> ENVIRONMENTS = List.of("staging", "production");
    private static final RequestType[] TYPES = {RequestType.RESEARCH, RequestType.CODE, RequestType.TEST, RequestType.MERGE, RequestType.DEPLOY};

    private HistorySeed() {}

    /**
     * One seeded request.
     *
     * @param path the states it went through after {@code queued}, in order; the last is where it is
     */
    public record Row(String id, RequestType type, List<RequestState> path, Identity requester, String repo, String environment,
                      List<Identity> approvers, Instant created, Instant updated, String text) {
        public RequestState state() {
            return path.isEmpty() ? RequestState.QUEUED : path.getLast();
        }

        public long number() {
            return RequestIds.number(id);
        }
    }

    public static Row row(long n) {
        RequestType type = TYPES[(int) (n % TYPES.length)];
        Identity requester = Identity.console(USERS.get((int) (n % USERS.size())));
        String repo = type == RequestType.RESEARCH ? null : REPOS.get((int) ((n / 5) % REPOS.size()));
        String environment = type == RequestType.DEPLOY ? ENVIRONMENTS.get((int) ((n / 10) % ENVIRONMENTS.size())) : null;
        List<RequestState> path = switch ((int) (n % 3)) {
            case 0 -> type.isAction() ? List.of(RequestState.CANCELLED) : List.of();
            case 1 -> type.isAction() ? List.of(RequestState.VERIFYING, RequestState.AWAITING_APPROVAL, RequestState.EXECUTING, RequestState.DONE)
                    : List.of(RequestState.RUNNING, RequestState.SUCCEEDED);
            default -> List.of(RequestState.FAILED);
        };
        List<Identity> approvers = new ArrayList<>();
        if (type.isAction() && path.contains(RequestState.AWAITING_APPROVAL)) {
            approvers.add(Identity.console(USERS.get((int) ((n + 1) % USERS.size()))));
            if (n % 2 == 0) approvers.add(Identity.console(USERS.get((int) ((n + 2) % USERS.size()))));
        }
        Instant created = T0.plus(Duration.ofMinutes(30 * n));
        // Updates land out of creation order, so the order by update is not the order by creation
        Instant updated = path.isEmpty() ? created : created.plus(Duration.ofMinutes((n * 7919) % 1000 + 1));
        String text = type.wire() + " task " + n + (n % 11 == 0 ? " flaky Login" : "") + (repo == null ? "" : " in " + repo);
        return new Row(RequestIds.of(n), type, path, requester, repo, environment, List.copyOf(approvers), created, updated, text);
    }

    /** Requests 1..count through the store's scripts (create with inputs, each state change, the approvers' index as a vote writes it). */
    public static List<Row> viaStore(Redis redis, RequestStore store, int count) {
        List<Row> rows = new ArrayList<>();
        for (long n = 1; n <= count; n++) {
            Row row = row(n);
            Map<String, String> inputs = new LinkedHashMap<>();
            if (row.repo() != null) inputs.put("repo", row.repo());
            if (row.environment() != null) inputs.put("environment", row.environment());
            Request r = store.create(row.type(), row.requester(), row.requester().id(), ConsoleAdapter.ROOM, row.text(), null, row.created(),
                    inputs, null, 0);
            if (!r.id().equals(row.id())) throw new IllegalStateException("seeding needs an empty store: got " + r.id() + " for " + row.id());
            RequestState at = RequestState.QUEUED;
            for (int i = 0; i < row.path().size(); i++) {
                RequestState to = row.path().get(i);
                Instant when = i == row.path().size() - 1 ? row.updated() : row.created().plusSeconds(i + 1);
                store.transition(r, at, to, Map.of(), when);
                at = to;
            }
            for (Identity a : row.approvers()) redis.sync().zadd(RequestStore.approverIndex(a), n, row.id());
            rows.add(row);
        }
        return rows;
    }

    /**
     * Requests 1..count written straight into Redis in the store's format (hash, inputs, every index, the counter),
     * pipelined in rounds of a thousand: the benchmark's way to 100,000 requests in seconds.
     */
    public static void pipelined(Redis redis, int count) {
        List<RedisFuture<?>> round = new ArrayList<>();
        var a = redis.async();
        for (long n = 1; n <= count; n++) {
            Row row = row(n);
            Map<String, String> h = new LinkedHashMap<>();
            h.put("id", row.id());
            h.put("type", row.type().wire());
            h.put("state", row.state().wire());
            h.put("requester", row.requester().toString());
            h.put("requester_name", row.requester().id());
            h.put("origin_adapter", ConsoleAdapter.ROOM.adapter());
            h.put("origin_channel", ConsoleAdapter.ROOM.channel());
            h.put("text", row.text());
            h.put("created_at", String.valueOf(row.created().toEpochMilli()));
            h.put("updated_at", String.valueOf(row.updated().toEpochMilli()));
            round.add(a.hset(RequestStore.key(row.id()), h));
            round.add(a.zadd(RequestStore.allIndex(), n, row.id()));
            round.add(a.zadd(RequestStore.stateIndex(row.state()), n, row.id()));
            round.add(a.zadd("{q}:idx:type:" + row.type().wire(), n, row.id()));
            round.add(a.zadd("{q}:idx:user:" + row.requester(), n, row.id()));
            round.add(a.zadd(RequestStore.BY_CREATED, row.created().toEpochMilli(), row.id()));
            round.add(a.zadd(RequestStore.BY_UPDATED, row.updated().toEpochMilli(), row.id()));
            Map<String, String> inputs = new LinkedHashMap<>();
            if (row.repo() != null) inputs.put("repo", row.repo());
            if (row.environment() != null) inputs.put("environment", row.environment());
            if (!inputs.isEmpty()) round.add(a.hset(RequestStore.key(row.id()) + ":inputs", inputs));
            for (var in : inputs.entrySet()) round.add(a.zadd(RequestStore.INDEXED_INPUTS.get(in.getKey()) + in.getValue(), n, row.id()));
            for (Identity who : row.approvers()) round.add(a.zadd(RequestStore.approverIndex(who), n, row.id()));
            if (round.size() > 10_000 || n == count) {
                round.forEach(dev.quorum.store.Redis::await);
                round.clear();
            }
        }
        redis.sync().set("{q}:seq:request", String.valueOf(count));
        redis.sync().set(IndexBackfill.DONE, IndexBackfill.VERSION);
    }
}
