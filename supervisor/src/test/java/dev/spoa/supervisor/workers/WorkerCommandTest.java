package dev.spoa.supervisor.workers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.spoa.supervisor.TestConfigs;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkerCommandTest {

    private static List<String> heapFlags(String... arguments) {
        WorkerCommand command = new WorkerCommand(TestConfigs.parse(arguments), Path.of("/run/spoa"), "spoa.jar");
        return command.forWorker(0, 0, Path.of("/run/spoa/x.lua")).stream()
                .filter(flag -> flag.startsWith("-Xm") || flag.startsWith("-XX:+Use")).toList();
    }

    @Test
    void aSmallYoungGenerationAtTheDefaultHeapAndOneInProportionToALargerHeap() {
        assertEquals(List.of("-Xms16m", "-Xmx128m", "-Xmn2m", "-XX:+UseSerialGC"), heapFlags("-f", "x.lua"));
        // Never a young generation as large as the initial heap: the JVM would print a warning.
        assertEquals(List.of("-Xms64m", "-Xmx2048m", "-Xmn32m", "-XX:+UseSerialGC"),
                heapFlags("-f", "x.lua", "--worker-heap", "2048"));
    }
}
