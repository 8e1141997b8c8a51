package dev.spoa.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import net.openhft.chronicle.core.time.SetTimeProvider;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Queues roll by size: a writer starts a new cycle file once the current one holds enough, never merely because time passed. */
class CycleClockTest {
    private static final long CYCLE_MILLIS = IpcRollCycle.TWO_SECONDLY.lengthInMillis();
    private static final long START = Instant.parse("2026-11-22T10:00:00Z").toEpochMilli();

    @TempDir
    Path tmp;

    private final SetTimeProvider realTime = new SetTimeProvider(Instant.ofEpochMilli(START));

    @Test
    void theClockStandsStillUntilTheCycleIsFull() {
        CycleClock clock = new CycleClock(realTime, CYCLE_MILLIS, 1000);
        realTime.advanceMillis(10 * CYCLE_MILLIS);
        append(clock, 600);
        assertEquals(START, clock.currentTimeMillis(), "600 bytes of 1000: same cycle, though time passed");
        append(clock, 600);
        assertEquals(START, clock.currentTimeMillis(), "the append that fills the cycle still goes in it");
        append(clock, 10);
        assertEquals(START + 10 * CYCLE_MILLIS, clock.currentTimeMillis(), "full: the next append starts a cycle at the real time");
        append(clock, 995);
        assertEquals(START + 10 * CYCLE_MILLIS, clock.currentTimeMillis());
    }

    @Test
    void aFullCycleWaitsForTheRealTimeToReachTheNextCycle() {
        CycleClock clock = new CycleClock(realTime, CYCLE_MILLIS, 100);
        append(clock, 100);
        realTime.advanceMillis(CYCLE_MILLIS - 1);
        append(clock, 100);
        assertEquals(START, clock.currentTimeMillis(), "full, but the real time is still in the same cycle: no new cycle number yet");
        realTime.advanceMillis(1);
        append(clock, 100);
        assertEquals(START + CYCLE_MILLIS, clock.currentTimeMillis());
    }

    @Test
    void aQueueGetsOneFilePerRollBytesWhateverTheTime() throws Exception {
        WorkerQueues q = new WorkerQueues(tmp, 0, 0);
        q.create();
        // 1000 bytes a job as the clock counts: these jobs' fields take 8 (ids under 128, zeros, a 2-byte length)
        byte[] messages = new byte[1000 - 8];
        Tuning tuning = Tuning.DEFAULT.withClock(realTime).withRollBytes(10_000);
        try (JobWriter writer = JobWriter.open(q, tuning);
             JobReader reader = JobReader.open(q, tuning)) {
            long id = 0;
            for (int i = 0; i < 10; i++, id++) {
                realTime.advanceMillis(CYCLE_MILLIS); // a slow trickle: a new cycle of the clock every job
                writer.append(id, 0, 0, messages, 0, messages.length);
            }
            assertEquals(1, cycleFiles(q.jobsDir()), "10 jobs of 1000 bytes fill one cycle of 10000");
            realTime.advanceMillis(CYCLE_MILLIS);
            writer.append(id++, 0, 0, messages, 0, messages.length);
            assertEquals(2, cycleFiles(q.jobsDir()), "the 11th starts the second");
            for (int i = 0; i < 25; i++, id++) {
                writer.append(id, 0, 0, messages, 0, messages.length);
            }
            assertEquals(2, cycleFiles(q.jobsDir()), "a full cycle waits for the real time to move to a new cycle number");

            for (long expected = 0; expected < id; expected++) {
                JobReader.Job job = reader.poll(10, TimeUnit.SECONDS);
                assertNotNull(job);
                assertEquals(expected, job.jobId(), "the reader follows the writer across the cycle it started");
            }
            assertEquals(1, cycleFiles(q.jobsDir()), "the reader deleted the cycle it finished");
        }
    }

    private static void append(CycleClock clock, int bytes) {
        clock.beforeAppend();
        clock.appended(bytes);
    }

    private static long cycleFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".cq4")).count();
        }
    }
}
