package dev.spoa.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spoa.testkit.AgentProcess;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an operator sees when something is wrong before start: one clear line on stderr, a non-zero
 * exit status, no stack trace, and no worker started.
 */
class CommandLineTest {

    private record Outcome(int status, String output) {
        String onlyLine() {
            List<String> lines = output.lines().filter(line -> !line.isBlank()).toList();
            assertEquals(1, lines.size(), "one line, not:\n" + output);
            assertFalse(output.contains("\tat "), "no stack trace:\n" + output);
            return lines.get(0);
        }
    }

    private static Outcome run(String... arguments) throws Exception {
        AgentProcess agent = AgentProcess.launch(List.of(arguments));
        try {
            assertTrue(agent.process().waitFor(60, TimeUnit.SECONDS), "exits by itself:\n" + agent.log());
            return new Outcome(agent.process().exitValue(), agent.log());
        } finally {
            agent.close();
        }
    }

    @Test
    void unknownFlag() throws Exception {
        Outcome outcome = run("start", "-f", TestAgent.script("e2e.lua"), "--no-such-flag");
        assertEquals(2, outcome.status());
        assertTrue(outcome.onlyLine().startsWith("spoa-supervisor: "), outcome.output());
        assertTrue(outcome.output().contains("--no-such-flag"), outcome.output());
    }

    @Test
    void badValues() throws Exception {
        assertEquals(2, run("start", "-f", TestAgent.script("e2e.lua"), "-p", "70000").status());
        assertEquals(2, run("start", "-f", TestAgent.script("e2e.lua"), "-n", "zero").status());
        Outcome heap = run("start", "-f", TestAgent.script("e2e.lua"), "--worker-heap", "5");
        assertEquals(2, heap.status());
        assertTrue(heap.onlyLine().contains("--worker-heap must be between 16 and 65536 (MB): 5"), heap.output());
        Outcome noScript = run("start", "-p", "12345");
        assertEquals(2, noScript.status());
        assertTrue(noScript.onlyLine().contains("-f/--file"), noScript.output());
    }

    @Test
    void missingScript(@TempDir Path dir) throws Exception {
        Outcome outcome = run("start", "-f", dir.resolve("nowhere.lua").toString(), "-p", Integer.toString(AgentProcess.freePort()));
        assertEquals(1, outcome.status());
        assertTrue(outcome.onlyLine().contains("nowhere.lua"), outcome.output());
    }

    @Test
    void scriptThatDoesNotParse(@TempDir Path dir) throws Exception {
        Path script = dir.resolve("broken.lua");
        Files.writeString(script, "spoa.register_message(\"x\", function(args)\n  local = 1\nend)\n");
        Outcome outcome = run("start", "-f", script.toString(), "-p", Integer.toString(AgentProcess.freePort()));
        assertEquals(1, outcome.status());
        assertTrue(outcome.onlyLine().contains("broken.lua:2"), "file:line of the error: " + outcome.output());
    }

    @Test
    void portInUse() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Outcome outcome = run("start", "-f", TestAgent.script("e2e.lua"), "-p", Integer.toString(taken.getLocalPort()));
            assertEquals(1, outcome.status(), outcome.output());
            String line = outcome.onlyLine();
            assertTrue(line.contains("cannot listen on 127.0.0.1:" + taken.getLocalPort()), line);
        }
    }

    @Test
    void helpIsAnAnswerNotAnError() throws Exception {
        Outcome outcome = run("start", "--help");
        assertEquals(0, outcome.status());
        assertTrue(outcome.output().contains("--workers"), outcome.output());
    }
}
