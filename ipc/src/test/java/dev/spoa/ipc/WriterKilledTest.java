package dev.spoa.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker SIGKILLed in the middle of an append: the front still reads every complete result,
 * sees nothing after the half-written one, closes its reader cleanly, and deleting the incarnation
 * removes every file.
 */
class WriterKilledTest {

    private static final int COMPLETE = 1_000;

    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void theFrontSurvivesAWorkerKilledMidAppend() throws Exception {
        try (RunDir run = RunDir.createFresh(tmp)) {
            WorkerQueues q = run.workerQueues(0, 0);
            q.create();
            int[] next = {0};
            // Opened before the worker starts and kept across its death, as the front does.
            try (ResultReader reader = ResultReader.open(q)) {
                try (ChildJvm child = ChildJvm.start(HalfWriter.class, run.path().toString(), "0", "0",
                        Integer.toString(COMPLETE))) {
                    child.awaitLine("READY", 60, TimeUnit.SECONDS);
                    child.kill();
                }
                while (next[0] < COMPLETE) {
                    int n = reader.drain((jobId, outcome, buf, offset, length) -> {
                        assertEquals(next[0]++, jobId);
                        assertEquals(50, length);
                    }, 100);
                    if (n == 0) {
                        throw new AssertionError("only " + next[0] + " complete results readable");
                    }
                }
                assertFalse(reader.hasNext(), "nothing after the half-written record");
                assertEquals(0, reader.drain((jobId, outcome, buf, offset, length) -> next[0]++, 100));
            }
            q.delete();
            assertFalse(Files.exists(q.dir()));
        }
    }
}
