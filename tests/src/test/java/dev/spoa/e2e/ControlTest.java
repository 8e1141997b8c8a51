package dev.spoa.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spoa.protocol.Ack;
import dev.spoa.protocol.Argument;
import dev.spoa.protocol.Message;
import dev.spoa.protocol.TypedData;
import dev.spoa.testkit.AgentProcess;
import dev.spoa.testkit.SpopClient;
import dev.spoa.testkit.Wait;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code status}, {@code reload} and {@code stop} against an agent started with {@code --pid-file}, as an operator runs them. */
class ControlTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    private record Outcome(int status, String output) {
    }

    private static Outcome run(String... arguments) throws Exception {
        AgentProcess command = AgentProcess.launch(List.of(arguments));
        try {
            assertTrue(command.process().waitFor(60, TimeUnit.SECONDS), "exits by itself:\n" + command.log());
            return new Outcome(command.process().exitValue(), command.log());
        } finally {
            command.close();
        }
    }

    private static String statusOutput(Path pidFile, Path runDirs) {
        try {
            return run("status", "--pid-file", pidFile.toString(), "--run-dir", runDirs.toString()).output();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void statusReloadAndStopFindTheAgentThroughItsPidFile(@TempDir Path dir) throws Exception {
        Path pidFile = dir.resolve("spoa.pid");
        Path runDirs = Files.createDirectory(dir.resolve("run"));
        int port = AgentProcess.freePort();
        try (AgentProcess agent = TestAgent.start(port, 2, "--pid-file", pidFile.toString(), "--run-dir", runDirs.toString())) {
            assertEquals(agent.process().pid(), Long.parseLong(Files.readString(pidFile).strip()));
            try (SpopClient client = SpopClient.connect(SpopClient.tcp(port), WAIT)) {
                for (long stream = 1; stream <= 3; stream++) {
                    client.notify(stream, 1, List.of(new Message("count", List.of(new Argument("n", new TypedData.Int64(stream))))));
                    assertInstanceOf(Ack.class, client.receive(WAIT));
                }
                client.notify(7, 1, List.of(new Message("fail", List.of())));
                assertInstanceOf(Ack.class, client.receive(WAIT));
                // The worker's line about it names the frame as the front's lines do.
                assertTrue(Wait.until(WAIT, () -> agent.log().lines().anyMatch(line -> line.contains("[worker-")
                        && line.contains("connection 1: stream 7 frame 1 (job ") && line.contains("this handler always fails"))),
                        agent.log());
                // The report is rewritten every five seconds: wait for one that has seen all four.
                assertTrue(Wait.until(WAIT, () -> statusOutput(pidFile, runDirs)
                        .contains("NOTIFYs: 4 received, 4 answered, 1 of them with the error variable (handler 1,")));
                Outcome status = run("status", "--pid-file", pidFile.toString(), "--run-dir", runDirs.toString());
                assertEquals(0, status.status(), status.output());
                assertTrue(status.output().contains("spoa pid " + agent.process().pid() + ", up "), status.output());
                assertTrue(status.output().contains("workers: 2 of 2 ready, 0 restarts"), status.output());
                assertTrue(status.output().contains("connections: 1 open, 1 accepted"), status.output());
                for (ProcessHandle worker : agent.workers()) {
                    assertTrue(status.output().contains(" " + worker.pid() + " "), "worker pid " + worker.pid() + " in\n" + status.output());
                }
            }

            Outcome reload = run("reload", "--pid-file", pidFile.toString());
            assertEquals(0, reload.status(), reload.output());
            assertTrue(Wait.until(WAIT, () -> agent.log().contains("reload done")), agent.log());

            Outcome stop = run("stop", "--pid-file", pidFile.toString());
            assertEquals(0, stop.status(), stop.output());
            assertTrue(stop.output().contains("stopped the agent (pid " + agent.process().pid() + ")"), stop.output());
            assertFalse(agent.process().isAlive(), "stop returns once the agent is gone");
            assertEquals(0, agent.process().exitValue());
            assertFalse(Files.exists(pidFile), "the agent removes its pid file");

            Outcome notRunning = run("status", "--pid-file", pidFile.toString());
            assertEquals(1, notRunning.status());
            assertEquals("spoa-supervisor: no pid file " + pidFile + ": is the agent running (start --pid-file " + pidFile + ")?",
                    notRunning.output().strip());
        }
    }

    @Test
    void startDaemonReturnsOnceTheAgentServesAndStopEndsIt(@TempDir Path dir) throws Exception {
        Path pidFile = dir.resolve("spoa.pid");
        Path log = dir.resolve("spoa.log");
        int port = AgentProcess.freePort();
        Outcome start = run("start", "--daemon", "--pid-file", pidFile.toString(), "--log-file", log.toString(), "-f",
                TestAgent.script("e2e.lua"), "-p", Integer.toString(port), "-n", "2");
        long pid = 0;
        try {
            assertEquals(0, start.status(), start.output());
            pid = Long.parseLong(Files.readString(pidFile).strip());
            assertTrue(start.output().contains("spoa-supervisor: started in the background (pid " + pid + ")"), start.output());
            try (SpopClient client = SpopClient.connect(SpopClient.tcp(port), WAIT)) {
                client.notify(1, 1, List.of(new Message("count", List.of(new Argument("n", new TypedData.Int64(41))))));
                assertEquals(new TypedData.Int64(42), AgentProtocolTest.vars(assertInstanceOf(Ack.class, client.receive(WAIT))).get("next"),
                        "its workers were ready when start returned");
            }
            Outcome stop = run("stop", "--pid-file", pidFile.toString());
            assertEquals(0, stop.status(), stop.output());
            assertTrue(Files.readString(log).contains("stopped"), "its log went to the file");
        } finally {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }

        Outcome noPidFile = run("start", "--daemon", "--log-file", log.toString(), "-f", TestAgent.script("e2e.lua"));
        assertEquals(2, noPidFile.status());
        assertTrue(noPidFile.output().contains("--daemon needs --pid-file"), noPidFile.output());
    }
}
