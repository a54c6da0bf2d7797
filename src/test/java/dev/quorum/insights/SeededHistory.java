package dev.quorum.insights;

import dev.quorum.approval.ActionStore;
import dev.quorum.approval.ApprovalService;
import dev.quorum.approval.Vote;
import dev.quorum.config.ConfigLoader;
import dev.quorum.config.Directory;
import dev.quorum.conversation.Conversation;
import dev.quorum.conversation.Identity;
import dev.quorum.request.Request;
import dev.quorum.request.RequestState;
import dev.quorum.request.RequestStore;
import dev.quorum.request.RequestType;
import dev.quorum.store.LuaScript;
import dev.quorum.store.Redis;
import io.lettuce.core.ScriptOutputType;

import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static dev.quorum.request.RequestState.*;

/**
 * A random but reproducible history driven through Quorum's own steps (RequestStore's create, transition and
 * addCost; the vote, expiry and incident scripts; RunClaims), with a log of what was done kept beside it, from which
 * {@link Expected} works out every figure by brute force. Used by the rollup, crash, API and browser tests.
 */
public final class SeededHistory {
    public static final LocalDate FIRST_DAY = LocalDate.of(2026, 11, 1);
    public static final int DAYS = 10;
    public static final String PEOPLE_YAML = "people: {bob: [console:bob, slack:UBOB]}\n";
    static final List<String> REQUESTERS = List.of("console:alice", "console:bob", "console:carol", "slack:UBOB");
    static final List<String> VOTERS = List.of("console:alice", "person:bob", "console:carol", "console:dave");
    static final List<String> ENVS = List.of("staging", "production");

    /** One request as the test did it. */
    static final class Seeded {
        String id;
        RequestType type;
        Instant created;
        String requester;
        String env;
        String policy;
        RequestState state;
        final Map<RequestState, Instant> at = new LinkedHashMap<>();
        BigDecimal cost = BigDecimal.ZERO;
        String message;
        Boolean evidence;
        String budget;
        Instant incident;
        final List<String> approvers = new ArrayList<>();
    }

    /** What the history did to restore environments, in the order it was done: {env, deploy done or incident, at}. */
    record Happened(String env, boolean incident, Instant at) {}

    final List<Seeded> requests = new ArrayList<>();
    final List<Happened> happened = new ArrayList<>();
    private final Redis redis;
    private final RequestStore store;
    private final RunClaims claims;
    private final Incidents incidents;
    private final Random random;
    private final LuaScript tally = LuaScript.load("vote_tally", Rollup.LIBRARY);
    private final LuaScript expire = LuaScript.load("approval_expire", Rollup.LIBRARY);

    private SeededHistory(Redis redis, long seed) {
        this.redis = redis;
        this.store = new RequestStore(redis);
        this.claims = new RunClaims(store);
        this.incidents = new Incidents(redis);
        this.random = new Random(seed);
    }

    /** {@code n} requests over {@link #DAYS} days from {@link #FIRST_DAY}. */
    public static SeededHistory seed(Redis redis, int n, long seed) {
        return seed(redis, n, seed, DAYS);
    }

    /** {@code n} requests over {@code days} days from {@link #FIRST_DAY}. */
    public static SeededHistory seed(Redis redis, int n, long seed, int days) {
        SeededHistory h = new SeededHistory(redis, seed);
        for (int i = 0; i < n; i++) h.one(i, n, days);
        return h;
    }

    /**
     * One code run at {@code at} whose final message was {@code message} and whose final commit Quorum's run judged
     * {@code passed}, ended as CodeJob ends it (failed when the tests fail). @return its id
     */
    public static String codeRun(Redis redis, Instant at, String requester, String message, boolean passed) {
        RequestStore store = new RequestStore(redis);
        Request r = store.create(RequestType.CODE, Identity.parse(requester), requester, new Conversation("console", "room", null),
                "code the change", null, at);
        store.transition(r, QUEUED, RUNNING, Map.of(), at.plusSeconds(5));
        new RunClaims(store).record(r.id(), message, java.util.Optional.of(passed), null);
        store.transition(store.find(r.id()).orElseThrow(), RUNNING, passed ? SUCCEEDED : FAILED, Map.of(), at.plusSeconds(600));
        return r.id();
    }

    /** The directory the history's people belong to (bob is console:bob and slack:UBOB). */
    public static Directory directory() {
        return new Directory(new ConfigLoader(k -> null).parse(new ByteArrayInputStream(
                ("console: {demo: true, users: {alice: {}, bob: {}, carol: {}, dave: {}}}\n" + PEOPLE_YAML)
                        .getBytes(StandardCharsets.UTF_8)), "test"));
    }

    /** The shipped config with bob on two platforms and alice a manager: what the Insights tests run Quorum with. */
    public static String quorumConfig() throws java.io.IOException {
        return dev.quorum.testing.QuorumHarness.bundledConfigText()
                .replace("people: {}\n", PEOPLE_YAML)
                .replace("  session_ttl: 12h", "  roles: {managers: [console:alice]}\n  session_ttl: 12h");
    }

    /** The one code run that claimed green on a red commit, by the SeededHistory's rule of the message. */
    public static final String GREEN_CLAIM = "Implemented the change. All tests pass.";

    private void one(int i, int n, int days) {
        Seeded s = new Seeded();
        long span = Duration.ofDays(days).toMillis();
        s.created = FIRST_DAY.atStartOfDay(ZoneOffset.UTC).toInstant().plusMillis(span * i / n + random.nextInt(60_000));
        s.type = RequestType.values()[random.nextInt(RequestType.values().length)];
        s.requester = REQUESTERS.get(random.nextInt(REQUESTERS.size()));
        if (s.type.isAction()) s.env = ENVS.get(random.nextInt(ENVS.size()));
        Request r = store.create(s.type, Identity.parse(s.requester), s.requester, new Conversation("console", "room", null),
                "seeded " + i, null, s.created, s.env == null ? Map.of() : Map.of("environment", s.env));
        s.id = r.id();
        s.state = QUEUED;
        s.at.put(QUEUED, s.created);
        requests.add(s);
        Instant t = s.created;
        if (s.type.isAction()) {
            s.policy = s.type == RequestType.MERGE ? "merge" : "deploy." + s.env;
            action(r, s, t);
        } else {
            work(r, s, t);
        }
    }

    private Instant later(Instant t) {
        return t.plusMillis(1_000 + random.nextInt(3_600_000));
    }

    private Request move(Request r, Seeded s, RequestState to, Instant t) {
        if (!store.transition(r, s.state, to, Map.of(), t)) throw new IllegalStateException(s.id + " did not move to " + to);
        s.state = to;
        s.at.put(to, t);
        return store.find(s.id).orElseThrow();
    }

    private void work(Request r, Seeded s, Instant t) {
        int roll = random.nextInt(10);
        if (roll == 0) {
            move(r, s, CANCELLED, later(t));
            return;
        }
        if (roll == 1) return; // still queued
        t = later(t);
        r = move(r, s, RUNNING, t);
        if (s.type != RequestType.TEST) {
            BigDecimal usd = BigDecimal.valueOf(random.nextInt(5_000), 4);
            store.addCost(s.id, usd.doubleValue());
            s.cost = s.cost.add(usd);
        }
        if (roll == 2) return; // still running
        RequestState end = random.nextInt(4) == 0 ? FAILED : SUCCEEDED;
        if (s.type == RequestType.CODE && random.nextInt(4) > 0) {
            s.message = List.of(GREEN_CLAIM, "I changed the parser. The tests are not passing yet.", "Done: see the diff.")
                    .get(random.nextInt(3));
            s.evidence = random.nextBoolean();
            s.budget = end == FAILED && random.nextBoolean() ? "tokens" : null;
            claims.record(s.id, s.message, java.util.Optional.of(s.evidence), s.budget);
        } else if (s.type == RequestType.RESEARCH && end == FAILED && random.nextBoolean()) {
            s.budget = "cost";
            claims.record(s.id, null, java.util.Optional.empty(), s.budget);
        }
        move(r, s, end, later(t));
    }

    private void action(Request r, Seeded s, Instant t) {
        int roll = random.nextInt(12);
        if (roll == 0) {
            move(r, s, CANCELLED, later(t));
            return;
        }
        if (roll == 1) return; // still queued
        t = later(t);
        r = move(r, s, VERIFYING, t);
        if (roll == 2) {
            move(r, s, FAILED, later(t)); // its tests failed
            return;
        }
        t = later(t);
        r = move(r, s, AWAITING_APPROVAL, t);
        redis.sync().hset(ActionStore.actionKey(s.id), Map.of("subject_digest", "d", "expires_at", String.valueOf(Long.MAX_VALUE / 2),
                "approvals", "2", "require", "{}", "veto", "1", "policy_action", s.policy));
        if (roll == 3) {
            move(r, s, STALE, later(t));
            return;
        }
        if (roll == 4) {
            t = later(t);
            redis.sync().hset(ActionStore.actionKey(s.id), "expires_at", String.valueOf(t.toEpochMilli()));
            Long done = expire.run(redis.sync(), ScriptOutputType.INTEGER, ApprovalService.expireKeys(r), ApprovalService.expireArgs(r, t));
            if (done == null || done != 1) throw new IllegalStateException(s.id + " did not expire");
            s.state = EXPIRED;
            return;
        }
        List<String> voters = new ArrayList<>(VOTERS);
        java.util.Collections.shuffle(voters, random);
        if (roll == 5) {
            vote(r, s, voters.get(0), "reject", later(t), "rejected");
            return;
        }
        if (roll == 6) {
            vote(r, s, voters.get(0), "approve", later(t), "counted"); // one approval of two: still waiting
            return;
        }
        t = later(t);
        vote(r, s, voters.get(0), "approve", t, "counted");
        t = later(t);
        vote(r, s, voters.get(1), "approve", t, "executing");
        if (roll == 7) return; // still executing
        t = later(t);
        r = store.find(s.id).orElseThrow();
        if (roll == 8) {
            move(r, s, FAILED, t);
            return;
        }
        move(r, s, DONE, t);
        if (s.type == RequestType.DEPLOY) {
            happened.add(new Happened(s.env, false, t));
            if (random.nextInt(4) == 0) {
                s.incident = t.plusSeconds(60 + random.nextInt(600));
                List<String> marked = incidents.mark(r, "console:dave", s.incident);
                if (!marked.getFirst().equals("ok")) throw new IllegalStateException(s.id + " incident: " + marked);
                happened.add(new Happened(s.env, true, s.incident));
            }
        }
    }

    /** Where the seeded quorums queue their execution: not Quorum's work stream, which a running Quorum would take from. */
    private static final String SEEDED_WORK = "{q}:seeded:work";

    /** A vote through vote_tally with the keys and arguments ApprovalService gives it, but for the work stream. */
    private void vote(Request r, Seeded s, String person, String kind, Instant t, String expected) {
        Vote vote = new Vote(person, person, kind, t, List.of("engineers"), null, "d");
        List<String> result = tally.run(redis.sync(), ScriptOutputType.MULTI, ApprovalService.tallyKeys(r, Identity.parse(person), SEEDED_WORK),
                ApprovalService.tallyArgs(r, person, vote, "vetoed", "quorum reached"));
        if (!result.getFirst().equals(expected)) throw new IllegalStateException(s.id + " vote answered " + result + ", not " + expected);
        if (kind.equals("approve")) s.approvers.add(person);
        switch (expected) {
            case "executing" -> {
                s.state = EXECUTING;
                s.at.put(EXECUTING, t);
            }
            case "rejected" -> s.state = REJECTED;
            default -> { }
        }
    }
}
