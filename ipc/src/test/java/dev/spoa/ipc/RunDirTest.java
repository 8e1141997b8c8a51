package dev.spoa.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunDirTest {

    @TempDir
    Path tmp;

    @Test
    void aFreshRunDirIsUniqueAndDeletedWithItsContentOnClose() throws Exception {
        Path first;
        try (RunDir a = RunDir.createFresh(tmp); RunDir b = RunDir.createFresh(tmp)) {
            first = a.path();
            assertTrue(Files.isDirectory(a.path()));
            assertEquals(tmp, a.path().getParent());
            assertTrue(a.path().getFileName().toString().startsWith("spoa-"));
            assertNotEquals(a.path(), b.path());
            assertEquals(a.path(), a.frontDoorbellFile().getParent());

            WorkerQueues q = a.workerQueues(0, 0);
            q.create();
            try (JobWriter writer = JobWriter.open(q);
                 ResultWriter results = ResultWriter.open(q, a.frontDoorbellFile())) {
                writer.append(1, 0, 0, new byte[10], 0, 10);
                results.append(1, 0, new byte[10], 0, 10);
            }
        }
        assertFalse(Files.exists(first));
        assertEquals(0, Files.list(tmp).count());
    }

    @Test
    void theDefaultParentIsDevShmWhenThereIsOne() {
        Path shm = Path.of("/dev/shm");
        try (RunDir run = RunDir.createFresh(null)) {
            Path expected = Files.isDirectory(shm) && Files.isWritable(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
            assertEquals(expected, run.path().getParent());
        }
    }

    @Test
    void runDirsOfDeadOwnersAreRemovedOthersKept() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        assertTrue(gone.waitFor(30, TimeUnit.SECONDS));
        Path stale = Files.createDirectories(tmp.resolve("spoa-stale"));
        Files.writeString(stale.resolve(RunDir.OWNER_FILE), Long.toString(gone.pid()));
        Files.writeString(stale.resolve("leftover"), "x");
        Path alive = Files.createDirectories(tmp.resolve("spoa-alive"));
        Files.writeString(alive.resolve(RunDir.OWNER_FILE), Long.toString(ProcessHandle.current().pid()));
        Path foreign = Files.createDirectories(tmp.resolve("spoa-foreign")); // no owner record: not ours to judge
        Path other = Files.createDirectories(tmp.resolve("other"));
        Files.writeString(other.resolve(RunDir.OWNER_FILE), Long.toString(gone.pid()));

        try (RunDir run = RunDir.createFresh(tmp)) {
            assertFalse(Files.exists(stale));
            assertTrue(Files.exists(alive));
            assertTrue(Files.exists(foreign));
            assertTrue(Files.exists(other));
            assertTrue(Files.exists(run.path()));
        }
    }

    @Test
    void workerQueuesNameTheirPathsAndMustBeFresh() throws Exception {
        WorkerQueues q = new WorkerQueues(tmp, 2, 5);
        assertEquals(tmp.resolve("w2-g5"), q.dir());
        assertEquals(tmp.resolve("w2-g5/jobs"), q.jobsDir());
        assertEquals(tmp.resolve("w2-g5/results"), q.resultsDir());
        assertEquals(tmp.resolve("w2-g5/jobs.doorbell"), q.jobsDoorbellFile());
        assertThrows(IllegalArgumentException.class, () -> new WorkerQueues(tmp, -1, 0));

        q.create();
        assertTrue(Files.isDirectory(q.jobsDir()));
        assertTrue(Files.isDirectory(q.resultsDir()));
        assertThrows(UncheckedIOException.class, q::create, "an incarnation's directories are never reused");

        q.delete();
        assertFalse(Files.exists(q.dir()));
        q.delete(); // nothing left: no error
    }
}
