package dev.spoa.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spoa.protocol.Ack;
import dev.spoa.protocol.Argument;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker killed while it holds jobs: the ones it had not answered go to the other worker, which
 * answers them with the handler's variables, not the error variable; a job that kills every worker
 * it runs in is given up after two, with {@code worker-died}.
 */
class WorkerDeathTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** Long enough that the jobs are still within their deadline after a worker died, on a slow machine too. */
    private static final String TIMEOUT_MILLIS = "20000";
    private static final String SCRIPT = """
            local worker = tonumber(os.getenv("SPOA_WORKER_INDEX"))
            -- Busy for args.ms milliseconds, then says who did it.
            spoa.register_message("slow", function(args)
            \tlocal t = os.clock()
            \twhile os.clock() - t < args.ms / 1000 do end
            \tspoa.set_var_int32("worker", spoa.scope.txn, worker)
            end)
            -- Kills the worker that runs it.
            spoa.register_message("die", function(args)
            \tos.exit(3)
            end)
            """;

    private static AgentProcess start(Path dir, int port) throws Exception {
        Path script = dir.resolve("handler.lua");
        Files.writeString(script, SCRIPT);
        return AgentProcess.start(List.of("-f", script.toString(), "-p", Integer.toString(port), "-n", "2", "--timeout", TIMEOUT_MILLIS),
                2);
    }

    @Test
    void theJobsOfAKilledWorkerAreAnsweredByTheOther(@TempDir Path dir) throws Exception {
        int port = AgentProcess.freePort();
        try (AgentProcess agent = start(dir, port);
             SpopClient client = SpopClient.connect(SpopClient.tcp(port), WAIT)) {
            List<Notify> batch = new ArrayList<>();
            for (long stream = 1; stream <= 20; stream++) {
                batch.add(new Notify(stream, 1, List.of(new Message("slow", List.of(new Argument("ms", new TypedData.Int32(200)))))));
            }
            client.sendAll(batch); // ten jobs queue in each worker: about two seconds of work each
            assertTrue(Wait.until(WAIT, () -> agent.log().contains("worker 1 (generation 0) ready")));
            Thread.sleep(500);
            ProcessHandle victim = agent.workers().stream()
                    .filter(worker -> worker.info().commandLine().orElse("").contains("--worker 0 "))
                    .findFirst().orElseThrow();
            victim.destroyForcibly();

            Map<Long, Integer> servedBy = new HashMap<>();
            for (int i = 0; i < 20; i++) {
                Ack ack = assertInstanceOf(Ack.class, client.receive(WAIT));
                Map<String, TypedData> vars = AgentProtocolTest.vars(ack);
                TypedData worker = vars.get("worker");
                assertTrue(worker instanceof TypedData.Int32, "stream " + ack.streamId() + " answered " + vars + "\n" + agent.log());
                servedBy.put(ack.streamId(), ((TypedData.Int32) worker).value());
            }
            assertEquals(20, servedBy.size());
            long byWorker1 = servedBy.values().stream().filter(w -> w == 1).count();
            System.out.printf("killed worker 0 holding jobs: %d of 20 answered by worker 1, none with the error variable%n", byWorker1);
            assertTrue(byWorker1 > 10, "worker 1 took over what worker 0 held: " + servedBy);
            assertTrue(agent.log().contains("sent to other workers"), agent.log());
        }
    }

    @Test
    void aReplacementTakesTheClassesTheFirstWorkersCompiled(@TempDir Path dir) throws Exception {
        // Not loading LuaJC and BCEL at all is most of what makes a replacement fast (docs/LUA.md).
        Path script = dir.resolve("handler.lua");
        Files.writeString(script, SCRIPT);
        int port = AgentProcess.freePort();
        try (AgentProcess agent = AgentProcess.start(List.of("-f", script.toString(), "-p", Integer.toString(port), "-n", "2", "-d"), 2);
             SpopClient client = SpopClient.connect(SpopClient.tcp(port), WAIT)) {
            assertTrue(Wait.until(WAIT, () -> agent.log().contains("worker 1 (generation 0) ready")), agent.log());
            agent.workers().stream().filter(worker -> worker.info().commandLine().orElse("").contains("--worker 0 "))
                    .findFirst().orElseThrow().destroyForcibly();
            assertTrue(Wait.until(WAIT, () -> agent.log().contains("worker 0 (generation 1) ready")), agent.log());
            String log = agent.log();
            String replacement = log.substring(log.indexOf("generation 1"));
            assertTrue(replacement.matches("(?s).*\\[worker-0\\][^\\n]*handler_0: compiled by another worker.*"), log);
            // Ten jobs of 100 ms at once: the replacement takes some, and runs the shared classes.
            List<Notify> batch = new ArrayList<>();
            for (long stream = 1; stream <= 10; stream++) {
                batch.add(new Notify(stream, 1, List.of(new Message("slow", List.of(new Argument("ms", new TypedData.Int32(100)))))));
            }
            client.sendAll(batch);
            List<TypedData> answeredBy = new ArrayList<>();
            for (int i = 0; i < batch.size(); i++) {
                answeredBy.add(AgentProtocolTest.vars(assertInstanceOf(Ack.class, client.receive(WAIT))).get("worker"));
            }
            assertTrue(answeredBy.contains(new TypedData.Int32(0)), "the replacement answered none of " + answeredBy + "\n" + log);
        }
    }

    @Test
    void aJobThatKillsEveryWorkerItRunsInIsGivenUpAfterTwo(@TempDir Path dir) throws Exception {
        int port = AgentProcess.freePort();
        try (AgentProcess agent = start(dir, port);
             SpopClient client = SpopClient.connect(SpopClient.tcp(port), WAIT)) {
            client.notify(1, 1, List.of(new Message("die", List.of())));
            Ack ack = assertInstanceOf(Ack.class, client.receive(WAIT));
            assertEquals(Map.of("error", TypedData.Text.of("worker-died")), AgentProtocolTest.vars(ack));
            assertTrue(agent.log().contains("was running in two workers that both died"), agent.log());

            // Both workers come back and serve.
            assertTrue(Wait.until(WAIT, () -> agent.log().contains("worker 0 (generation 1) ready")
                    && agent.log().contains("worker 1 (generation 1) ready")), agent.log());
            client.notify(3, 1, List.of(new Message("slow", List.of(new Argument("ms", new TypedData.Int32(1))))));
            ack = assertInstanceOf(Ack.class, client.receive(WAIT));
            assertTrue(AgentProtocolTest.vars(ack).containsKey("worker"), AgentProtocolTest.vars(ack).toString());
        }
    }
}
