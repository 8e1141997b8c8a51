package dev.spoa.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spoa.protocol.Ack;
import dev.spoa.protocol.Argument;
import dev.spoa.protocol.Frame;
import dev.spoa.protocol.Message;
import dev.spoa.protocol.Notify;
import dev.spoa.protocol.TypedData;
import dev.spoa.testkit.AgentProcess;
import dev.spoa.testkit.SpopClient;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * 100,000 NOTIFYs over 8 connections, 16 in flight on each, through the real front and 5 real
 * workers. Every ACK must match an outstanding stream-id/frame-id of its connection and carry the
 * value its NOTIFY asked for, and every worker must have taken a share of the work. Each job loops
 * a while in Lua (tens of µs): the front packs the jobs of a fast handler onto few workers, and
 * spreads them only when a worker's queue would hold more than a fraction of a millisecond of work.
 */
class PipelinedLoadTest {
    private static final int CONNECTIONS = 8;
    private static final int IN_FLIGHT = 16;
    private static final int TOTAL = 100_000;
    private static final int WORKERS = 5;
    /** Lua loop turns per job: 30-100 µs here, so that at most ~15 jobs queue at one worker. */
    private static final int BUSY = 5_000;
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void everyNotifyGetsItsOwnAckAndAllWorkersShare() throws Exception {
        int port = AgentProcess.freePort();
        try (AgentProcess agent = TestAgent.start(port, WORKERS)) {
            Map<Integer, AtomicLong> perWorker = new ConcurrentHashMap<>();
            ExecutorService pool = Executors.newFixedThreadPool(CONNECTIONS);
            try {
                List<Future<Integer>> results = new ArrayList<>();
                for (int c = 0; c < CONNECTIONS; c++) {
                    int connection = c;
                    results.add(pool.submit(() -> drive(SpopClient.tcp(port), connection, TOTAL / CONNECTIONS, perWorker)));
                }
                int acked = 0;
                for (Future<Integer> result : results) {
                    acked += result.get();
                }
                assertEquals(TOTAL, acked);
            } finally {
                pool.shutdownNow();
            }
            assertEquals(WORKERS, perWorker.size(), "every worker took jobs: " + perWorker);
            for (Map.Entry<Integer, AtomicLong> share : perWorker.entrySet()) {
                assertTrue(share.getValue().get() > TOTAL / (WORKERS * 20), "worker " + share.getKey() + " did " + share.getValue());
            }
            System.out.println("jobs per worker: " + perWorker);
        }
    }

    /** One connection: keeps IN_FLIGHT NOTIFYs outstanding, checks each ACK against what was asked. */
    private static int drive(SocketAddress address, int connection, int count, Map<Integer, AtomicLong> perWorker) throws Exception {
        try (SpopClient client = SpopClient.connect(address, WAIT)) {
            Map<Long, Long> outstanding = new HashMap<>(); // stream-id -> n asked
            long nextStream = 1;
            int sent = 0;
            int acked = 0;
            while (acked < count) {
                List<Notify> batch = new ArrayList<>();
                while (sent < count && outstanding.size() < IN_FLIGHT) {
                    long n = (long) connection * 1_000_000_000L + sent;
                    outstanding.put(nextStream, n);
                    batch.add(new Notify(nextStream, 1, List.of(new Message("count", List.of(new Argument("n", new TypedData.Int64(n)),
                            new Argument("busy", new TypedData.Int32(BUSY)))))));
                    nextStream += 2;
                    sent++;
                }
                if (!batch.isEmpty()) {
                    client.sendAll(batch);
                }
                Frame frame = client.receive(WAIT);
                Ack ack = assertInstanceOf(Ack.class, frame, "connection " + connection + " after " + acked + " ACKs");
                Long asked = outstanding.remove(ack.streamId());
                assertNotNull(asked, "ACK for stream " + ack.streamId() + " that is not outstanding");
                assertEquals(1, ack.frameId());
                Map<String, TypedData> vars = AgentProtocolTest.vars(ack);
                assertEquals(new TypedData.Int64(asked + 1), vars.get("next"), "stream " + ack.streamId());
                int worker = ((TypedData.Int32) vars.get("worker")).value();
                perWorker.computeIfAbsent(worker, w -> new AtomicLong()).incrementAndGet();
                acked++;
            }
            return acked;
        }
    }
}
