package dev.quorum.approval;

import dev.quorum.bench.Latencies;
import dev.quorum.config.QuorumConfig;
import dev.quorum.conversation.Identity;
import dev.quorum.insights.Rollup;
import dev.quorum.request.Request;
import dev.quorum.request.WorkQueue;
import dev.quorum.store.LuaScript;
import dev.quorum.testing.QuorumHarness;
import dev.quorum.testing.TestClock;
import dev.quorum.testing.TestRedis;
import dev.quorum.testing.TestRepo;
import io.lettuce.core.ScriptOutputType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Vote round trip with 200 concurrent voters: Quorum's whole vote path (request and action
 * lookups, eligibility, the subject re-checked against git and the evidence, the atomic Lua
 * tally, the audit entry, the card edit) against the floor, the same Lua tally script called
 * directly with the same keys and arguments, on an identical set of open requests.
 */
public final class VoteBench {
    private static final int VOTERS = 200;
    private static final int REQUESTS = 200;
    private static final int VOTES_EACH = 99; // every request gets 99 votes and needs 100: it stays open

    public void run() throws Exception {
        TestRedis.flush();
        withRig(TestRedis.uri(), Files.createTempDirectory("quorum-bench-votes"), rig -> {
            List<String> quorumSide = open(rig);
            List<String> floorSide = open(rig);
            LuaScript tally = LuaScript.load("vote_tally", Rollup.LIBRARY);
            ActionRecord sample = rig.approvals.store().find(floorSide.getFirst()).orElseThrow();
            // warm up both paths on requests of their own
            List<String> warmQ = open(rig);
            List<String> warmF = open(rig);
            measure(voter -> () -> vote(rig, voter, warmQ, 0, VOTES_EACH));
            measure(voter -> () -> raw(rig, tally, sample, voter, found(rig, warmF)));

            List<Request> floorRequests = found(rig, floorSide);
            Result floor = measure(voter -> () -> raw(rig, tally, sample, voter, floorRequests));
            Result quorum = measure(voter -> () -> vote(rig, voter, quorumSide, 0, VOTES_EACH));
            System.out.printf("votes: %d concurrent voters, %d votes each, on %d open requests per side%n", VOTERS, VOTES_EACH, REQUESTS);
            System.out.printf("  %-40s %10s %10s %10s%n", "", "votes/s", "p50 ms", "p99 ms");
            print("floor: the Lua tally called directly", floor);
            print("Quorum: ApprovalService.vote", quorum);
            System.out.printf("  ratio Quorum/floor: throughput %.2fx lower, p50 %.2fx, p99 %.2fx%n",
                    floor.perSecond() / quorum.perSecond(), quorum.p50() / floor.p50(), quorum.p99() / floor.p99());
        });
    }

    /** What runs on a rig that {@link #withRig} set up. */
    interface RigBody {
        void run(ApprovalRig rig) throws Exception;
    }

    /**
     * A repository with a feature branch, 200 eligible voters, a merge policy that needs 100
     * approvals, and a rig on the Redis at {@code uri} with its data under {@code dir}.
     */
    static void withRig(String uri, Path dir, RigBody body) throws Exception {
        try (TestRepo repo = TestRepo.init(dir.resolve("app"))) {
            repo.commit("base", Map.of("a.txt", "a\n"));
            repo.git().checkout().setCreateBranch(true).setName("feature").call();
            repo.commit("feature", Map.of("b.txt", "b\n"));
            repo.git().checkout().setName("main").call();
            StringBuilder users = new StringBuilder("alice: {}");
            StringBuilder members = new StringBuilder();
            for (int v = 0; v < VOTERS; v++) {
                users.append(", v").append(v).append(": {}");
                members.append(v == 0 ? "" : ", ").append("console:v").append(v);
            }
            QuorumConfig config = QuorumHarness.config(dir.resolve("data"), """
                    console: {demo: true, users: {%s}}
                    groups: {engineers: [%s]}
                    repos: {app: {path: %s}}
                    policies: {merge: {approvals: 100, eligible: [engineers], veto: false, ttl: 24h}}
                    """.formatted(users, members, repo.dir()), Map.of());
            try (ApprovalRig rig = new ApprovalRig(uri, config, new TestClock(Instant.now()))) {
                body.run(rig);
            }
        }
    }

    static List<String> open(ApprovalRig rig) throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) ids.add(rig.openMerge("alice", "feature").id());
        return ids;
    }

    /** Voter {@code v}'s k-th vote goes to request (v + k) mod N: distinct pairs, 99 per request. */
    interface Voter {
        Callable<Latencies> forVoter(int voter);
    }

    /** Voter {@code voter}'s votes number {@code first} to {@code first + count - 1} (at most 99 in all per request set). */
    static Latencies vote(ApprovalRig rig, int voter, List<String> ids, int first, int count) throws Exception {
        Latencies l = new Latencies();
        for (int k = first; k < first + count; k++) {
            String id = ids.get((voter + k) % ids.size());
            long t = System.nanoTime();
            VoteOutcome out = rig.vote("v" + voter, id, true);
            l.add(System.nanoTime() - t);
            if (!(out instanceof VoteOutcome.Counted)) throw new IllegalStateException("vote not counted: " + out);
        }
        return l;
    }

    /** The requests of {@code ids}, read before the floor is timed (ApprovalService.vote reads them inside its time). */
    private static List<Request> found(ApprovalRig rig, List<String> ids) {
        return ids.stream().map(id -> rig.requests.find(id).orElseThrow()).toList();
    }

    /** The tally script with the keys and arguments ApprovalService.vote passes it. */
    private static Latencies raw(ApprovalRig rig, LuaScript tally, ActionRecord sample, int voter, List<Request> requests) {
        Latencies l = new Latencies();
        String digest = sample.subject().digest();
        Identity who = Identity.console("v" + voter);
        for (int k = 0; k < VOTES_EACH; k++) {
            Request r = requests.get((voter + k) % requests.size());
            Vote vote = new Vote(who.toString(), "v" + voter, "approve", Instant.now(), List.of("engineers"), null, digest);
            String[] keys = ApprovalService.tallyKeys(r, who, WorkQueue.STREAM);
            String[] args = ApprovalService.tallyArgs(r, who.toString(), vote, "", "");
            long t = System.nanoTime();
            List<String> out = tally.run(rig.redis.sync(), ScriptOutputType.MULTI, keys, args);
            l.add(System.nanoTime() - t);
            if (!"counted".equals(out.getFirst())) throw new IllegalStateException("raw tally said " + out);
        }
        return l;
    }

    record Result(double perSecond, double p50, double p99) {}

    static Result measure(Voter voter) throws Exception {
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        List<Future<Latencies>> parts = new ArrayList<>();
        long start = System.nanoTime();
        for (int v = 0; v < VOTERS; v++) parts.add(pool.submit(voter.forVoter(v)));
        Latencies all = new Latencies();
        for (Future<Latencies> f : parts) all.merge(f.get());
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        return new Result(all.count() / seconds, all.percentileMillis(50), all.percentileMillis(99));
    }

    static void print(String name, Result r) {
        System.out.printf("  %-40s %10.0f %10.2f %10.2f%n", name, r.perSecond(), r.p50(), r.p99());
    }

}
