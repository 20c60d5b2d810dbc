package dev.hotpot.benchmarks.cluster;

import java.util.Arrays;

/**
 * Durations collected one per operation, in nanoseconds, and their percentiles (nearest rank).
 *
 * <p>Threading: not thread-safe; one thread records, then reads.
 */
final class Samples {
    static final long SLOW_MILLIS = 100;
    private long[] values;
    private int count;

    Samples(int expected) {
        values = new long[Math.max(16, expected)];
    }

    void add(long nanos) {
        if (count == values.length) {
            values = Arrays.copyOf(values, count * 2);
        }
        values[count++] = nanos;
    }

    int count() {
        return count;
    }

    /** The {@code p}-th percentile (0 < p <= 100) by nearest rank; 0 when empty. */
    long percentile(double p) {
        if (count == 0) {
            return 0;
        }
        long[] sorted = Arrays.copyOf(values, count);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * count);
        return sorted[Math.clamp(rank - 1, 0, count - 1)];
    }

    /** How many samples are at least {@code nanos}. */
    int countAtLeast(long nanos) {
        int n = 0;
        for (int i = 0; i < count; i++) {
            if (values[i] >= nanos) {
                n++;
            }
        }
        return n;
    }

    long max() {
        return percentile(100);
    }

    /**
     * {@code p50=… p90=… p99=… max=… n=… slow=…} in nanoseconds, the form {@link BenchNode} answers
     * with; {@code slow} counts samples of {@value #SLOW_MILLIS} ms or more.
     */
    String summary() {
        return "p50=" + percentile(50) + " p90=" + percentile(90) + " p99=" + percentile(99) + " max=" + max()
                + " n=" + count + " slow=" + countAtLeast(SLOW_MILLIS * 1_000_000);
    }
}
