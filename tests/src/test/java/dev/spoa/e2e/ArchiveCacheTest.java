package dev.spoa.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spoa.testkit.AgentProcess;
import dev.spoa.testkit.Wait;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
    private static final DateTimeFormatter LINE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");
    private static final Pattern KEPT_OR_BUILT = Pattern.compile("workers start with the class-data-sharing archive (\\S+) "
            + "from now on \\((built|kept from an earlier start, checked) in");

    @Test
    void everyWorkerMapsTheArchiveFromTheFirstStartOn(@TempDir Path cache) throws Exception {
        Path archive = startAndStop(cache, "built");
        String key = archive.getFileName().toString().replaceAll("^worker-|\\.jsa$", "");
        Path chunks = cache.resolve("luajc-" + key);
        assertEquals(List.of(archive, chunks), list(cache).stream().sorted(Comparator.reverseOrder()).toList());
        // What LuaJC made of e2e.lua is kept too, and found again: no worker compiles it anew.
        Map<Path, FileTime> compiled = times(chunks);
        assertFalse(compiled.isEmpty());
        assertEquals(archive, startAndStop(cache, "kept from an earlier start, checked"));
        assertEquals(compiled, times(chunks));
    }

    private static Map<Path, FileTime> times(Path dir) throws Exception {
        Map<Path, FileTime> times = new HashMap<>();
        for (Path file : list(dir)) {
            times.put(file, Files.getLastModifiedTime(file));
        }
        return times;
    }

    /** Starts an agent with three workers on this cache, checks them, stops it; the archive they mapped. */
    private static Path startAndStop(Path cache, String how) throws Exception {
        try (AgentProcess agent = TestAgent.start(AgentProcess.freePort(), 3, "--cache-dir", cache.toString())) {
            // Said before the workers start, unless they waited in vain (then it comes later, and the assertions below fail).
            assertTrue(Wait.until(Duration.ofSeconds(60), () -> KEPT_OR_BUILT.matcher(agent.log()).find()), agent.log());
            String log = agent.log();
            Matcher said = KEPT_OR_BUILT.matcher(log);
            assertTrue(said.find(), log);
            assertEquals(how, said.group(2), log);
            Path archive = Path.of(said.group(1));
            assertEquals(cache, archive.getParent());
            List<ProcessHandle> workers = agent.workers();
            assertEquals(3, workers.size(), log);
            Path chunks = cache.resolve(archive.getFileName().toString().replaceAll("^worker-(.*)\\.jsa$", "luajc-$1"));
            for (ProcessHandle worker : workers) {
                List<String> line = List.of(worker.info().arguments().orElseThrow());
                assertTrue(line.contains("-XX:SharedArchiveFile=" + archive), line.toString());
                assertEquals(chunks.toString(), line.get(line.indexOf("--compiled-chunks") + 1), line.toString());
            }
            for (int worker = 1; worker < 3; worker++) {
                assertTrue(startedAfterWorkerZero(log, worker), log);
            }
            assertEquals(0, agent.stop(Duration.ofSeconds(60)), agent.log());
            return archive;
        }
    }

    /**
     * Whether the worker started once worker 0 was ready or, should that take longer (a machine
     * that froze), at least the 10 s that the others wait for worker 0 after it started.
     */
    private static boolean startedAfterWorkerZero(String log, int worker) {
        LocalDateTime zeroStarted = time(log, "worker 0 started");
        LocalDateTime zeroReady = time(log, "worker 0 (generation 0) ready");
        LocalDateTime started = time(log, "worker " + worker + " started");
        return !started.isBefore(zeroReady) || !started.isBefore(zeroStarted.plusSeconds(10));
    }

    /** The time of the first log line that says this. */
    private static LocalDateTime time(String log, String what) {
        String line = log.lines().filter(each -> each.contains(what)).findFirst().orElseThrow(() -> new AssertionError("no \""
                + what + "\" in:\n" + log));
        return LocalDateTime.parse(line.substring(0, 23), LINE_TIME);
    }

    private static List<Path> list(Path dir) throws Exception {
        try (var files = Files.list(dir)) {
            return files.toList();
        }
    }
}
