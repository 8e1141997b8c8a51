package dev.spoa.supervisor.workers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.spoa.supervisor.TestConfigs;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

    @Test
    void theArchiveKeyChangesWithAJarOrTheWorkersFlags(@TempDir Path dir) throws Exception {
        Path jar = Files.write(dir.resolve("a.jar"), new byte[] {1, 2, 3});
        String classPath = jar + File.pathSeparator + dir.resolve("gone.jar");
        String key = new WorkerCommand(TestConfigs.parse("-f", "x.lua"), dir, classPath).archiveKey();
        assertEquals(16, key.length());
        assertEquals(key, new WorkerCommand(TestConfigs.parse("-f", "y.lua"), dir.resolve("other"), classPath).archiveKey(),
                "the script and the run dir do not count");
        assertNotEquals(key, new WorkerCommand(TestConfigs.parse("-f", "x.lua", "--worker-heap", "256"), dir, classPath).archiveKey());
        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() - 10_000));
        assertNotEquals(key, new WorkerCommand(TestConfigs.parse("-f", "x.lua"), dir, classPath).archiveKey(), "an older jar");
        Files.setLastModifiedTime(jar, FileTime.fromMillis(0));
        String before = new WorkerCommand(TestConfigs.parse("-f", "x.lua"), dir, classPath).archiveKey();
        Files.write(jar, new byte[] {1, 2, 3, 4});
        Files.setLastModifiedTime(jar, FileTime.fromMillis(0));
        assertNotEquals(before, new WorkerCommand(TestConfigs.parse("-f", "x.lua"), dir, classPath).archiveKey(), "a longer jar");
    }

    @Test
    void compiledChunksAreSharedWhereTheSupervisorSaysOnceItSays() {
        WorkerCommand command = new WorkerCommand(TestConfigs.parse("-f", "x.lua"), Path.of("/run/spoa"), "spoa.jar");
        Path script = Path.of("/run/spoa/x.lua");
        assertFalse(command.forWorker(0, 0, script).contains("--compiled-chunks"), "the run dir's, by default");
        command.shareCompiledChunksIn(Path.of("/var/cache/spoa/luajc-k"));
        for (List<String> line : List.of(command.forWorker(0, 0, script),
                command.forTraining(script, Path.of("/run/spoa/cds/training"), Path.of("/run/spoa/cds/list")))) {
            int flag = line.indexOf("--compiled-chunks");
            assertEquals("/var/cache/spoa/luajc-k", line.get(flag + 1), line.toString());
        }
    }
}
