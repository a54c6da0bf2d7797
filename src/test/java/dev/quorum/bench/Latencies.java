package dev.quorum.bench;

import java.util.Arrays;

/** Recorded latencies in nanoseconds, and their percentiles. Not thread-safe: one per thread, then merged. */
public final class Latencies {
    private long[] values = new long[1024];
    private int size;

    public void add(long nanos) {
        if (size == values.length) values = Arrays.copyOf(values, size * 2);
        values[size++] = nanos;
    }

    public Latencies merge(Latencies other) {
        for (int i = 0; i < other.size; i++) add(other.values[i]);
        return this;
    }

    public int count() {
        return size;
    }

    /** The p-th percentile in milliseconds, p in [0, 100]. */
    public double percentileMillis(double p) {
        if (size == 0) return Double.NaN;
        long[] sorted = Arrays.copyOf(values, size);
        Arrays.sort(sorted);
        int index = (int) Math.min(size - 1, Math.max(0, Math.ceil(p / 100.0 * size) - 1));
        return sorted[index] / 1e6;
    }
}
