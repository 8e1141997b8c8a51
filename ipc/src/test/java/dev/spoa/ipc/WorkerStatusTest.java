package dev.spoa.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the worker writes in its status file, another mapping of it reads; the file outlives both. */
class WorkerStatusTest {

    @TempDir
    Path tmp;

    @Test
    void aSecondMappingSeesTheWorkersProgress() {
        WorkerQueues q = new WorkerQueues(tmp, 2, 7);
        q.create();
        WorkerStatus front = WorkerStatus.create(q);
        WorkerStatus worker = WorkerStatus.open(q);
        assertEquals(0, front.heartbeat(), "no beat before the worker's first");
        assertEquals(0, front.currentJob());

        long before = System.nanoTime();
        worker.started(42, 123_456_789L);
        long startedBy = System.nanoTime();
        assertEquals(42, front.currentJob());
        assertEquals(123_456_789L, front.currentDeadline());
        assertTrue(front.heartbeat() >= before);

        long finishedAfter = System.nanoTime();
        worker.finished();
        assertEquals(0, front.currentJob());
        assertEquals(1, front.jobsDone());
        long busy = front.busyNanos();
        assertTrue(busy >= finishedAfter - startedBy && busy > 0, "the handler's time, from started to finished: " + busy);
        long beat = front.heartbeat();
        worker.beat();
        assertTrue(front.heartbeat() >= beat);

        // A new mapping (a reader after the worker died) sees the last state, and counts on from it.
        WorkerStatus reopened = WorkerStatus.open(q);
        assertEquals(1, reopened.jobsDone());
        reopened.started(43, 0);
        reopened.finished();
        assertEquals(2, front.jobsDone());
        assertTrue(front.busyNanos() >= busy, "busy time adds up across mappings too");
    }

    @Test
    void createRefusesAnExistingFileAndOpenAMissingOne() {
        WorkerQueues q = new WorkerQueues(tmp, 0, 0);
        q.create();
        assertThrows(UncheckedIOException.class, () -> WorkerStatus.open(q));
        WorkerStatus.create(q);
        assertThrows(UncheckedIOException.class, () -> WorkerStatus.create(q));
    }
}
