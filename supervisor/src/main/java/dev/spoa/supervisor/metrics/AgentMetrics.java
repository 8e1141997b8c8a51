package dev.spoa.supervisor.metrics;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Supplier;

/**
 * The agent's counters, kept where things happen and read as one {@link MetricsSnapshot}.
 *
 * <p>The request path pays a few plain increments and no allocation, all on the front's thread,
 * into two {@link Recorder}s (NOTIFYs and the answers given at once or by deadline in one; the
 * workers' answers in the other), and a snapshot adds the two up. NOTIFYs are counted by their first message's name, which the front finds in the
 * frame's bytes ({@link #messageOf}); the slot travels with the job so that its ACK is counted
 * under the same name. The latency of an ACK is measured from the clock reading the dispatcher
 * takes anyway for the job's deadline. What is a state rather than an event (jobs in flight, queue
 * depths, workers ready) is read from the dispatcher at snapshot time only.
 */
public final class AgentMetrics {
    private final MessageNames messages = new MessageNames();
    private final Recorder front;
    private final Recorder results;
    private final AtomicLongArray restarts;
    private final Supplier<LiveState> live;

    /**
     * @param workers how many worker indexes there are
     * @param live    reads the current jobs and workers; called for each snapshot, from the snapshot's thread
     */
    public AgentMetrics(int workers, Supplier<LiveState> live) {
        this.front = new Recorder(workers);
        this.results = new Recorder(workers);
        this.restarts = new AtomicLongArray(workers);
        this.live = live;
    }

    /** Front thread: the counting slot of a NOTIFY, from its payload's first message name. */
    public int messageOf(byte[] buf, int offset, int length) {
        return messages.indexOf(buf, offset, length);
    }

    /** The counters of NOTIFYs and of the front's own answers (front thread only). */
    public Recorder front() {
        return front;
    }

    /** The counters of the workers' answers (front thread only). */
    public Recorder results() {
        return results;
    }

    /** Any thread: the worker serving this index ended unexpectedly and is being replaced. */
    public void workerRestarted(int worker) {
        if (worker >= 0 && worker < restarts.length()) {
            restarts.incrementAndGet(worker);
        }
    }

    /** Any thread: every number as it is now, each read once. */
    public MetricsSnapshot snapshot() {
        int known = messages.size();
        Map<String, Long> notifies = new LinkedHashMap<>();
        Map<String, Long> acks = new LinkedHashMap<>();
        for (int slot = 0; slot < known; slot++) {
            notifies.put(messages.label(slot), sum(front.notifies, results.notifies, slot));
            acks.put(messages.label(slot), sum(front.acks, results.acks, slot));
        }
        long otherNotifies = sum(front.notifies, results.notifies, MessageNames.OTHER);
        long otherAcks = sum(front.acks, results.acks, MessageNames.OTHER);
        if (otherNotifies + otherAcks > 0) {
            notifies.put(MessageNames.OTHER_LABEL, otherNotifies);
            acks.put(MessageNames.OTHER_LABEL, otherAcks);
        }

        Map<ErrorReason, Long> errors = new EnumMap<>(ErrorReason.class);
        for (ErrorReason reason : ErrorReason.values()) {
            errors.put(reason, sum(front.errors, results.errors, reason.ordinal()));
        }

        // The count is the last bucket's running total, so +Inf and _count agree whatever was added meanwhile.
        List<MetricsSnapshot.Bucket> buckets = new ArrayList<>();
        long cumulative = 0;
        for (int bucket = 0; bucket <= Recorder.LATENCY_BOUNDS_NANOS.length; bucket++) {
            cumulative += sum(front.latency, results.latency, bucket);
            double bound = bucket < Recorder.LATENCY_BOUNDS_NANOS.length ? Recorder.LATENCY_BOUNDS_NANOS[bucket] / 1e9
                    : Double.POSITIVE_INFINITY;
            buckets.add(new MetricsSnapshot.Bucket(bound, cumulative));
        }
        double latencySum = (front.latencySumNanos() + results.latencySumNanos()) / 1e9;

        List<MetricsSnapshot.Disconnects> disconnects = new ArrayList<>();
        for (DisconnectSide side : DisconnectSide.values()) {
            for (int status = 0; status <= Recorder.OTHER_STATUS; status++) {
                long count = sum(front.disconnects[side.ordinal()], results.disconnects[side.ordinal()], status);
                if (count > 0) {
                    disconnects.add(new MetricsSnapshot.Disconnects(side,
                            status == Recorder.OTHER_STATUS ? "other" : Integer.toString(status), count));
                }
            }
        }

        // Closed first: whatever happens between the two reads, no more are closed than accepted.
        long closed = front.closed() + results.closed();
        long accepted = front.accepted() + results.accepted();
        LiveState now = live.get();
        List<MetricsSnapshot.Worker> workers = new ArrayList<>();
        for (int worker = 0; worker < restarts.length(); worker++) {
            int depth = worker < now.queueDepthByWorker().length ? now.queueDepthByWorker()[worker] : 0;
            workers.add(new MetricsSnapshot.Worker(worker, depth, sum(front.workerResults, results.workerResults, worker),
                    restarts.get(worker)));
        }
        return new MetricsSnapshot(notifies, acks, errors, new MetricsSnapshot.Histogram(buckets, latencySum), accepted,
                accepted - closed, disconnects, now.jobsInFlight(), now.workersReady(), workers);
    }

    private static long sum(AtomicLongArray a, AtomicLongArray b, int index) {
        return a.get(index) + b.get(index);
    }
}
