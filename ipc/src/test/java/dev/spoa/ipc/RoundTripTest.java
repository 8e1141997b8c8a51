package dev.spoa.ipc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class RoundTripTest {

    private static final int RECORDS = 100_000;
    /** A 10 s safety timeout: a wake-up it delivers while results wait can only be a lost one. */
    private static final Tuning TUNING = Tuning.DEFAULT.withSafetyNanos(TimeUnit.SECONDS.toNanos(10));

    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void jobsAndResultsBetweenThreadsKeepOrderAndContent() throws Exception {
        try (RunDir run = RunDir.createFresh(tmp)) {
            WorkerQueues q = run.workerQueues(0, 0);
            q.create();
            AtomicReference<Throwable> workerFailure = new AtomicReference<>();
            Thread worker = new Thread(() -> {
                try {
                    EchoWorker.serve(q, run.frontDoorbellFile(), TUNING, () -> { }, () -> true);
                } catch (Throwable t) {
                    workerFailure.set(t);
                }
            }, "echo-worker");
            worker.setDaemon(true); // never outlives a failed test
            worker.start();
            FrontDriver.DoorbellStats stats = FrontDriver.roundTrip(run, q, TUNING, RECORDS);
            worker.join(TimeUnit.SECONDS.toMillis(60));
            assertNull(workerFailure.get(), () -> "worker failed: " + workerFailure.get());
            assertEquals(0, stats.wakeupsBySafetyTimeout(), "front wake-ups that only the safety timeout delivered");
        }
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void jobsAndResultsBetweenProcessesKeepOrderAndContent() throws Exception {
        try (RunDir run = RunDir.createFresh(tmp)) {
            WorkerQueues q = run.workerQueues(0, 0);
            q.create();
            try (ChildJvm child = ChildJvm.start(EchoWorker.class, run.path().toString(), "0", "0")) {
                child.awaitLine("READY", 60, TimeUnit.SECONDS);
                FrontDriver.DoorbellStats stats = FrontDriver.roundTrip(run, q, TUNING, RECORDS);
                assertEquals(0, child.waitFor(60, TimeUnit.SECONDS), "worker exit status");
                assertEquals(0, stats.wakeupsBySafetyTimeout(), "front wake-ups that only the safety timeout delivered");
            }
        }
    }

    @Test
    void largestRecordsRoundTripAndLargerOnesAreRefused() throws Exception {
        try (RunDir run = RunDir.createFresh(tmp)) {
            WorkerQueues q = run.workerQueues(3, 7);
            q.create();
            byte[] big = new byte[Math.max(JobWriter.MAX_LENGTH, ResultWriter.MAX_LENGTH) + 1];
            Arrays.fill(big, (byte) 0x5A);
            try (JobWriter writer = JobWriter.open(q);
                 JobReader reader = JobReader.open(q);
                 ResultWriter results = ResultWriter.open(q, run.frontDoorbellFile());
                 ResultReader resultReader = ResultReader.open(q)) {
                assertThrows(IllegalArgumentException.class, () -> writer.append(1, 2, 3, big, 0, big.length));
                assertThrows(IndexOutOfBoundsException.class, () -> writer.append(1, 2, 3, big, 10, big.length));
                writer.append(1, 2, 3, big, 1, JobWriter.MAX_LENGTH);
                writer.append(4, 5, 6, big, 0, 0);
                writer.flush();

                JobReader.Job first = reader.poll(10, TimeUnit.SECONDS);
                assertNotNull(first);
                assertEquals(1, first.jobId());
                assertEquals(2, first.deadlineNanos());
                assertEquals(3, first.maxAckPayload());
                assertArrayEquals(Arrays.copyOfRange(big, 1, 1 + JobWriter.MAX_LENGTH), first.messages());
                JobReader.Job second = reader.poll(10, TimeUnit.SECONDS);
                assertNotNull(second);
                assertEquals(0, second.messages().length);
                assertNull(reader.poll(0, TimeUnit.SECONDS));

                assertThrows(IllegalArgumentException.class, () -> results.append(1, 2, big, 0, ResultWriter.MAX_LENGTH + 1));
                results.append(9, -1, big, 0, ResultWriter.MAX_LENGTH);
                results.flush();
                int[] seen = {0};
                assertEquals(1, resultReader.drain((jobId, outcome, buf, offset, length) -> {
                    assertEquals(9, jobId);
                    assertEquals(-1, outcome);
                    assertEquals(ResultWriter.MAX_LENGTH, length);
                    seen[0]++;
                }, 10));
                assertEquals(1, seen[0]);
                assertEquals(0, resultReader.drain((jobId, outcome, buf, offset, length) -> seen[0]++, 10));
            }
        }
    }
}
