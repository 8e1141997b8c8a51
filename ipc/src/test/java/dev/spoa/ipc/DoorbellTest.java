package dev.spoa.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The doorbell must never lose a wake-up. With a safety timeout of 10 s, a lost one would show as a
 * park that ended by timeout while work was waiting, which the doorbell counts: the tests assert
 * that count is zero (and, so the assertion means something, that the reader did park often).
 */
class DoorbellTest {

    private static final long SAFETY = TimeUnit.SECONDS.toNanos(10);
    private static final int BURSTS = 10_000;

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}, spin {1} µs")
    @CsvSource({"FUTEX, 0", "FUTEX, 20", "FIFO, 0", "FIFO, 20"})
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void neverLosesAWakeUpBetweenBursts(DoorbellKind kind, long spinMicros) throws Exception {
        Tuning tuning = Tuning.DEFAULT.withDoorbell(kind).withSafetyNanos(SAFETY)
                .withSpinNanos(TimeUnit.MICROSECONDS.toNanos(spinMicros));
        Path file = tmp.resolve("bell");
        AtomicLong published = new AtomicLong();
        AtomicLong consumed = new AtomicLong();
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        // Two instances on one file, as a reader and a writer process would have.
        try (Doorbell readerSide = Doorbell.open(file, tuning);
             Doorbell writerSide = Doorbell.open(file, tuning)) {
            Thread writer = new Thread(() -> {
                try {
                    SplittableRandom random = new SplittableRandom(7);
                    for (int burst = 0; burst < BURSTS; burst++) {
                        int size = random.nextInt(1, 5);
                        for (int i = 0; i < size; i++) {
                            published.incrementAndGet(); // the "append"
                            if (random.nextBoolean()) {
                                writerSide.ring(); // sometimes per item, sometimes per batch
                            }
                        }
                        writerSide.ring();
                        while (consumed.get() < published.get()) {
                            Thread.onSpinWait();
                        }
                        pause(random);
                    }
                } catch (Throwable t) {
                    failure.set(t);
                } finally {
                    done.set(true);
                    writerSide.ring();
                }
            }, "ringer");
            writer.setDaemon(true);
            writer.start();
            while (true) {
                readerSide.await(TimeUnit.SECONDS.toNanos(30), () -> published.get() > consumed.get() || done.get());
                boolean finished = done.get(); // read before consuming: nothing can follow it
                consumed.set(published.get());
                if (finished) {
                    break;
                }
            }
            writer.join();
            assertNull(failure.get());
            assertEquals(0, readerSide.wakeupsBySafetyTimeout(), "wake-ups lost to the safety timeout");
            assertTrue(readerSide.parks() > BURSTS / 10, "the reader parked only " + readerSide.parks() + " times");
        }
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void jobReaderNeverMissesAFlush() throws Exception {
        Tuning tuning = Tuning.DEFAULT.withSafetyNanos(SAFETY).withSpinNanos(0);
        WorkerQueues q = new WorkerQueues(tmp, 0, 0);
        q.create();
        byte[] buf = new byte[16];
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicLong received = new AtomicLong();
        try (JobWriter writer = JobWriter.open(q, tuning);
             JobReader reader = JobReader.open(q, tuning)) {
            Thread front = new Thread(() -> {
                try {
                    SplittableRandom random = new SplittableRandom(11);
                    long id = 0;
                    for (int burst = 0; burst < BURSTS; burst++) {
                        int size = random.nextInt(1, 4);
                        for (int i = 0; i < size; i++) {
                            writer.append(id++, 0, 0, buf, 0, buf.length);
                        }
                        writer.flush();
                        while (received.get() < id) {
                            Thread.onSpinWait();
                        }
                        pause(random);
                    }
                } catch (Throwable t) {
                    failure.set(t);
                } finally {
                    writer.append(EchoWorker.STOP, 0, 0, buf, 0, 0);
                    writer.flush();
                }
            }, "front");
            front.setDaemon(true);
            front.start();
            long expected = 0;
            while (true) {
                JobReader.Job job = reader.poll(60, TimeUnit.SECONDS);
                assertNotNull(job, "no job for 60 s after " + expected);
                if (job.jobId() == EchoWorker.STOP) {
                    break;
                }
                assertEquals(expected++, job.jobId());
                received.set(expected);
            }
            front.join();
            assertNull(failure.get());
            assertEquals(0, reader.doorbell().wakeupsBySafetyTimeout(), "wake-ups lost to the safety timeout");
            assertTrue(reader.doorbell().parks() > BURSTS / 10, "the reader parked only " + reader.doorbell().parks() + " times");
        }
    }

    /**
     * Between bursts: half the time a few µs of busy wait, so the next append lands anywhere in the
     * reader's path from its last look to its sleep (the window a broken protocol loses wake-ups
     * in: without the re-check after announcing the park, this loses hundreds per 20,000 bursts);
     * otherwise up to 200 µs asleep, so the reader is deep asleep when the ring comes.
     */
    private static void pause(SplittableRandom random) {
        if (random.nextBoolean()) {
            long until = System.nanoTime() + random.nextInt(0, 3_000);
            while (System.nanoTime() - until < 0) {
                Thread.onSpinWait();
            }
        } else {
            LockSupport.parkNanos(random.nextInt(0, 200_000));
        }
    }

    @Test
    void awaitReturnsAtTheTimeoutWhenNothingHappens() throws Exception {
        try (Doorbell bell = Doorbell.open(tmp.resolve("bell"))) {
            long start = System.nanoTime();
            bell.await(TimeUnit.MILLISECONDS.toNanos(50), () -> false);
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(50));
        }
    }

    @Test
    void awaitReturnsAtOnceWhenWorkIsReady() throws Exception {
        try (Doorbell bell = Doorbell.open(tmp.resolve("bell"))) {
            bell.await(TimeUnit.HOURS.toNanos(1), () -> true);
            assertEquals(0, bell.parks());
        }
    }

    @Test
    void aRingWakesAParkedReaderInAnotherThread() throws Exception {
        Tuning tuning = Tuning.DEFAULT.withSafetyNanos(SAFETY);
        try (Doorbell reader = Doorbell.open(tmp.resolve("bell"), tuning);
             Doorbell writer = Doorbell.open(tmp.resolve("bell"), tuning)) {
            AtomicLong work = new AtomicLong();
            Thread ringer = new Thread(() -> {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
                work.set(1);
                writer.ring();
            });
            ringer.start();
            reader.await(TimeUnit.SECONDS.toNanos(60), () -> work.get() != 0);
            assertEquals(1, work.get());
            ringer.join();
            assertEquals(0, reader.wakeupsBySafetyTimeout());
        }
    }

    @Test
    void anInterruptedWaiterThrows() throws Exception {
        try (Doorbell bell = Doorbell.open(tmp.resolve("bell"))) {
            Thread.currentThread().interrupt();
            assertThrows(InterruptedException.class, () -> bell.await(TimeUnit.SECONDS.toNanos(60), () -> false));
        }
    }

    @Test
    void aClosedDoorbellRefusesUse() {
        Doorbell bell = Doorbell.open(tmp.resolve("bell"));
        bell.close();
        assertThrows(IllegalStateException.class, bell::ring);
        assertNotNull(bell.toString());
    }
}
