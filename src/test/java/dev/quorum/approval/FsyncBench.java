package dev.quorum.approval;

import dev.quorum.config.RedisConfig;
import dev.quorum.store.EmbeddedRedis;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The price of {@code appendfsync always} (the embedded default) on the vote path: Quorum's
 * whole vote ({@code ApprovalService.vote}, as in {@link VoteBench}) with 200 concurrent voters,
 * against two embedded servers on the same disk in the same run, one fsyncing before every
 * answer and one once a second. Rounds alternate between the two so that a change in the
 * machine's load weighs on both; the ratio of the sums is printed.
 */
public final class FsyncBench {
    private static final int ROUNDS = 3;
    private static final int VOTES_PER_ROUND = 10; // 3 rounds of 10 after a warm-up of 10: 40 of the 99 a request may take

    public void run() throws Exception {
        Path dir = Files.createTempDirectory("quorum-bench-fsync");
        try (EmbeddedRedis always = new EmbeddedRedis(dir.resolve("always/redis"), 0, RedisConfig.Fsync.ALWAYS);
             EmbeddedRedis everysec = new EmbeddedRedis(dir.resolve("everysec/redis"), 0, RedisConfig.Fsync.EVERYSEC)) {
            String alwaysUri = always.start();
            String everysecUri = everysec.start();
            VoteBench.withRig(alwaysUri, dir.resolve("always"), a -> VoteBench.withRig(everysecUri, dir.resolve("everysec"), e -> {
                List<String> aIds = VoteBench.open(a);
                List<String> eIds = VoteBench.open(e);
                VoteBench.measure(v -> () -> VoteBench.vote(a, v, aIds, 0, VOTES_PER_ROUND));
                VoteBench.measure(v -> () -> VoteBench.vote(e, v, eIds, 0, VOTES_PER_ROUND));
                List<VoteBench.Result> as = new ArrayList<>();
                List<VoteBench.Result> es = new ArrayList<>();
                for (int round = 1; round <= ROUNDS; round++) {
                    int first = round * VOTES_PER_ROUND;
                    as.add(VoteBench.measure(v -> () -> VoteBench.vote(a, v, aIds, first, VOTES_PER_ROUND)));
                    es.add(VoteBench.measure(v -> () -> VoteBench.vote(e, v, eIds, first, VOTES_PER_ROUND)));
                }
                System.out.printf("fsync: %d concurrent voters, %d rounds of %d votes each per side, alternating%n",
                        200, ROUNDS, VOTES_PER_ROUND);
                System.out.printf("  %-40s %10s %10s %10s%n", "", "votes/s", "p50 ms", "p99 ms");
                VoteBench.Result mA = mean(as);
                VoteBench.Result mE = mean(es);
                VoteBench.print("appendfsync everysec", mE);
                VoteBench.print("appendfsync always (embedded default)", mA);
                System.out.printf("  ratio always/everysec: throughput %.2fx lower, p50 %.2fx, p99 %.2fx%n",
                        mE.perSecond() / mA.perSecond(), mA.p50() / mE.p50(), mA.p99() / mE.p99());
            }));
        }
    }

    private static VoteBench.Result mean(List<VoteBench.Result> rs) {
        return new VoteBench.Result(rs.stream().mapToDouble(VoteBench.Result::perSecond).average().orElseThrow(),
                rs.stream().mapToDouble(VoteBench.Result::p50).average().orElseThrow(),
                rs.stream().mapToDouble(VoteBench.Result::p99).average().orElseThrow());
    }
}
