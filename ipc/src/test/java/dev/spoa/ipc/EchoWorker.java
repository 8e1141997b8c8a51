package dev.spoa.ipc;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A worker process for tests and the benchmark: answers each job with a result whose outcome and
 * payload prove the job arrived intact ({@link #expectedOutcome}, {@link #expectedPayload}), one
 * doorbell ring per batch of whatever was waiting. Stops after the job with id {@link #STOP}, or when
 * its parent is gone.
 *
 * <p>Arguments: runDir worker generation [FUTEX|FIFO [spinMicros]].
 */
public final class EchoWorker {

    static final long STOP = -1;

    private EchoWorker() {
    }

    public static void main(String[] args) throws Exception {
        Path runDir = Path.of(args[0]);
        WorkerQueues q = new WorkerQueues(runDir, Integer.parseInt(args[1]), Long.parseLong(args[2]));
        Tuning tuning = Tuning.DEFAULT;
        if (args.length > 3) {
            tuning = tuning.withDoorbell(DoorbellKind.valueOf(args[3]));
        }
        if (args.length > 4) {
            tuning = tuning.withSpinNanos(TimeUnit.MICROSECONDS.toNanos(Long.parseLong(args[4])));
        }
        ProcessHandle parent = ProcessHandle.current().parent().orElseThrow();
        serve(q, runDir.resolve("front.doorbell"), tuning, () -> {
            System.out.println("READY");
            System.out.flush();
        }, parent::isAlive);
    }

    /** The worker loop, also run on a thread by in-process tests. */
    static void serve(WorkerQueues q, Path frontDoorbell, Tuning tuning, Runnable onReady,
                      BooleanSupplier keepGoing) throws InterruptedException {
        byte[] out = new byte[64 * 1024];
        try (JobReader jobs = JobReader.open(q, tuning);
             ResultWriter results = ResultWriter.open(q, frontDoorbell, tuning)) {
            onReady.run();
            while (keepGoing.getAsBoolean()) {
                JobReader.Job job = jobs.poll(1, TimeUnit.SECONDS);
                boolean stop = false;
                while (job != null) {
                    int length = writePayload(job, out);
                    results.append(job.jobId(), expectedOutcome(job.jobId()), out, 0, length);
                    stop |= job.jobId() == STOP;
                    job = jobs.poll(0, TimeUnit.SECONDS);
                }
                results.flush(); // one ring per batch
                if (stop) {
                    return;
                }
            }
        }
    }

    static int expectedOutcome(long jobId) {
        return (int) (jobId * 31 + 7);
    }

    /** deadline (8 bytes) + maxAckPayload (4) + the messages, big-endian. */
    static byte[] expectedPayload(long deadlineNanos, int maxAckPayload, byte[] messages) {
        return ByteBuffer.allocate(12 + messages.length)
                .putLong(deadlineNanos).putInt(maxAckPayload).put(messages).array();
    }

    private static int writePayload(JobReader.Job job, byte[] out) {
        ByteBuffer.wrap(out).putLong(job.deadlineNanos()).putInt(job.maxAckPayload()).put(job.messages());
        return 12 + job.messages().length;
    }
}
