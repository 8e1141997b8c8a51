package dev.spoa.ipc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import net.openhft.chronicle.core.time.SetTimeProvider;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cycle files are deleted by the reader once it has moved past them, never earlier. A settable clock
 * drives the writers' roll cycle, so a roll happens exactly when the test says.
 */
class ConsumedCyclesTest {

    private static final long CYCLE_MILLIS = IpcRollCycle.TWO_SECONDLY.lengthInMillis();

    @TempDir
    Path tmp;

    private final SetTimeProvider clock = new SetTimeProvider(Instant.parse("2026-11-22T10:00:00Z"));
    /** Rolling at every new cycle of the clock, as with Chronicle's own clock: the tests make cycles by moving it. */
    private final Tuning tuning = Tuning.DEFAULT.withClock(clock).withRollBytes(0);
    private final byte[] buf = new byte[100];

    @Test
    void jobCyclesAreDeletedOnceTheReaderHasMovedPastThem() throws Exception {
        WorkerQueues q = new WorkerQueues(tmp, 0, 0);
        q.create();
        try (JobWriter writer = JobWriter.open(q, tuning);
             JobReader reader = JobReader.open(q, tuning)) {
            long id = 0;
            for (int cycle = 0; cycle < 3; cycle++) {
                for (int i = 0; i < 10; i++) {
                    writer.append(id++, 0, 0, buf, 0, buf.length);
                }
                clock.advanceMillis(CYCLE_MILLIS);
            }
            writer.flush();
            assertEquals(3, cycleFiles(q.jobsDir()).size(), "one file per cycle written");

            for (int i = 0; i < 10; i++) {
                assertNotNull(reader.poll(10, TimeUnit.SECONDS));
            }
            assertEquals(3, cycleFiles(q.jobsDir()).size(), "the reader is still in the first cycle");

            assertNotNull(reader.poll(10, TimeUnit.SECONDS)); // first record of the second cycle
            assertEquals(2, cycleFiles(q.jobsDir()).size(), "the first cycle is consumed");

            for (int i = 0; i < 19; i++) {
                assertNotNull(reader.poll(10, TimeUnit.SECONDS));
            }
            assertEquals(1, cycleFiles(q.jobsDir()).size(), "only the cycle being read is left");
        }
    }

    @Test
    void resultCyclesStayBoundedUnderContinuousLoad() throws Exception {
        WorkerQueues q = new WorkerQueues(tmp, 1, 0);
        q.create();
        int[] received = {0};
        int maxFiles = 0;
        try (ResultWriter writer = ResultWriter.open(q, tmp.resolve("front.doorbell"), tuning);
             ResultReader reader = ResultReader.open(q, tuning)) {
            long id = 0;
            for (int cycle = 0; cycle < 40; cycle++) {
                for (int i = 0; i < 500; i++) {
                    writer.append(id++, 0, buf, 0, buf.length);
                    if (i % 100 == 99) {
                        reader.drain((jobId, outcome, b, offset, length) -> {
                            assertEquals(received[0]++, jobId);
                        }, 1_000);
                        maxFiles = Math.max(maxFiles, cycleFiles(q.resultsDir()).size());
                    }
                }
                clock.advanceMillis(CYCLE_MILLIS);
            }
            while (reader.drain((jobId, outcome, b, offset, length) -> received[0]++, 1_000) > 0) {
                // drain the rest
            }
            assertEquals(id, received[0]);
        }
        assertTrue(maxFiles <= 2, "at most the cycle being read and the one being written, saw " + maxFiles);
        assertEquals(1, cycleFiles(q.resultsDir()).size());
    }

    /** A front that falls behind drains several cycles at once: none of those it read through is left. */
    @Test
    void oneDrainThroughSeveralCyclesDeletesEachOfThem() throws Exception {
        WorkerQueues q = new WorkerQueues(tmp, 2, 0);
        q.create();
        try (ResultWriter writer = ResultWriter.open(q, tmp.resolve("front.doorbell"), tuning);
             ResultReader reader = ResultReader.open(q, tuning)) {
            long id = writeCycles(writer, 5, 3);
            assertEquals(5, cycleFiles(q.resultsDir()).size(), "one file per cycle written");

            assertEquals(14, reader.drain((jobId, outcome, b, offset, length) -> { }, 14));
            assertEquals(1, cycleFiles(q.resultsDir()).size(), "only the cycle being read is left");

            assertEquals(1, reader.drain((jobId, outcome, b, offset, length) -> { }, 100));
            writer.append(id, 0, buf, 0, buf.length); // a new cycle: the clock moved on after the last
            assertEquals(1, reader.drain((jobId, outcome, b, offset, length) -> { }, 100));
            assertEquals(1, cycleFiles(q.resultsDir()).size(), "the fifth cycle is consumed too");
        }
    }

    /** {@code perCycle} results in each of {@code cycles} cycles; returns the next job id. */
    private long writeCycles(ResultWriter writer, int cycles, int perCycle) {
        long id = 0;
        for (int cycle = 0; cycle < cycles; cycle++, clock.advanceMillis(CYCLE_MILLIS)) {
            for (int i = 0; i < perCycle; i++) {
                writer.append(id++, 0, buf, 0, buf.length);
            }
        }
        return id;
    }

    private static List<Path> cycleFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".cq4")).toList();
        }
    }

    /**
     * After a worker dies, the front reads back the jobs still in its queue to send them elsewhere:
     * replay sees every job the reader has not moved past, with its content, though the reader has
     * deleted the cycles it finished.
     */
    @Test
    void replaySeesTheJobsInTheCyclesTheReaderHasNotFinished() throws Exception {
        WorkerQueues q = new WorkerQueues(tmp, 0, 0);
        q.create();
        try (JobWriter writer = JobWriter.open(q, tuning);
             JobReader reader = JobReader.open(q, tuning)) {
            long id = 1;
            for (int cycle = 0; cycle < 3; cycle++) {
                for (int i = 0; i < 10; i++, id++) {
                    byte[] messages = {(byte) id, (byte) cycle};
                    writer.append(id, 1000 + id, 64 + (int) id, messages, 0, messages.length);
                }
                clock.advanceMillis(CYCLE_MILLIS);
            }
            writer.flush();
            // The worker answered the first 14 jobs and holds the 15th: the first cycle is deleted.
            for (int i = 0; i < 15; i++) {
                assertNotNull(reader.poll(10, TimeUnit.SECONDS));
            }

            List<JobReader.Job> replayed = new ArrayList<>();
            writer.replay(replayed::add);

            assertEquals(20, replayed.size(), "the second and third cycles: 10 jobs each");
            for (int i = 0; i < replayed.size(); i++) {
                JobReader.Job job = replayed.get(i);
                long expected = 11 + i;
                assertEquals(expected, job.jobId());
                assertEquals(1000 + expected, job.deadlineNanos());
                assertEquals(64 + expected, job.maxAckPayload());
                assertArrayEquals(new byte[] {(byte) expected, (byte) (expected <= 20 ? 1 : 2)}, job.messages());
            }

            writer.append(id, 0, 0, new byte[0], 0, 0);
            List<JobReader.Job> again = new ArrayList<>();
            writer.replay(again::add);
            assertEquals(21, again.size(), "replay leaves the writer appending normally");
        }
    }
}
