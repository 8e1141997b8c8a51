package dev.spoa.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spoa.protocol.Ack;
import dev.spoa.protocol.Message;
import dev.spoa.protocol.Notify;
import dev.spoa.protocol.TypedData;
import dev.spoa.testkit.AgentProcess;
import dev.spoa.testkit.SpopClient;
import dev.spoa.testkit.Wait;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGHUP under a steady pipelined load: a changed script takes over with no failed request; a
 * broken one, or one that only fails inside a worker, is refused with a clear line while the
 * running script keeps answering, again with no failed request.
 */
class ReloadTest {
    private static final int WORKERS = 3;
    private static final int CONNECTIONS = 4;
    private static final int IN_FLIGHT = 4;
    private static final Duration WAIT = Duration.ofSeconds(60);

    private static String script(int version) {
        return "spoa.register_message(\"version\", function(args)\n"
                + "\tspoa.set_var_int32(\"v\", spoa.scope.txn, " + version + ")\n"
                + "end)\n";
    }

    @Test
    void sighupSwapsTheScriptUnderLoadAndRefusesOneThatDoesNotLoad(@TempDir Path dir) throws Exception {
        Path script = dir.resolve("handler.lua");
        Files.writeString(script, script(1));
        int port = AgentProcess.freePort();
        try (AgentProcess agent = AgentProcess.start(List.of("-f", script.toString(), "-p", Integer.toString(port),
                "-n", Integer.toString(WORKERS)), WORKERS)) {
            AtomicBoolean sending = new AtomicBoolean(true);
            AtomicLong answered = new AtomicLong();
            Map<Integer, AtomicLong> byVersion = new ConcurrentHashMap<>();
            Map<String, AtomicLong> failures = new ConcurrentHashMap<>();
            AtomicInteger latest = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(CONNECTIONS);
            List<Future<?>> clients = new ArrayList<>();
            for (int c = 0; c < CONNECTIONS; c++) {
                int connection = c;
                clients.add(pool.submit(() -> {
                    drive(port, connection, sending, answered, byVersion, failures, latest);
                    return null;
                }));
            }
            try {
                assertTrue(Wait.until(WAIT, () -> answered.get() > 1000), "load is flowing");

                Files.writeString(script, script(2));
                agent.signal("HUP");
                assertTrue(Wait.until(WAIT, () -> agent.log().contains("reload done")), agent.log());
                long answeredAtSwap = answered.get();
                assertTrue(Wait.until(WAIT, () -> answered.get() > answeredAtSwap + 1000));
                assertEquals(2, latest.get(), "the new script answers");

                // Does not compile: refused at once.
                Files.writeString(script, "spoa.register_message(\"version\", function(args)\n");
                agent.signal("HUP");
                assertTrue(Wait.until(WAIT, () -> agent.log().contains("reload refused, the workers keep the script they run: "
                        + script + ":")), agent.log());

                // Loads in the front but fails in every worker: refused once a fresh worker could not start with it.
                Files.writeString(script, "if os.getenv(\"SPOA_WORKER_INDEX\") then error(\"only in a worker\") end\n" + script(3));
                agent.signal("HUP");
                assertTrue(Wait.until(WAIT, () -> agent.log().contains("reload refused: a worker with the new script did not start")),
                        agent.log());
                long answeredAtRefusal = answered.get();
                assertTrue(Wait.until(WAIT, () -> answered.get() > answeredAtRefusal + 1000));
                assertEquals(2, latest.get(), "the script that was running still answers");
            } finally {
                sending.set(false);
                for (Future<?> client : clients) {
                    client.get(); // every NOTIFY sent got its ACK
                }
                pool.shutdown();
            }
            System.out.printf("reload: %,d NOTIFYs answered, by script version %s, failures %s%n", answered.get(), byVersion, failures);
            assertEquals(Map.of(), failures, "no request failed");
            assertEquals(Set.of(1, 2), byVersion.keySet(), "version 3 never ran");
            assertTrue(Wait.until(WAIT, () -> agent.workers().size() == WORKERS), "the refused worker is gone: " + agent.workers());
            assertTrue(agent.log().contains(script + ":1: only in a worker"), "the worker said why:\n" + agent.log());
        }
    }

    private static void drive(int port, int connection, AtomicBoolean sending, AtomicLong answered, Map<Integer, AtomicLong> byVersion,
            Map<String, AtomicLong> failures, AtomicInteger latest) throws Exception {
        try (SpopClient client = SpopClient.connect(SpopClient.tcp(port), WAIT)) {
            Set<Long> outstanding = new HashSet<>();
            long nextStream = 1;
            while (sending.get() || !outstanding.isEmpty()) {
                List<Notify> batch = new ArrayList<>();
                while (sending.get() && outstanding.size() < IN_FLIGHT) {
                    outstanding.add(nextStream);
                    batch.add(new Notify(nextStream, 1, List.of(new Message("version", List.of()))));
                    nextStream++;
                }
                if (!batch.isEmpty()) {
                    client.sendAll(batch);
                }
                Ack ack = assertInstanceOf(Ack.class, client.receive(WAIT), "connection " + connection);
                assertTrue(outstanding.remove(ack.streamId()), "ACK for stream " + ack.streamId() + ", which is not outstanding");
                Map<String, TypedData> vars = AgentProtocolTest.vars(ack);
                TypedData version = vars.get("v");
                if (version == null) {
                    String reason = vars.get("error") instanceof TypedData.Text text ? text.asString() : vars.toString();
                    failures.computeIfAbsent(reason, r -> new AtomicLong()).incrementAndGet();
                } else {
                    int v = assertInstanceOf(TypedData.Int32.class, version).value();
                    byVersion.computeIfAbsent(v, k -> new AtomicLong()).incrementAndGet();
                    latest.set(v);
                }
                answered.incrementAndGet();
            }
        }
    }
}
