package org.smimegw.bench.load;

import java.util.Arrays;

/**
 * Percentiles of a set of latencies in nanoseconds (nearest-rank method: the p-th percentile is the smallest value
 * such that at least p % of the samples are less than or equal to it). Immutable.
 */
public final class LatencyStats {

    private final long[] sorted;

    private LatencyStats(long[] sorted) {
        this.sorted = sorted;
    }

    /** Statistics of {@code nanos} (copied; the argument is not modified). */
    public static LatencyStats of(long[] nanos) {
        long[] copy = nanos.clone();
        Arrays.sort(copy);
        return new LatencyStats(copy);
    }

    public int count() {
        return sorted.length;
    }

    /** The nearest-rank percentile in nanoseconds, 0 when there are no samples. {@code p} in (0, 100]. */
    public long percentileNanos(double p) {
        if (p <= 0 || p > 100) {
            throw new IllegalArgumentException("percentile must be in (0, 100]: " + p);
        }
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    public double percentileMillis(double p) {
        return percentileNanos(p) / 1e6;
    }

    public double maxMillis() {
        return sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6;
    }

    /** p50, p95, p99 and max in milliseconds. */
    public Summary summary() {
        return new Summary(count(), percentileMillis(50), percentileMillis(95), percentileMillis(99), maxMillis());
    }

    /** Latency percentiles in milliseconds. */
    public record Summary(int count, double p50, double p95, double p99, double max) {
    }
}
