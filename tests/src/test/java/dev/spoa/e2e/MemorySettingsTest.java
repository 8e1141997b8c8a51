package dev.spoa.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.spoa.testkit.AgentProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The memory settings bin/spoa-supervisor gives the front reach the workers: two glibc arenas
 * unless the operator chose otherwise, and one code heap (see docs/BENCHMARKS.md, memory).
 */
class MemorySettingsTest {

    /** A process's variable, read from /proc, as the C library it runs will read it. */
    private static Optional<String> variable(ProcessHandle process, String name) throws IOException {
        byte[] environ = Files.readAllBytes(Path.of("/proc", Long.toString(process.pid()), "environ"));
        return Arrays.stream(new String(environ, StandardCharsets.UTF_8).split("\0"))
                .filter(entry -> entry.startsWith(name + "="))
                .map(entry -> entry.substring(name.length() + 1))
                .findFirst();
    }

    private static List<String> commandLine(ProcessHandle process) throws IOException {
        byte[] cmdline = Files.readAllBytes(Path.of("/proc", Long.toString(process.pid()), "cmdline"));
        return List.of(new String(cmdline, StandardCharsets.UTF_8).split("\0"));
    }

    @Test
    void theFrontAndItsWorkersRunWithTwoArenasAndOneCodeHeap() throws Exception {
        assumeTrue(System.getenv("MALLOC_ARENA_MAX") == null, "this test's own environment sets MALLOC_ARENA_MAX");
        try (AgentProcess agent = TestAgent.start(AgentProcess.freePort(), 2)) {
            List<ProcessHandle> workers = agent.workers();
            assertEquals(2, workers.size(), agent.log());
            assertEquals(Optional.of("2"), variable(agent.process().toHandle(), "MALLOC_ARENA_MAX"));
            assertTrue(commandLine(agent.process().toHandle()).contains("-XX:-SegmentedCodeCache"));
            for (ProcessHandle worker : workers) {
                assertEquals(Optional.of("2"), variable(worker, "MALLOC_ARENA_MAX"), "worker " + worker.pid());
                assertTrue(commandLine(worker).contains("-XX:-SegmentedCodeCache"), "worker " + worker.pid());
            }
        }
    }

    @Test
    void anOperatorsArenaCountStands() throws Exception {
        List<String> arguments = List.of("-f", TestAgent.script("e2e.lua"), "-p", Integer.toString(AgentProcess.freePort()), "-n", "1");
        try (AgentProcess agent = AgentProcess.start(arguments, 1, Map.of("MALLOC_ARENA_MAX", "4"))) {
            List<ProcessHandle> workers = agent.workers();
            assertEquals(1, workers.size(), agent.log());
            assertEquals(Optional.of("4"), variable(workers.get(0), "MALLOC_ARENA_MAX"));
        }
    }
}
