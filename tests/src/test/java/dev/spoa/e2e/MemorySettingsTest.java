package dev.spoa.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spoa.testkit.AgentProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
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

    private static List<String> commandLine(ProcessHandle process) {
        return List.of(process.info().arguments().orElseThrow());
    }

    private static AgentProcess start(int workers, String arenas) throws IOException, InterruptedException {
        Map<String, String> environment = new HashMap<>();
        environment.put("MALLOC_ARENA_MAX", arenas); // null: not set, whatever this test's own environment says
        return TestAgent.start(AgentProcess.freePort(), workers, environment);
    }

    @Test
    void theFrontAndItsWorkersRunWithTwoArenasAndOneCodeHeap() throws Exception {
        try (AgentProcess agent = start(2, null)) {
            List<ProcessHandle> workers = agent.workers();
            assertEquals(2, workers.size(), agent.log());
            ProcessHandle front = agent.process().toHandle();
            assertEquals(Optional.of("2"), variable(front, "MALLOC_ARENA_MAX"));
            assertTrue(commandLine(front).contains("-XX:-SegmentedCodeCache"), commandLine(front).toString());
            for (ProcessHandle worker : workers) {
                assertEquals(Optional.of("2"), variable(worker, "MALLOC_ARENA_MAX"), "worker " + worker.pid());
                assertTrue(commandLine(worker).contains("-XX:-SegmentedCodeCache"), commandLine(worker).toString());
            }
        }
    }

    /** See bin/spoa-supervisor: C2 compiles unseen branches rather than traps that discard the front's code when the load changes shape. */
    @Test
    void theFrontsCompilerKeepsNoTrapsForUnseenBranches() throws Exception {
        try (AgentProcess agent = start(1, null)) {
            List<String> front = commandLine(agent.process().toHandle());
            assertTrue(front.contains("-XX:PerMethodTrapLimit=0"), front.toString());
            assertTrue(front.contains("-XX:PerBytecodeTrapLimit=0"), front.toString());
        }
    }

    @Test
    void anOperatorsArenaCountStands() throws Exception {
        try (AgentProcess agent = start(1, "4")) {
            List<ProcessHandle> workers = agent.workers();
            assertEquals(1, workers.size(), agent.log());
            assertEquals(Optional.of("4"), variable(agent.process().toHandle(), "MALLOC_ARENA_MAX"));
            assertEquals(Optional.of("4"), variable(workers.get(0), "MALLOC_ARENA_MAX"));
        }
    }
}
