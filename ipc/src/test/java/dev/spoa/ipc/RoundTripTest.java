package dev.spoa.ipc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
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
                // Every field at its longest encoding, with the largest messages: still one record.
                writer.append(Long.MIN_VALUE, Long.MIN_VALUE, Integer.MIN_VALUE, Long.MIN_VALUE, Long.MIN_VALUE, Long.MIN_VALUE,
                        big, 0, JobWriter.MAX_LENGTH);
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
                JobReader.Job extreme = reader.poll(10, TimeUnit.SECONDS);
                assertNotNull(extreme);
                assertEquals(Long.MIN_VALUE, extreme.jobId());
                assertEquals(Long.MIN_VALUE, extreme.deadlineNanos());
                assertEquals(Integer.MIN_VALUE, extreme.maxAckPayload());
                assertEquals(Long.MIN_VALUE, extreme.frameId());
                assertEquals(JobWriter.MAX_LENGTH, extreme.messages().length);
                assertNull(reader.poll(0, TimeUnit.SECONDS));

                assertThrows(IllegalArgumentException.class, () -> results.append(1, 2, big, 0, ResultWriter.MAX_LENGTH + 1));
                results.append(9, -1, big, 0, ResultWriter.MAX_LENGTH);
                results.append(Long.MIN_VALUE, Integer.MIN_VALUE, big, 0, ResultWriter.MAX_LENGTH);
                results.flush();
                int[] seen = {0};
                assertEquals(2, resultReader.drain((jobId, outcome, buf, offset, length) -> {
                    assertEquals(seen[0] == 0 ? 9 : Long.MIN_VALUE, jobId);
                    assertEquals(seen[0] == 0 ? -1 : Integer.MIN_VALUE, outcome);
                    assertEquals(ResultWriter.MAX_LENGTH, length);
                    seen[0]++;
                }, 10));
                assertEquals(2, seen[0]);
                assertEquals(0, resultReader.drain((jobId, outcome, buf, offset, length) -> seen[0]++, 10));
            }
        }
    }

    @Test
    void aCorruptResultFailsTheDrainWithoutAllocatingWhatItClaims() throws Exception {
        try (RunDir run = RunDir.createFresh(tmp)) {
            WorkerQueues q = run.workerQueues(1, 1);
            q.create();
            try (SingleChronicleQueue queue = Queues.open(q.resultsDir(), Tuning.DEFAULT);
                 ExcerptAppender appender = queue.createAppender();
                 ResultReader reader = ResultReader.open(q)) {
                try (DocumentContext dc = appender.writingDocument()) {
                    // ResultRecord's fields, then a length of 2 GB with 8 bytes behind it
                    dc.wire().bytes().writeStopBit(7).writeStopBit(0).writeStopBit(Integer.MAX_VALUE).write(new byte[8]);
                }
                IllegalStateException e = assertThrows(IllegalStateException.class,
                        () -> reader.drain((jobId, outcome, buf, offset, length) -> fail("handed over"), 10));
                assertTrue(e.getMessage().contains("length " + Integer.MAX_VALUE + ", 8 bytes left"), e.getMessage());
            }
        }
    }
}
