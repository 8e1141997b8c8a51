package dev.spoa.supervisor.dispatch;

import dev.spoa.ipc.JobWriter;
import dev.spoa.ipc.ResultReader;
import dev.spoa.ipc.WorkerQueues;
import dev.spoa.ipc.WorkerStatus;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One worker incarnation as the front sees it: its pair of queues, its status file and how busy it
 * is. Its job writer and result reader belong to the front's thread.
 */
public final class WorkerChannel {
    private final WorkerQueues queues;
    private final JobWriter jobs;
    private final ResultReader results;
    private final WorkerStatus status;
    /** Jobs sent and not yet returned by this worker (a job answered by timeout still counts until it comes back). */
    final AtomicInteger outstanding = new AtomicInteger();
    /** Its handler runs past a job's deadline: no new job until it is done. The front's thread only. */
    boolean late;
    private volatile long readyNanos;
    private volatile boolean ready;
    private volatile boolean gone;
    private volatile boolean stuck;
    private volatile boolean draining;
    private volatile Runnable kill = () -> { };
    /** Set by the result collector once the last results of a gone incarnation are in; then the front takes over its jobs. Front thread only. */
    boolean retired;
    boolean needsFlush;
    /**
     * How many jobs may wait at this worker before a new one goes to another (see
     * {@link Dispatcher}'s packing): as many as it does in the packing budget, 1 until it is known.
     * The front's thread only, as are the two counts it was last learnt from.
     */
    int packLimit = 1;
    /** Its current job has run past the packing budget (front thread, set each turn): no batch for it now. */
    boolean slowNow;
    private long paceJobsDone;
    private long paceBusyNanos;

    public WorkerChannel(WorkerQueues queues) {
        this.queues = queues;
        this.status = WorkerStatus.create(queues);
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

    /** What the worker is doing; still readable after it died. */
    public WorkerStatus status() {
        return status;
    }

    public boolean isReady() {
        return ready;
    }

    /** When it said it was ready, on the {@link System#nanoTime()} clock; meaningless before. */
    public long readyNanos() {
        return readyNanos;
    }

    void markReady() {
        readyNanos = System.nanoTime();
        ready = true;
    }

    /** The process is gone: no new jobs; the front collects what it wrote, then rescues the rest. */
    public void markGone() {
        gone = true;
    }

    public boolean isGone() {
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

    /** Replaced (a reload): it finishes what it holds and gets nothing new, then it is stopped. */
    public void markDraining() {
        draining = true;
    }

    /**
     * Front thread: learns from the status file how long a job takes this worker, once it has done
     * {@code sample} more, and from that its {@link #packLimit}: {@code budgetNanos} worth of jobs,
     * from 1 to {@code cap}.
     */
    void learnPace(int sample, long budgetNanos, int cap) {
        long done = status.jobsDone(); // first: the busy time read next covers at least these jobs
        long jobs = done - paceJobsDone;
        if (jobs < sample) {
            return;
        }
        long busy = status.busyNanos();
        long perJob = Math.max(1, (busy - paceBusyNanos) / jobs);
        packLimit = (int) Math.max(1, Math.min(cap, budgetNanos / perJob));
        paceJobsDone = done;
        paceBusyNanos = busy;
    }

    /** Serving, though perhaps late: ready, alive and not condemned. */
    boolean isServing() {
        return ready && !gone && !stuck;
    }

    /** Whether the front may give it a job. */
    boolean takesJobs() {
        return isServing() && !late && !draining;
    }

    public int outstanding() {
        return outstanding.get();
    }

    @Override
    public String toString() {
        return "worker " + queues.worker() + " (generation " + queues.generation() + ")";
    }
}
