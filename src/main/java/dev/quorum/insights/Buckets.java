package dev.quorum.insights;

import java.util.Map;
import java.util.TreeMap;

/**
 * The duration histograms of the rollups: a bucket per eighth of each power of two (about 12 % wide), the same
 * integer arithmetic as {@code roll_bucket} in {@code rollup.lua}. A percentile is the lower bound of the bucket
 * that holds the nearest-rank sample, so it is exact to within one bucket and never needs the samples themselves.
 */
final class Buckets {
    private Buckets() {}

    static int of(long ms) {
        if (ms < 1) return 0;
        int e = 63 - Long.numberOfLeadingZeros(ms);
        long p = 1L << e;
        return e * 8 + (int) ((ms - p) * 8 / p) + 1;
    }

    /** The smallest duration in bucket {@code b}. */
    static long floor(int b) {
        if (b <= 0) return 0;
        int e = (b - 1) / 8;
        long p = 1L << e;
        return p + ((b - 1) % 8) * p / 8;
    }

    /** A histogram being summed over days: bucket to count. */
    static final class Histogram {
        private final TreeMap<Integer, Long> counts = new TreeMap<>();

        void add(int bucket, long n) {
            counts.merge(bucket, n, Long::sum);
        }

        void addAll(Histogram other) {
            other.counts.forEach(this::add);
        }

        long count() {
            return counts.values().stream().mapToLong(Long::longValue).sum();
        }

        /** The nearest-rank percentile {@code p} (0 < p ≤ 1) as its bucket's lower bound, or null with no samples. */
        Long percentile(double p) {
            long n = count();
            if (n == 0) return null;
            long rank = Math.max(1, (long) Math.ceil(p * n));
            long seen = 0;
            for (Map.Entry<Integer, Long> e : counts.entrySet()) {
                seen += e.getValue();
                if (seen >= rank) return floor(e.getKey());
            }
            return floor(counts.lastKey());
        }

        Map<String, Object> summary() {
            Map<String, Object> m = new java.util.LinkedHashMap<>();
            m.put("p50", percentile(0.5));
            m.put("p90", percentile(0.9));
            m.put("count", count());
            return m;
        }
    }
}
