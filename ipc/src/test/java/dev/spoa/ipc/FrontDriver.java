package dev.spoa.ipc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * The front's side of a round trip, as the real front will run it: one thread appends jobs in
 * batches (one flush each), one thread parks on the front doorbell and drains results. Checks every
 * result arrives in order with the content {@link EchoWorker} derives from the job.
 */
final class FrontDriver {

    private FrontDriver() {
    }

    /** Sends {@code count} jobs then {@link EchoWorker#STOP}; returns the front doorbell once all results are checked. */
    static DoorbellStats roundTrip(RunDir run, WorkerQueues q, Tuning tuning, int count) throws Exception {
        AtomicReference<Throwable> senderFailure = new AtomicReference<>();
        try (JobWriter jobs = JobWriter.open(q, tuning);
             ResultReader results = ResultReader.open(q, tuning);
             Doorbell front = Doorbell.open(run.frontDoorbellFile(), tuning)) {
            Thread sender = new Thread(() -> {
                try {
                    send(jobs, count);
                } catch (Throwable t) {
                    senderFailure.set(t);
                }
            }, "sender");
            sender.start();
            Checker checker = new Checker(count);
            BooleanSupplier ready = results::hasNext; // one instance: a reference at the call allocates per park
            long lastProgress = System.nanoTime();
            while (checker.next <= count) { // results 0..count-1, then STOP
                int n = results.drain(checker, 256);
                if (n > 0) {
                    lastProgress = System.nanoTime();
                    continue;
                }
                if (senderFailure.get() != null) {
                    throw new AssertionError("sender failed", senderFailure.get());
                }
                if (System.nanoTime() - lastProgress > TimeUnit.SECONDS.toNanos(60)) {
                    throw new AssertionError("no result for 60 s after " + checker.next);
                }
                front.await(TimeUnit.SECONDS.toNanos(30), ready);
            }
            sender.join();
            return new DoorbellStats(front.parks(), front.wakeupsBySafetyTimeout());
        }
    }

    record DoorbellStats(long parks, long wakeupsBySafetyTimeout) {
    }

    private static void send(JobWriter jobs, int count) {
        byte[] buf = new byte[TestJobs.MAX_MESSAGES];
        SplittableRandom random = new SplittableRandom(42);
        long id = 0;
        while (id < count) {
            int batch = random.nextInt(1, 101);
            for (int i = 0; i < batch && id < count; i++, id++) {
                int length = TestJobs.messages(id, buf);
                jobs.append(id, TestJobs.deadline(id), TestJobs.maxAck(id), buf, 0, length);
            }
            jobs.flush();
            if (random.nextInt(8) == 0) {
                // Now and then let the worker drain and park, so wake-ups are exercised too.
                java.util.concurrent.locks.LockSupport.parkNanos(100_000);
            }
        }
        jobs.append(EchoWorker.STOP, 0, 0, buf, 0, 0);
        jobs.flush();
    }

    /** Verifies each result against the job it answers, in order: 0, 1, ..., count-1, STOP. */
    private static final class Checker implements ResultReader.ResultConsumer {
        private final int count;
        long next;

        Checker(int count) {
            this.count = count;
        }

        @Override
        public void accept(long jobId, int outcome, byte[] buf, int offset, int length) {
            if (jobId == EchoWorker.STOP) {
                assertEquals(count, next, "STOP comes last");
                next++;
                return;
            }
            assertEquals(next, jobId, "result order");
            assertEquals(EchoWorker.expectedOutcome(jobId), outcome, "outcome of " + jobId);
            byte[] expected = EchoWorker.expectedPayload(TestJobs.deadline(jobId), TestJobs.maxAck(jobId),
                    TestJobs.messages(jobId));
            assertArrayEquals(expected, Arrays.copyOfRange(buf, offset, offset + length), "payload of " + jobId);
            next++;
        }
    }
}
