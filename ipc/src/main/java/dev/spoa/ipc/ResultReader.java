package dev.spoa.ipc;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;

import org.tinylog.Logger;

/**
 * The front's end of one worker incarnation's result queue. Never blocks: the front waits for the
 * shared front doorbell ({@link FrontBell}) and drains every reader when it wakes. Payloads are copied
 * into one reused array, so draining allocates nothing once that array has grown to the largest
 * payload seen. Used by one thread at a time.
 */
public final class ResultReader implements AutoCloseable {

    /** Receives one result. {@code buf} is only valid during the call. */
    @FunctionalInterface
    public interface ResultConsumer {
        void accept(long jobId, int outcome, byte[] buf, int offset, int length);
    }

    private final WorkerQueues queues;
    private final SingleChronicleQueue queue;
    private final ExcerptTailer tailer;
    private final ConsumedCycles consumed;
    private byte[] scratch = new byte[4096];

    private ResultReader(WorkerQueues queues, SingleChronicleQueue queue, ExcerptTailer tailer) {
        this.queues = queues;
        this.queue = queue;
        this.tailer = tailer;
        this.consumed = new ConsumedCycles(queue, tailer);
    }

    public static ResultReader open(WorkerQueues q) {
        return open(q, Tuning.DEFAULT);
    }

    static ResultReader open(WorkerQueues q, Tuning tuning) {
        SingleChronicleQueue queue = Queues.open(q.resultsDir(), tuning);
        try {
            ExcerptTailer tailer = queue.createTailer(); // fresh directory: starting at the first record is right
            tailer.singleThreadedCheckDisabled(true);
            Logger.debug("result reader open on {}", q);
            return new ResultReader(q, queue, tailer);
        } catch (RuntimeException e) {
            queue.close();
            throw e;
        }
    }

    /**
     * Hands up to {@code max} available results to {@code consumer}, in order, without waiting.
     * Each result counts as consumed once read, even if the consumer throws.
     *
     * @return how many were handed over
     */
    public int drain(ResultConsumer consumer, int max) {
        int count = 0;
        while (count < max) {
            long jobId;
            int outcome;
            int length;
            try (DocumentContext dc = tailer.readingDocument()) {
                if (!dc.isPresent()) {
                    break;
                }
                consumed.atRecord(); // at each record: it may be the first of a new cycle
                // ResultRecord's layout, read field by field here so nothing is allocated per record.
                Bytes<?> in = dc.wire().bytes();
                jobId = in.readStopBit();
                outcome = Records.readInt(in);
                length = Records.checkedLength(in, Records.readInt(in));
                if (length > scratch.length) {
                    scratch = new byte[Math.max(length, scratch.length * 2)];
                }
                Records.readFully(in, scratch, length);
            }
            count++;
            // Outside the read context: a slow or failing consumer holds nothing of the queue.
            consumer.accept(jobId, outcome, scratch, 0, length);
        }
        return count;
    }

    /** Whether a result is waiting; cheap enough for the check before parking. */
    public boolean hasNext() {
        try (DocumentContext dc = tailer.readingDocument()) {
            if (!dc.isPresent()) {
                return false;
            }
            dc.rollbackOnClose(); // leave it for drain
            return true;
        }
    }

    @Override
    public void close() {
        try (queue; tailer) {
            Logger.debug("result reader closed on {}", queues);
        }
    }

    @Override
    public String toString() {
        return "ResultReader " + queues;
    }
}
