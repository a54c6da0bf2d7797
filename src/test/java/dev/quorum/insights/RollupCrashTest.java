package dev.quorum.insights;

import dev.quorum.request.RequestStore;
import dev.quorum.store.Redis;
import dev.quorum.testing.TestRedis;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No drift after a crash: a process changing requests as fast as it can is SIGKILLed in the middle, and the rollups
 * still count exactly what the request hashes hold (each state, each day, the cost), because each figure changes in
 * the step that changes what it counts.
 */
class RollupCrashTest {
    @Test
    void aProcessKilledMidChangeLeavesRollupsThatMatchTheRequests() throws Exception {
        try (Redis redis = TestRedis.fresh()) {
            for (int round = 0; round < 2; round++) {
                Process churn = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp", System.getProperty("java.class.path"), RollupChurn.class.getName(), TestRedis.uri(), String.valueOf(round))
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                long before = count(redis);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (count(redis) < before + 150 && System.nanoTime() < deadline) Thread.sleep(20);
                assertThat(count(redis)).as("the churn made requests").isGreaterThanOrEqualTo(before + 150);
                churn.destroyForcibly(); // SIGKILL, mid-change
                assertThat(churn.waitFor(10, TimeUnit.SECONDS)).isTrue();
                assertThat(churn.exitValue()).isEqualTo(137);
                matchesTheRequests(redis);
            }
        }
    }

    private static long count(Redis redis) {
        String n = redis.sync().get("{q}:seq:request");
        return n == null ? 0 : Long.parseLong(n);
    }

    /** Every (day, type, state) count and each day's cost, by brute force over every request hash, is the rollup's. */
    private static void matchesTheRequests(Redis redis) {
        Map<String, Long> states = new TreeMap<>();
        Map<String, BigDecimal> cost = new TreeMap<>();
        for (long i = 1; i <= count(redis); i++) {
            Map<String, String> h = redis.sync().hgetall(RequestStore.key("R" + i));
            if (h.isEmpty()) continue;
            String day = LocalDate.ofInstant(Instant.ofEpochMilli(Long.parseLong(h.get("created_at"))), ZoneOffset.UTC).toString();
            states.merge(day + " n|" + h.get("type") + "|" + h.get("state"), 1L, Long::sum);
            if (h.containsKey("cost_usd")) cost.merge(day, new BigDecimal(h.get("cost_usd")), BigDecimal::add);
        }
        Map<String, Long> rolled = new TreeMap<>();
        Map<String, BigDecimal> rolledCost = new TreeMap<>();
        for (String key : redis.sync().keys(Rollup.DAY + "*")) {
            String day = key.substring(Rollup.DAY.length());
            redis.sync().hgetall(key).forEach((f, v) -> {
                if (f.startsWith("n|") && !v.equals("0")) rolled.put(day + " " + f, Long.parseLong(v));
                if (f.equals("c")) rolledCost.put(day, new BigDecimal(v));
            });
        }
        assertThat(rolled).isEqualTo(states);
        assertThat(round(rolledCost)).isEqualTo(round(cost));
        assertThat(states.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(count(redis));
    }

    private static List<String> round(Map<String, BigDecimal> m) {
        return m.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue().setScale(6, RoundingMode.HALF_UP)).toList();
    }
}
