package dev.spoa.supervisor.dispatch;

import dev.spoa.ipc.JobWriter;
import dev.spoa.ipc.ResultReader;
import dev.spoa.ipc.WorkerQueues;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One worker incarnation as the front sees it: its pair of queues and how busy it is. The job
 * writer belongs to the front's thread, the result reader to the result thread.
 */
public final class WorkerChannel {
    private final WorkerQueues queues;
    private final JobWriter jobs;
    private final ResultReader results;
    final AtomicInteger outstanding = new AtomicInteger();
    private volatile boolean ready;
    private volatile boolean gone;
    /** Completed by the result thread once the last results of a gone incarnation are in and its pending jobs answered. */
    final CompletableFuture<Void> retired = new CompletableFuture<>();
    boolean needsFlush;

    public WorkerChannel(WorkerQueues queues) {
        this.queues = queues;
        this.jobs = JobWriter.open(queues);
        this.results = ResultReader.open(queues);
    }

    public int worker() {
        return queues.worker();
    }

    public long generation() {
        return queues.generation();
    }

    public WorkerQueues queues() {
        return queues;
    }

    JobWriter jobs() {
        return jobs;
    }

    ResultReader results() {
        return results;
    }

    public boolean isReady() {
        return ready;
    }

    void markReady() {
        ready = true;
    }

    /** The process is gone: no new jobs; the result thread drains what it wrote and answers the rest. */
    public CompletableFuture<Void> markGone() {
        gone = true;
        return retired;
    }

    boolean isGone() {
        return gone;
    }

    public int outstanding() {
        return outstanding.get();
    }

    @Override
    public String toString() {
        return "worker " + queues.worker() + " (generation " + queues.generation() + ")";
    }
}
