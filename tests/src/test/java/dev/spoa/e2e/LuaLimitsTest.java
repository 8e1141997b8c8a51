package dev.spoa.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spoa.protocol.Ack;
import dev.spoa.protocol.Message;
import dev.spoa.protocol.TypedData;
import dev.spoa.testkit.AgentProcess;
import dev.spoa.testkit.SpopClient;
import dev.spoa.testkit.Wait;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The limits of a handler, with real workers: an error is the job's failure and the worker serves
 * on; a handler that fills the heap gets its job answered with the error variable and its worker
 * replaced, while the other worker keeps serving.
 */
class LuaLimitsTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String SCRIPT = """
            local worker = spoa.worker_id()
            calls = 0
            -- Keeps everything it makes, in a global: only a new worker gets the memory back.
            hoard = {}
            spoa.register_message("hog", function(args)
            \tlocal i = 0
            \twhile true do
            \t\ti = i + 1
            \t\thoard[i] = { i, tostring(i) .. string.rep("x", 64) }
            \tend
            end)
            spoa.register_message("fail", function(args)
            \terror("this handler always fails")
            end)
            spoa.register_message("who", function(args)
            \tcalls = calls + 1
            \tspoa.set_var_int32("worker", spoa.scope.txn, worker)
            \tspoa.set_var_int32("calls", spoa.scope.txn, calls)
            end)
            """;

    private static AgentProcess start(Path dir, int port, int workers, String... flags) throws Exception {
        Path script = dir.resolve("limits.lua");
        Files.writeString(script, SCRIPT);
        List<String> arguments = new java.util.ArrayList<>(List.of("-f", script.toString(), "-p", Integer.toString(port), "-n",
                Integer.toString(workers)));
        arguments.addAll(List.of(flags));
        return AgentProcess.start(arguments, workers);
    }

    private static Map<String, TypedData> ask(SpopClient client, long stream, String message) throws Exception {
        client.notify(stream, 1, List.of(new Message(message, List.of())));
        Ack ack = assertInstanceOf(Ack.class, client.receive(WAIT));
        assertEquals(stream, ack.streamId());
        return AgentProtocolTest.vars(ack);
    }

    @Test
    void aHandlerErrorLeavesItsWorkerServing(@TempDir Path dir) throws Exception {
        int port = AgentProcess.freePort();
        try (AgentProcess agent = start(dir, port, 1);
                SpopClient client = SpopClient.connect(SpopClient.tcp(port), WAIT)) {
            List<ProcessHandle> before = agent.workers();
            assertEquals(Map.of("calls", new TypedData.Int32(1), "worker", new TypedData.Int32(0)), ask(client, 1, "who"));
            for (long stream = 2; stream <= 11; stream++) {
                assertEquals(Map.of("error", TypedData.Text.of("handler")), ask(client, stream, "fail"));
            }
            // The same worker, its globals intact: the eleventh call to "who" would say 1 in a new one.
            assertEquals(Map.of("calls", new TypedData.Int32(2), "worker", new TypedData.Int32(0)), ask(client, 12, "who"));
            assertEquals(before, agent.workers(), "no worker was replaced");
            assertTrue(agent.log().contains("this handler always fails"), agent.log());
            assertTrue(!agent.log().contains("generation 1"), agent.log());
        }
    }

    @Test
    void aHandlerThatFillsTheHeapGetsTheErrorVariableAndItsWorkerIsReplaced(@TempDir Path dir) throws Exception {
        int port = AgentProcess.freePort();
        // A small heap fills in a second; a long timeout, so that the answer cannot be the front's "timeout".
        try (AgentProcess agent = start(dir, port, 2, "--worker-heap", "32", "--timeout", "30000", "--grace", "30000");
                SpopClient hog = SpopClient.connect(SpopClient.tcp(port), WAIT);
                SpopClient other = SpopClient.connect(SpopClient.tcp(port), WAIT)) {
            hog.notify(1, 1, List.of(new Message("hog", List.of())));
            // Once the hog is well under way (its job past the packing budget), the other worker answers.
            Thread.sleep(500);
            Map<Integer, Integer> servedBy = new HashMap<>();
            for (long stream = 1; stream <= 5; stream++) {
                Map<String, TypedData> vars = ask(other, stream, "who");
                servedBy.merge(((TypedData.Int32) vars.get("worker")).value(), 1, Integer::sum);
            }

            Ack ack = assertInstanceOf(Ack.class, hog.receive(WAIT));
            assertEquals(Map.of("error", TypedData.Text.of("handler")), AgentProtocolTest.vars(ack), agent.log());
            assertTrue(Wait.until(WAIT, () -> agent.log().contains("(generation 1) ready")), agent.log());
            String log = agent.log();
            assertTrue(log.contains("the handler ran out of memory (the worker's heap is"), log);
            assertTrue(log.contains("ran out of memory (a handler filled the heap; see --worker-heap)"), log);
            System.out.printf("heap filled: the job got error=handler, the worker was replaced; meanwhile 'who' answered by %s%n",
                    servedBy);

            // Both workers serve again: the new one starts with an empty hoard.
            for (long stream = 10; stream <= 13; stream++) {
                assertTrue(ask(other, stream, "who").containsKey("worker"));
            }
        }
    }
}
