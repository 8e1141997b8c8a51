package dev.spoa.ipc;

import java.nio.file.Path;

import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;

import org.tinylog.Logger;

/** The worker's end of its result queue. Used by one thread at a time. */
public final class ResultWriter implements AutoCloseable {

    /** The largest payload slice a result may carry. */
    public static final int MAX_LENGTH = Queues.MAX_RECORD - ResultRecord.MAX_HEADER;

    private final WorkerQueues queues;
    private final SingleChronicleQueue queue;
    private final ExcerptAppender appender;
    private final Doorbell frontDoorbell;
    private final CycleClock cycles;

    private ResultWriter(WorkerQueues queues, SingleChronicleQueue queue, ExcerptAppender appender, Doorbell frontDoorbell,
            CycleClock cycles) {
        this.queues = queues;
        this.queue = queue;
        this.appender = appender;
        this.frontDoorbell = frontDoorbell;
        this.cycles = cycles;
    }

    /**
     * @param frontDoorbellFile the doorbell of the front ({@link RunDir#frontDoorbellFile()}, a
     *                          {@link FrontBell}), shared by every worker
     */
    public static ResultWriter open(WorkerQueues q, Path frontDoorbellFile) {
        return open(q, frontDoorbellFile, Tuning.DEFAULT.withDoorbell(DoorbellKind.SOCKET)); // the front waits in its selector
    }

    static ResultWriter open(WorkerQueues q, Path frontDoorbellFile, Tuning tuning) {
        CycleClock cycles = Queues.cycleClock(tuning);
        SingleChronicleQueue queue = Queues.openForWriting(q.resultsDir(), cycles);
        try {
            ExcerptAppender appender = queue.createAppender();
            appender.singleThreadedCheckDisabled(true); // ownership may move between threads, see JobWriter
            Doorbell doorbell = Doorbell.open(frontDoorbellFile, tuning);
            Logger.debug("result writer open on {}", q);
            return new ResultWriter(q, queue, appender, doorbell, cycles);
        } catch (RuntimeException e) {
            queue.close();
            throw e;
        }
    }

    /**
     * Appends one result; the front is not woken (see {@link #flush()}).
     *
     * @param outcome opaque to this module
     * @throws IllegalArgumentException if {@code length} exceeds {@link #MAX_LENGTH}
     */
    public void append(long jobId, int outcome, byte[] buf, int offset, int length) {
        Records.checkSlice(buf, offset, length, MAX_LENGTH);
        cycles.beforeAppend();
        try (DocumentContext dc = appender.writingDocument()) {
            cycles.appended(ResultRecord.write(dc.wire().bytes(), jobId, outcome, buf, offset, length));
        }
    }

    /** Wakes the front if it is parked; call once per batch of appends. Costs no syscall otherwise. */
    public void flush() {
        frontDoorbell.ring();
    }

    @Override
    public void close() {
        try (frontDoorbell; queue; appender) {
            Logger.debug("result writer closed on {}", queues);
        }
    }

    @Override
    public String toString() {
        return "ResultWriter " + queues;
    }
}
