package dev.spoa.ipc;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;

import org.tinylog.Logger;

/**
 * The worker's end of its job queue. Waiting parks on the jobs doorbell (after an optional spin,
 * off by default: see {@link Tuning}), so an idle worker costs no CPU. Used by one thread at a time.
 */
public final class JobReader implements AutoCloseable {

    /**
     * One job.
     *
     * @param jobId         the front's identifier, echoed in the result
     * @param deadlineNanos as the front wrote it
     * @param maxAckPayload how many bytes the answer may take
     * @param connection    the front's number for the connection the NOTIFY came on (for log lines)
     * @param streamId      the NOTIFY's stream-id (for log lines)
     * @param frameId       the NOTIFY's frame-id (for log lines)
     * @param messages      the NOTIFY's message bytes, as received by the front
     */
    public record Job(long jobId, long deadlineNanos, int maxAckPayload, long connection, long streamId, long frameId, byte[] messages) {
    }

    private final WorkerQueues queues;
    private final SingleChronicleQueue queue;
    private final ExcerptTailer tailer;
    private final ConsumedCycles consumed;
    private final Doorbell doorbell;
    // The doorbell's readiness check reads the job it finds into `pending` instead of peeking:
    // one read per job, and no job is parsed twice.
    private final BooleanSupplier fetch = this::fetch;
    private Job pending;

    private JobReader(WorkerQueues queues, SingleChronicleQueue queue, ExcerptTailer tailer, Doorbell doorbell) {
        this.queues = queues;
        this.queue = queue;
        this.tailer = tailer;
        this.consumed = new ConsumedCycles(queue, tailer);
        this.doorbell = doorbell;
    }

    public static JobReader open(WorkerQueues q) {
        return open(q, Tuning.DEFAULT);
    }

    static JobReader open(WorkerQueues q, Tuning tuning) {
        SingleChronicleQueue queue = Queues.open(q.jobsDir(), tuning);
        try {
            // A fresh tailer starts at the first record in the directory: right, as each incarnation's
            // directories are new.
            ExcerptTailer tailer = queue.createTailer();
            tailer.singleThreadedCheckDisabled(true);
            Doorbell doorbell = Doorbell.open(q.jobsDoorbellFile(), tuning);
            Logger.debug("job reader open on {}", q);
            return new JobReader(q, queue, tailer, doorbell);
        } catch (RuntimeException e) {
            queue.close();
            throw e;
        }
    }

    /**
     * The next job, waiting up to the timeout: look, (spin if configured,) announce the park, look
     * again, then sleep on the doorbell until rung. A timeout of zero or less only looks.
     *
     * @return the job, or null on timeout
     */
    public Job poll(long timeout, TimeUnit unit) throws InterruptedException {
        if (fetch() || timeout <= 0) {
            return take();
        }
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (pending == null) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                return null;
            }
            doorbell.await(remaining, fetch);
        }
        return take();
    }

    private boolean fetch() {
        if (pending == null) {
            pending = readOne();
        }
        return pending != null;
    }

    private Job take() {
        Job job = pending;
        pending = null;
        return job;
    }

    private Job readOne() {
        Job job;
        try (DocumentContext dc = tailer.readingDocument()) {
            if (!dc.isPresent()) {
                return null;
            }
            consumed.atRecord();
            job = JobRecord.read(dc.wire().bytes());
        }
        return job;
    }

    Doorbell doorbell() {
        return doorbell;
    }

    @Override
    public void close() {
        try (doorbell; queue; tailer) {
            Logger.debug("job reader closed on {}", queues);
        }
    }

    @Override
    public String toString() {
        return "JobReader " + queues;
    }
}
