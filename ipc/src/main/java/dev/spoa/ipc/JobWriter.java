package dev.spoa.ipc;

import java.util.function.Consumer;

import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;

import org.tinylog.Logger;

/**
 * The front's end of one worker incarnation's job queue. Appends copy from the caller's array
 * straight into the mapped queue: nothing is allocated per job. Used by one thread at a time.
 */
public final class JobWriter implements AutoCloseable {

    /** The largest {@code messages} slice a job may carry. */
    public static final int MAX_LENGTH = Queues.MAX_RECORD - JobRecord.MAX_HEADER;

    private final WorkerQueues queues;
    private final SingleChronicleQueue queue;
    private final ExcerptAppender appender;
    private final Doorbell doorbell;
    private final CycleClock cycles;

    private JobWriter(WorkerQueues queues, SingleChronicleQueue queue, ExcerptAppender appender, Doorbell doorbell, CycleClock cycles) {
        this.queues = queues;
        this.queue = queue;
        this.appender = appender;
        this.doorbell = doorbell;
        this.cycles = cycles;
    }

    public static JobWriter open(WorkerQueues q) {
        return open(q, Tuning.DEFAULT);
    }

    static JobWriter open(WorkerQueues q, Tuning tuning) {
        CycleClock cycles = Queues.cycleClock(tuning);
        SingleChronicleQueue queue = Queues.openForWriting(q.jobsDir(), cycles);
        try {
            ExcerptAppender appender = queue.createAppender();
            // The front may open the writer on one thread and append from another; ownership is
            // handed over properly, so Chronicle's first-thread-wins check would only get in the way.
            appender.singleThreadedCheckDisabled(true);
            Doorbell doorbell = Doorbell.open(q.jobsDoorbellFile(), tuning);
            Logger.debug("job writer open on {}", q);
            return new JobWriter(q, queue, appender, doorbell, cycles);
        } catch (RuntimeException e) {
            queue.close();
            throw e;
        }
    }

    /**
     * Appends one job; the worker is not woken (see {@link #flush()}).
     *
     * @param deadlineNanos  opaque to this module (the front's clock)
     * @param maxAckPayload  how many bytes the worker's answer may take
     * @throws IllegalArgumentException if {@code length} exceeds {@link #MAX_LENGTH}
     */
    public void append(long jobId, long deadlineNanos, int maxAckPayload, byte[] buf, int offset, int length) {
        append(jobId, deadlineNanos, maxAckPayload, 0, 0, 0, buf, offset, length);
    }

    /**
     * The same, with where the NOTIFY came from, for the worker's log lines about it.
     *
     * @param connection the front's number for the connection
     */
    public void append(long jobId, long deadlineNanos, int maxAckPayload, long connection, long streamId, long frameId, byte[] buf,
            int offset, int length) {
        Records.checkSlice(buf, offset, length, MAX_LENGTH);
        cycles.beforeAppend();
        try (DocumentContext dc = appender.writingDocument()) {
            cycles.appended(JobRecord.write(dc.wire().bytes(), jobId, deadlineNanos, maxAckPayload, connection, streamId, frameId, buf,
                    offset, length));
        }
    }

    /**
     * Wakes the worker if it is parked; call once per batch of appends. Costs no syscall otherwise.
     *
     * @return whether the worker was parked and is now woken
     */
    public boolean flush() {
        return doorbell.ring();
    }

    /**
     * Hands every job still in the queue's files to {@code visitor}, oldest first. After the worker
     * died, the jobs it had not answered are among them: its reader only deletes a cycle once it has
     * read past it, and it answers jobs in order, so the cycles gone held only answered jobs. Meant
     * for that rare moment, not the hot path: each job is copied out.
     */
    public void replay(Consumer<JobReader.Job> visitor) {
        queue.refreshDirectoryListing(); // the worker deleted the cycles it finished; do not look for them
        try (ExcerptTailer tailer = queue.createTailer()) {
            tailer.singleThreadedCheckDisabled(true);
            while (true) {
                JobReader.Job job;
                try (DocumentContext dc = tailer.readingDocument()) {
                    if (!dc.isPresent()) {
                        return;
                    }
                    job = JobRecord.read(dc.wire().bytes());
                }
                visitor.accept(job);
            }
        }
    }

    @Override
    public void close() {
        try (doorbell; queue; appender) {
            Logger.debug("job writer closed on {}", queues);
        }
    }

    @Override
    public String toString() {
        return "JobWriter " + queues;
    }
}
