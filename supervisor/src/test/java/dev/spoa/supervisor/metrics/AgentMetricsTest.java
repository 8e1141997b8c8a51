package dev.spoa.supervisor.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AgentMetricsTest {
    private static final LiveState IDLE = new LiveState(0, 0, new int[2]);

    /** A NOTIFY payload: each message with no argument. */
    static byte[] payload(String... names) {
        List<byte[]> parts = Arrays.stream(names).map(name -> name.getBytes(StandardCharsets.UTF_8)).toList();
        int length = parts.stream().mapToInt(part -> part.length + 2).sum();
        byte[] buf = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            assertTrue(part.length < 240, "one-byte lengths only here");
            buf[at++] = (byte) part.length;
            System.arraycopy(part, 0, buf, at, part.length);
            at += part.length;
            buf[at++] = 0; // no argument
        }
        return buf;
    }

    private static int notified(AgentMetrics metrics, String... names) {
        byte[] buf = payload(names);
        int message = metrics.messageOf(buf, 0, buf.length);
        metrics.front().notified(message);
        return message;
    }

    @Test
    void countsNotifiesAndAcksByFirstMessageOnEitherThread() {
        AgentMetrics metrics = new AgentMetrics(2, () -> IDLE);
        int ip = notified(metrics, "check-client-ip");
        int ipAgain = notified(metrics, "check-client-ip", "second-message-not-counted");
        int fail = notified(metrics, "fail");
        assertEquals(ip, ipAgain);
        metrics.results().answered(ip, 1_000);
        metrics.front().answered(ipAgain, 1_000); // a timeout, say: the front's thread answers it
        metrics.results().answered(fail, 1_000);
        metrics.results().failed(ErrorReason.HANDLER);

        MetricsSnapshot snapshot = metrics.snapshot();
        assertEquals(Map.of("check-client-ip", 2L, "fail", 1L), snapshot.notifiesByMessage());
        assertEquals(Map.of("check-client-ip", 2L, "fail", 1L), snapshot.acksByMessage());
        assertEquals(List.of("check-client-ip", "fail"), List.copyOf(snapshot.notifiesByMessage().keySet()), "in the order first seen");
        assertEquals(3, snapshot.notifies());
        assertEquals(3, snapshot.acks());
        assertEquals(1, snapshot.errors());
        assertEquals(1L, snapshot.errorAcks().get(ErrorReason.HANDLER));
        assertEquals(0L, snapshot.errorAcks().get(ErrorReason.TIMEOUT), "every reason is there, zeros too");
        assertEquals(ErrorReason.values().length, snapshot.errorAcks().size());
    }

    @Test
    void namesPastTheCapAndNotifiesWithoutMessageShareOneSlot() {
        AgentMetrics metrics = new AgentMetrics(1, () -> IDLE);
        for (int i = 0; i < MessageNames.CAPACITY + 10; i++) {
            notified(metrics, "message-" + i);
            notified(metrics, "message-" + i); // found again, by hash or as the last one
        }
        notified(metrics, "message-3");
        metrics.front().notified(metrics.messageOf(new byte[0], 0, 0));
        Map<String, Long> counts = metrics.snapshot().notifiesByMessage();
        assertEquals(MessageNames.CAPACITY + 1, counts.size());
        assertEquals(3L, counts.get("message-3"));
        assertEquals(2L, counts.get("message-" + (MessageNames.CAPACITY - 1)));
        assertEquals(2L * 10 + 1, counts.get(MessageNames.OTHER_LABEL));
        assertEquals(2L * (MessageNames.CAPACITY + 10) + 2, metrics.snapshot().notifies());
    }

    @Test
    void latencyGoesToTheFirstBucketThatHoldsIt() {
        AgentMetrics metrics = new AgentMetrics(1, () -> IDLE);
        metrics.front().answered(0, 0);
        metrics.front().answered(0, -5); // a clock reading taken for a batch can precede the job: counted as 0
        metrics.results().answered(0, TimeUnit.MICROSECONDS.toNanos(50)); // on the bound: in that bucket
        metrics.results().answered(0, TimeUnit.MICROSECONDS.toNanos(51));
        metrics.results().answered(0, TimeUnit.MILLISECONDS.toNanos(3));
        metrics.results().answered(0, TimeUnit.SECONDS.toNanos(20));
        MetricsSnapshot.Histogram histogram = metrics.snapshot().ackLatency();
        Map<Double, Long> cumulative = new LinkedHashMap<>();
        histogram.buckets().forEach(bucket -> cumulative.put(bucket.upperBoundSeconds(), bucket.cumulativeCount()));
        assertEquals(3L, cumulative.get(0.00005));
        assertEquals(4L, cumulative.get(0.0001));
        assertEquals(4L, cumulative.get(0.0025));
        assertEquals(5L, cumulative.get(0.005));
        assertEquals(5L, cumulative.get(10.0));
        assertEquals(6L, cumulative.get(Double.POSITIVE_INFINITY));
        assertEquals(6, histogram.count());
        assertEquals(0.00005 + 0.000051 + 0.003 + 20, histogram.sumSeconds(), 1e-9);
    }

    @Test
    void connectionsDisconnectsRestartsAndTheLiveState() {
        AgentMetrics metrics = new AgentMetrics(3, () -> new LiveState(7, 2, new int[] {4, 0, 3}));
        metrics.front().connectionAccepted();
        metrics.front().connectionAccepted();
        metrics.front().connectionAccepted();
        metrics.front().connectionClosed();
        metrics.front().disconnected(DisconnectSide.AGENT, 0);
        metrics.front().disconnected(DisconnectSide.AGENT, 0);
        metrics.front().disconnected(DisconnectSide.AGENT, 4);
        metrics.front().disconnected(DisconnectSide.HAPROXY, 99);
        metrics.front().disconnected(DisconnectSide.HAPROXY, 4_000_000_000L);
        metrics.workerRestarted(2);
        metrics.workerRestarted(2);
        metrics.workerRestarted(7); // not an index: ignored
        metrics.results().resultReturned(1);
        metrics.results().resultReturned(7); // not an index: ignored

        MetricsSnapshot snapshot = metrics.snapshot();
        assertEquals(3, snapshot.connectionsAccepted());
        assertEquals(2, snapshot.connectionsOpen());
        assertEquals(List.of(new MetricsSnapshot.Disconnects(DisconnectSide.AGENT, "0", 2),
                new MetricsSnapshot.Disconnects(DisconnectSide.AGENT, "4", 1),
                new MetricsSnapshot.Disconnects(DisconnectSide.HAPROXY, "99", 1),
                new MetricsSnapshot.Disconnects(DisconnectSide.HAPROXY, "other", 1)), snapshot.disconnects());
        assertEquals(List.of(new MetricsSnapshot.Worker(0, 4, 0, 0), new MetricsSnapshot.Worker(1, 0, 1, 0),
                new MetricsSnapshot.Worker(2, 3, 0, 2)), snapshot.workers());
        assertEquals(2, snapshot.workerRestarts());
        assertEquals(7, snapshot.jobsInFlight());
        assertEquals(2, snapshot.workersReady());
    }

    /** The request path's part: finding the message, counting the NOTIFY, its ACK and its latency allocates nothing. */
    @Test
    void countingARequestAllocatesNothing() {
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        AgentMetrics metrics = new AgentMetrics(1, () -> IDLE);
        byte[] ip = payload("check-client-ip");
        byte[] other = payload("count");
        Recorder front = metrics.front();
        Recorder results = metrics.results();
        long checksum = countRequests(metrics, front, results, ip, other, 20_000); // first names are added: they allocate
        long before = threads.getCurrentThreadAllocatedBytes();
        checksum += countRequests(metrics, front, results, ip, other, 1_000_000);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        // One object per request would be 16 MB at least; a few hundred bytes may be the measurement's own.
        assertTrue(allocated < 4096, allocated + " bytes allocated for a million requests");
        assertEquals(1_020_000L, metrics.snapshot().acks());
        assertTrue(checksum > 0);
    }

    private static long countRequests(AgentMetrics metrics, Recorder front, Recorder results, byte[] ip, byte[] other, int count) {
        long checksum = 0;
        for (int i = 0; i < count; i++) {
            byte[] buf = i % 8 == 0 ? other : ip;
            int message = metrics.messageOf(buf, 0, buf.length);
            front.notified(message);
            results.answered(message, i * 1_000L);
            if (i % 100 == 0) {
                results.failed(ErrorReason.HANDLER);
            }
            checksum += message;
        }
        return checksum;
    }
}
