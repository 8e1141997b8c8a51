package dev.spoa.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spoa.protocol.Ack;
import dev.spoa.protocol.Argument;
import dev.spoa.protocol.Message;
import dev.spoa.protocol.Notify;
import dev.spoa.protocol.TypedData;
import dev.spoa.testkit.AgentProcess;
import dev.spoa.testkit.SpopClient;
import dev.spoa.testkit.Wait;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Under a steady pipelined load over 16 connections, a random worker is SIGKILLed every 500 ms for
 * 20 s. Every NOTIFY must still get exactly one ACK with its own stream-id/frame-id, carrying
 * either the handler's answer or the error variable, and all the workers must be back at the end.
 */
class ChaosTest {
    private static final int CONNECTIONS = 16;
    private static final int IN_FLIGHT = 4;
    private static final int WORKERS = 5;
    private static final Duration CHAOS = Duration.ofSeconds(20);
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Set<String> ERRORS = Set.of("worker-died", "timeout", "overloaded");

    @Test
    void killingWorkersUnderLoadLosesNoAck() throws Exception {
        int port = AgentProcess.freePort();
        try (AgentProcess agent = TestAgent.start(port, WORKERS)) {
            AtomicBoolean sending = new AtomicBoolean(true);
            AtomicLong answered = new AtomicLong();
            Map<String, AtomicLong> errorAcks = new java.util.concurrent.ConcurrentHashMap<>();
            ExecutorService pool = Executors.newFixedThreadPool(CONNECTIONS);
            List<Future<?>> clients = new ArrayList<>();
            for (int c = 0; c < CONNECTIONS; c++) {
                int connection = c;
                clients.add(pool.submit(() -> {
                    drive(port, connection, sending, answered, errorAcks);
                    return null;
                }));
            }
            SplittableRandom random = new SplittableRandom(500);
            int kills = 0;
            long end = System.nanoTime() + CHAOS.toNanos();
            while (System.nanoTime() < end) {
                Thread.sleep(500);
                List<ProcessHandle> workers = agent.workers();
                if (!workers.isEmpty()) {
                    workers.get(random.nextInt(workers.size())).destroyForcibly();
                    kills++;
                }
            }
            sending.set(false);
            for (Future<?> client : clients) {
                client.get(); // every connection got an ACK for every NOTIFY it sent
            }
            pool.shutdown();
            System.out.printf("chaos: %d workers killed, %,d NOTIFYs answered, error variable by reason: %s%n",
                    kills, answered.get(), errorAcks);
            assertTrue(kills >= 30, "killed " + kills);

            // All workers are back, and they serve the handler's own answers again.
            assertTrue(Wait.until(WAIT, () -> agent.workers().size() == WORKERS), agent.log());
            try (SpopClient client = SpopClient.connect(SpopClient.tcp(port), WAIT)) {
                int served = 0;
                for (int i = 0; i < 200 && served < 20; i++) {
                    client.notify(2L * i + 1, 1, List.of(new Message("count", List.of(new Argument("n", new TypedData.Int64(i))))));
                    Map<String, TypedData> vars = AgentProtocolTest.vars(assertInstanceOf(Ack.class, client.receive(WAIT)));
                    if (vars.containsKey("next")) {
                        assertEquals(new TypedData.Int64(i + 1), vars.get("next"));
                        served++;
                    } else {
                        Thread.sleep(100); // a worker still starting: overloaded is the right answer meanwhile
                    }
                }
                assertEquals(20, served, "the workers serve again");
            }
        }
    }

    private static void drive(int port, int connection, AtomicBoolean sending, AtomicLong answered, Map<String, AtomicLong> errorAcks)
            throws Exception {
        try (SpopClient client = SpopClient.connect(SpopClient.tcp(port), WAIT)) {
            Map<Long, Long> outstanding = new HashMap<>();
            long nextStream = 1;
            while (sending.get() || !outstanding.isEmpty()) {
                List<Notify> batch = new ArrayList<>();
                while (sending.get() && outstanding.size() < IN_FLIGHT) {
                    long n = (long) connection * 1_000_000_000L + nextStream;
                    outstanding.put(nextStream, n);
                    batch.add(new Notify(nextStream, 1, List.of(new Message("count", List.of(new Argument("n", new TypedData.Int64(n)))))));
                    nextStream += 2;
                }
                if (!batch.isEmpty()) {
                    client.sendAll(batch);
                }
                Ack ack = assertInstanceOf(Ack.class, client.receive(WAIT), "connection " + connection);
                Long asked = outstanding.remove(ack.streamId());
                assertNotNull(asked, "ACK for stream " + ack.streamId() + ", which is not outstanding");
                assertEquals(1, ack.frameId());
                Map<String, TypedData> vars = AgentProtocolTest.vars(ack);
                if (vars.containsKey("error")) {
                    String reason = ((TypedData.Text) vars.get("error")).asString();
                    assertTrue(ERRORS.contains(reason), "error variable " + reason);
                    errorAcks.computeIfAbsent(reason, r -> new AtomicLong()).incrementAndGet();
                } else {
                    assertEquals(new TypedData.Int64(asked + 1), vars.get("next"), "stream " + ack.streamId());
                }
                answered.incrementAndGet();
            }
        }
    }
}
