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
    /** Jobs sent and not yet returned by this worker (a job answered by timeout still counts until it comes back). */
    final AtomicInteger outstanding = new AtomicInteger();
    /** When this worker last returned a result, or got work while idle: how the front tells stuck from slow. */
    volatile long lastProgressNanos = System.nanoTime();
    private volatile boolean ready;
    private volatile boolean gone;
    private volatile boolean stuck;
    private volatile Runnable kill = () -> { };
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

    /** The pool says how to kill this incarnation's process, once it has one. */
    public void killWith(Runnable kill) {
        this.kill = kill;
    }

    /** No progress for too long while holding jobs: no new jobs, and the process is killed (the pool replaces it). */
    void markStuckAndKill() {
        stuck = true;
        kill.run();
    }

    /** Whether the front may give it a job. */
    boolean takesJobs() {
        return ready && !gone && !stuck;
    }

    public int outstanding() {
        return outstanding.get();
    }

    @Override
    public String toString() {
        return "worker " + queues.worker() + " (generation " + queues.generation() + ")";
    }
}
