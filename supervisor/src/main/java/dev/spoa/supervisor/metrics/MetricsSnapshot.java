package dev.spoa.supervisor.metrics;

import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The agent's numbers at one moment, read once each: what {@code --metrics} serves and what a
 * status line or command shows. Totals are sums of the detailed counts of the same snapshot, so
 * they always agree with them.
 *
 * @param notifiesByMessage   NOTIFY frames handed to the dispatcher, by their first message's name
 *                            ({@value MessageNames#OTHER_LABEL} past 64 names), in the order first seen
 * @param acksByMessage       ACKs handed to their connection, likewise
 * @param errorAcks           ACKs carrying the error variable, for every reason (zeros included)
 * @param ackLatency          from reading the NOTIFY to handing its ACK to the connection
 * @param connectionsAccepted connections accepted since start
 * @param connectionsOpen     connections open now
 * @param disconnects         DISCONNECT frames, by side and status code (only those seen)
 * @param jobsInFlight        jobs sent to a worker and not yet answered
 * @param workersReady        worker indexes served by a live, ready process (a reload's old and new one count once)
 * @param workers             per worker index: the jobs it holds, the results it returned, how often it was restarted
 */
public record MetricsSnapshot(
        Map<String, Long> notifiesByMessage,
        Map<String, Long> acksByMessage,
        Map<ErrorReason, Long> errorAcks,
        Histogram ackLatency,
        long connectionsAccepted,
        long connectionsOpen,
        List<Disconnects> disconnects,
        int jobsInFlight,
        int workersReady,
        List<Worker> workers) {

    public MetricsSnapshot {
        notifiesByMessage = Collections.unmodifiableMap(new LinkedHashMap<>(notifiesByMessage));
        acksByMessage = Collections.unmodifiableMap(new LinkedHashMap<>(acksByMessage));
        errorAcks = Collections.unmodifiableMap(new EnumMap<>(errorAcks));
        disconnects = List.copyOf(disconnects);
        workers = List.copyOf(workers);
    }

    public long notifies() {
        return notifiesByMessage.values().stream().mapToLong(Long::longValue).sum();
    }

    /** ACKs handed to connections: the requests served, error answers included. */
    public long acks() {
        return acksByMessage.values().stream().mapToLong(Long::longValue).sum();
    }

    public long errors() {
        return errorAcks.values().stream().mapToLong(Long::longValue).sum();
    }

    public long workerRestarts() {
        return workers.stream().mapToLong(Worker::restarts).sum();
    }

    /** @param status the status code, or "other" for one above 99 */
    public record Disconnects(DisconnectSide side, String status, long count) {
    }

    /**
     * @param queueDepth jobs its worker holds now
     * @param results    results its workers returned (late ones included), over every incarnation
     * @param restarts   times the worker serving this index ended unexpectedly and was replaced
     */
    public record Worker(int index, int queueDepth, long results, long restarts) {
    }

    /**
     * @param buckets cumulative, by increasing upper bound; the last one's bound is +Infinity and its count is the total
     */
    public record Histogram(List<Bucket> buckets, double sumSeconds) {
        public Histogram {
            buckets = List.copyOf(buckets);
            if (buckets.isEmpty() || buckets.get(buckets.size() - 1).upperBoundSeconds() != Double.POSITIVE_INFINITY) {
                throw new IllegalArgumentException("a histogram ends with the +Inf bucket");
            }
        }

        public long count() {
            return buckets.get(buckets.size() - 1).cumulativeCount();
        }
    }

    public record Bucket(double upperBoundSeconds, long cumulativeCount) {
    }
}
