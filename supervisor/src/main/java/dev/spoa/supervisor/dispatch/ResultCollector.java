package dev.spoa.supervisor.dispatch;

import dev.spoa.ipc.ResultReader.ResultConsumer;
import dev.spoa.worker.JobOutcome;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.tinylog.Logger;

/**
 * Brings the workers' results to the dispatcher, on the front's thread, each time its selector
 * returns: a worker that appends results rings the front's bell (a byte the selector sees) when
 * the front waits. It also sees workers announce they are ready, and retires the incarnations that
 * are gone once their last results are in.
 */
public final class ResultCollector {
    private static final int BATCH = 256;

    private final Dispatcher dispatcher;
    /** Made once: a method reference built at each call would allocate every time the front waits. */
    private final BooleanSupplier anyResult = this::resultWaiting;
    /**
     * The result handler {@link #drain} uses, made once (a capturing lambda was garbage per drain,
     * per request at low rates): the channel and the clock reading it needs are set for each batch.
     */
    private final ResultConsumer toDispatcher = this::onResult;
    private WorkerChannel draining;
    private long batchNanos;

    public ResultCollector(Dispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    /** Whether a result (or a gone worker to retire) is waiting: what the front checks before it sleeps. */
    public BooleanSupplier anyResult() {
        return anyResult;
    }

    private boolean resultWaiting() {
        List<WorkerChannel> channels = dispatcher.channels();
        for (int i = 0; i < channels.size(); i++) { // see collect() for why not for-each
            WorkerChannel channel = channels.get(i);
            if (!channel.retired && (channel.isGone() || (mayHaveResults(channel) && channel.results().hasNext()))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether to look at a worker's result queue at all: not when it is ready and holds no job, as
     * nothing can come then. A look at an empty Chronicle queue is not free (it checks for a newer
     * cycle file), and with jobs packed onto few workers most hold none: measured at 5,000
     * NOTIFYs/s, looking at all five queues every turn took a third of the front's core.
     */
    private static boolean mayHaveResults(WorkerChannel channel) {
        return !channel.isReady() || channel.outstanding() > 0;
    }

    /** Front thread: hands every result waiting to the dispatcher and retires gone incarnations. */
    public void collect() {
        // By index, not for-each: JFR's allocation samples at 8x16 caught the copy-on-write list's
        // iterator here, made on every turn of the front (escape analysis does not always remove
        // it). Safe: channels are removed only on this thread (Dispatcher.flush); the pool's thread
        // only adds them, at the end.
        List<WorkerChannel> channels = dispatcher.channels();
        for (int i = 0; i < channels.size(); i++) {
            WorkerChannel channel = channels.get(i);
            if (channel.retired) {
                continue;
            }
            boolean gone = channel.isGone(); // read before draining: what it wrote before dying is in
            if (gone || mayHaveResults(channel)) {
                drain(channel);
            }
            if (gone) {
                // Its last results are in: the dispatcher's next flush takes over what it still held.
                channel.results().close();
                channel.retired = true;
            }
        }
    }

    private void drain(WorkerChannel channel) {
        draining = channel;
        int drained;
        do {
            batchNanos = System.nanoTime(); // the ACK latency's end for the whole batch: one clock reading, not one per result
            drained = channel.results().drain(toDispatcher, BATCH);
        } while (drained == BATCH);
        draining = null;
    }

    private void onResult(long jobId, int outcome, byte[] buf, int offset, int length) {
        if (outcome == JobOutcome.READY) {
            // Said first: whatever a worker's readiness sets off (the other workers' start, jobs) comes after it in the log.
            Logger.info("{} ready", draining);
            draining.markReady();
        } else {
            dispatcher.complete(draining, jobId, outcome, buf, offset, length, batchNanos);
        }
    }
}
