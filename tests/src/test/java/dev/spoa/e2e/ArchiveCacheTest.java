package dev.spoa.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spoa.testkit.AgentProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With a cache dir (bin/spoa-supervisor start --cache-dir), every worker maps the class-data-sharing
 * archive from the agent's first start on: the first start builds it there while the workers wait,
 * the next one only checks it. Worker 0 starts first, and the others once it is ready, so that they
 * take the script's compiled chunks from it.
 */
class ArchiveCacheTest {
    private static final Pattern KEPT_OR_BUILT = Pattern.compile("workers start with the class-data-sharing archive (\\S+) "
            + "from now on \\((built|kept from an earlier start, checked) in");

    @Test
    void everyWorkerMapsTheArchiveFromTheFirstStartOn(@TempDir Path cache) throws Exception {
        Path archive = startAndStop(cache, "built");
        assertEquals(List.of(archive), list(cache));
        assertEquals(archive, startAndStop(cache, "kept from an earlier start, checked"));
    }

    /** Starts an agent with three workers on this cache, checks them, stops it; the archive they mapped. */
    private static Path startAndStop(Path cache, String how) throws Exception {
        try (AgentProcess agent = TestAgent.start(AgentProcess.freePort(), 3, "--cache-dir", cache.toString())) {
            String log = agent.log();
            Matcher said = KEPT_OR_BUILT.matcher(log);
            assertTrue(said.find(), log);
            assertEquals(how, said.group(2), log);
            Path archive = Path.of(said.group(1));
            assertEquals(cache, archive.getParent());
            List<ProcessHandle> workers = agent.workers();
            assertEquals(3, workers.size(), log);
            for (ProcessHandle worker : workers) {
                List<String> line = List.of(worker.info().arguments().orElseThrow());
                assertTrue(line.contains("-XX:SharedArchiveFile=" + archive), line.toString());
            }
            assertTrue(log.indexOf("worker 0 (generation 0) ready") < log.indexOf("worker 1 started"), log);
            assertTrue(log.indexOf("worker 0 (generation 0) ready") < log.indexOf("worker 2 started"), log);
            assertEquals(0, agent.stop(Duration.ofSeconds(60)), agent.log());
            return archive;
        }
    }

    private static List<Path> list(Path dir) throws Exception {
        try (var files = Files.list(dir)) {
            return files.toList();
        }
    }
}
