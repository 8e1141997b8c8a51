package dev.spoa.bench.load;

/**
 * Latencies in nanoseconds, log-linear: exact below 2,048 ns, then 1,024 buckets per power of two,
 * so every value is known to 0.1 % (three significant digits) up to {@link #HIGHEST} (60 s; longer
 * values count as 60 s, the maximum stays exact). Recording is an array increment: no allocation,
 * nothing shared. Each generator thread has its own; {@link #add} merges them at the end.
 */
public final class LatencyHistogram {
    static final long HIGHEST = 60_000_000_000L;
    private static final int SUB_BITS = 10;
    private static final int SUB_BUCKETS = 1 << SUB_BITS;

    private final long[] counts = new long[index(HIGHEST) + 1];
    private long total;
    private long max;

    public void record(long nanos) {
        long value = Math.max(0, nanos);
        if (value > max) {
            max = value;
        }
        counts[index(Math.min(value, HIGHEST))]++;
        total++;
    }

    public void add(LatencyHistogram other) {
        for (int i = 0; i < counts.length; i++) {
            counts[i] += other.counts[i];
        }
        total += other.total;
        max = Math.max(max, other.max);
    }

    public long total() {
        return total;
    }

    /** The largest value recorded, exact; 0 when empty. */
    public long max() {
        return max;
    }

    /**
     * The value at this percentile (50, 99.9...): the middle of the bucket that holds it, never more
     * than the maximum, which is what 100 gives; 0 when empty.
     */
    public long percentile(double percent) {
        if (total == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(percent / 100 * total));
        if (rank >= total) {
            return max;
        }
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return Math.min(max, (lowest(i) + highest(i)) / 2);
            }
        }
        return max;
    }

    /** Values below 2 * 1024 have a bucket each; above, the top 11 bits choose the bucket. */
    static int index(long value) {
        if (value < 2 * SUB_BUCKETS) {
            return (int) value;
        }
        int shift = 63 - Long.numberOfLeadingZeros(value) - SUB_BITS;
        return (shift << SUB_BITS) + (int) (value >>> shift);
    }

    static long lowest(int index) {
        if (index < 2 * SUB_BUCKETS) {
            return index;
        }
        int shift = (index >>> SUB_BITS) - 1;
        return (long) (index - (shift << SUB_BITS)) << shift;
    }

    static long highest(int index) {
        if (index < 2 * SUB_BUCKETS) {
            return index;
        }
        int shift = (index >>> SUB_BITS) - 1;
        return ((long) (index - (shift << SUB_BITS) + 1) << shift) - 1;
    }
}
