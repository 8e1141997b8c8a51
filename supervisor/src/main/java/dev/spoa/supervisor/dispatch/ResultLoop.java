package dev.spoa.supervisor.dispatch;

import dev.spoa.ipc.Doorbell;
import dev.spoa.worker.JobOutcome;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.tinylog.Logger;

/**
 * The result thread: parks on the front's doorbell, which any worker rings after appending results,
 * then drains every worker's result queue into the dispatcher and wakes the front once per batch.
 * It also sees workers announce they are ready, and retires the incarnations that are gone once
 * their last results are in.
 */
public final class ResultLoop implements Runnable {
    private static final int BATCH = 256;
    /** Results and retirements ring the doorbell; the park's limit only matters if nothing does. */
    private static final long PARK_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Dispatcher dispatcher;
    private final Doorbell doorbell;
    private final Runnable wakeFront;
    private final Runnable onFatal;
    /** Made once: a method reference built at each call would allocate on every park. */
    private final BooleanSupplier anyResult = this::anyResult;
    private volatile boolean running = true;

    /** {@code onFatal} runs if this thread dies: no result would ever come back, so the agent must exit. */
    public ResultLoop(Dispatcher dispatcher, Doorbell doorbell, Runnable wakeFront, Runnable onFatal) {
        this.dispatcher = dispatcher;
        this.doorbell = doorbell;
        this.wakeFront = wakeFront;
        this.onFatal = onFatal;
    }

    public void stop() {
        running = false;
        doorbell.ring();
    }

    /** A worker is gone: retire it now rather than at the next result. */
    public void wake() {
        doorbell.ring();
    }

    @Override
    public void run() {
        try {
            while (running) {
                doorbell.await(PARK_NANOS, anyResult);
                int results = 0;
                for (WorkerChannel channel : dispatcher.channels()) {
                    if (channel.retired.isDone()) {
                        continue;
                    }
                    boolean gone = channel.isGone(); // read before draining: what it wrote before dying is in
                    results += drain(channel);
                    if (gone) {
                        // Its last results are in: the front's thread takes over what it still held.
                        channel.results().close();
                        channel.retired.complete(null);
                        results++;
                    }
                }
                if (results > 0) {
                    wakeFront.run();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            Logger.error(e, "the result thread failed; the agent stops");
            onFatal.run();
        }
    }

    private boolean anyResult() {
        for (WorkerChannel channel : dispatcher.channels()) {
            if (!channel.retired.isDone() && (channel.isGone() || channel.results().hasNext())) {
                return true;
            }
        }
        return !running;
    }

    private int drain(WorkerChannel channel) {
        int total = 0;
        int drained;
        do {
            long now = System.nanoTime(); // the ACK latency's end for the whole batch: one clock reading, not one per result
            drained = channel.results().drain((jobId, outcome, buf, offset, length) -> {
                if (outcome == JobOutcome.READY) {
                    channel.markReady();
                    Logger.info("{} ready", channel);
                } else {
                    dispatcher.complete(channel, jobId, outcome, buf, offset, length, now);
                }
            }, BATCH);
            total += drained;
        } while (drained == BATCH);
        return total;
    }
}
