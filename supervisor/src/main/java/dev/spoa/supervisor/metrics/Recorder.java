package dev.spoa.supervisor.metrics;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The counters one thread updates on the request path: plain increments of slots only that thread
 * writes, published with release stores, so that counting costs no lock, no atomic
 * read-modify-write and no allocation; any thread reads them (volatile loads) for a snapshot.
 * {@link AgentMetrics} keeps one for NOTIFYs and the front's own answers, one for the workers' answers, and adds
 * them up. Called from a second thread, increments would be lost (never torn).
 */
public final class Recorder {
    /** Upper bounds of the ACK latency buckets, in nanoseconds (Prometheus' usual 0.1 ms .. 10 s, and 50 µs below). */
    static final long[] LATENCY_BOUNDS_NANOS = {
        50_000, 100_000, 250_000, 500_000,
        1_000_000, 2_500_000, 5_000_000, 10_000_000, 25_000_000, 50_000_000, 100_000_000, 250_000_000, 500_000_000,
        1_000_000_000, 2_500_000_000L, 5_000_000_000L, 10_000_000_000L,
    };
    /** Status codes 0..99 are counted each apart (the assigned ones are 0..13 and 99); any other in one slot. */
    static final int OTHER_STATUS = 100;

    private static final int ACCEPTED = 0;
    private static final int CLOSED = 1;
    private static final int LATENCY_SUM_NANOS = 2;

    final AtomicLongArray notifies = new AtomicLongArray(MessageNames.SLOTS);
    final AtomicLongArray acks = new AtomicLongArray(MessageNames.SLOTS);
    final AtomicLongArray errors = new AtomicLongArray(ErrorReason.values().length);
    /** Not cumulative: one slot per bucket, the last for what exceeds every bound. */
    final AtomicLongArray latency = new AtomicLongArray(LATENCY_BOUNDS_NANOS.length + 1);
    final AtomicLongArray[] disconnects = new AtomicLongArray[DisconnectSide.values().length];
    /** By worker index. */
    final AtomicLongArray workerResults;
    private final AtomicLongArray scalars = new AtomicLongArray(3);

    Recorder(int workers) {
        workerResults = new AtomicLongArray(workers);
        for (int side = 0; side < disconnects.length; side++) {
            disconnects[side] = new AtomicLongArray(OTHER_STATUS + 1);
        }
    }

    /** The owner's increment: its own plain read, then a release store (no lock prefix on x86). */
    private static void add(AtomicLongArray counters, int index, long delta) {
        counters.setRelease(index, counters.getPlain(index) + delta);
    }

    /** A NOTIFY handed to the dispatcher; {@code message} from {@link AgentMetrics#messageOf}. */
    public void notified(int message) {
        add(notifies, message, 1);
    }

    /** An ACK handed to its connection, {@code latencyNanos} after its NOTIFY was read. */
    public void answered(int message, long latencyNanos) {
        add(acks, message, 1);
        long nanos = Math.max(0, latencyNanos);
        int bucket = 0;
        while (bucket < LATENCY_BOUNDS_NANOS.length && nanos > LATENCY_BOUNDS_NANOS[bucket]) {
            bucket++;
        }
        add(latency, bucket, 1);
        add(scalars, LATENCY_SUM_NANOS, nanos);
    }

    /** An ACK that carries the error variable (counted as answered too, where it was handed over). */
    public void failed(ErrorReason reason) {
        add(errors, reason.ordinal(), 1);
    }

    /** A result returned by the worker of this index (a late one too: the worker did the work). */
    public void resultReturned(int worker) {
        if (worker < workerResults.length()) {
            add(workerResults, worker, 1);
        }
    }

    public void connectionAccepted() {
        add(scalars, ACCEPTED, 1);
    }

    public void connectionClosed() {
        add(scalars, CLOSED, 1);
    }

    /** A DISCONNECT frame sent ({@link DisconnectSide#AGENT}) or received, with its status code. */
    public void disconnected(DisconnectSide side, long statusCode) {
        int slot = statusCode >= 0 && statusCode < OTHER_STATUS ? (int) statusCode : OTHER_STATUS;
        add(disconnects[side.ordinal()], slot, 1);
    }

    long accepted() {
        return scalars.get(ACCEPTED);
    }

    long closed() {
        return scalars.get(CLOSED);
    }

    long latencySumNanos() {
        return scalars.get(LATENCY_SUM_NANOS);
    }
}
