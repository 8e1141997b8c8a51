package dev.spoa.supervisor.dispatch;

import dev.spoa.protocol.ActionList;
import dev.spoa.protocol.FrameTooBigException;
import dev.spoa.protocol.WireWriter;
import dev.spoa.worker.ErrorVariable;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.tinylog.Logger;

/**
 * Routes each NOTIFY to the worker with the least outstanding work and brings each result back to
 * the connection it came from. Every job ends in exactly one ACK: the worker's actions, or the
 * error variable when no ready worker exists ({@code overloaded}), the deadline passes
 * ({@code timeout}) or the worker holding it dies ({@code worker-died}). Whoever removes a job
 * from the pending table answers it; a late result finds nothing and is dropped.
 *
 * <p>A worker that holds jobs and returns nothing for longer than the timeout plus a grace period
 * is stuck (a runaway handler: nothing inside the JVM can stop it reliably): it gets no new job and
 * its process is killed, so that the pool starts a fresh one.
 *
 * <p>{@link #submit}, {@link #flush} and {@link #expire} belong to the front's thread; results and
 * retirements come from the result thread.
 */
public final class Dispatcher {
    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
    private final List<WorkerChannel> channels = new CopyOnWriteArrayList<>();
    private final DeadlineQueue deadlines = new DeadlineQueue();
    private final long timeoutNanos;
    private final long stuckAfterNanos;
    private final byte[] overloaded;
    private final byte[] timedOut;
    private final byte[] workerDied;
    private long lastJobId;
    private long timeoutsUnlogged;
    private long lastTimeoutLog;

    private record Pending(AckSink sink, long streamId, long frameId, WorkerChannel channel) {
    }

    public Dispatcher(long timeoutNanos, ErrorVariable errorVariable) {
        this.timeoutNanos = timeoutNanos;
        this.stuckAfterNanos = timeoutNanos + Math.max(TimeUnit.SECONDS.toNanos(1), timeoutNanos);
        this.overloaded = errorActions(errorVariable, ErrorVariable.OVERLOADED);
        this.timedOut = errorActions(errorVariable, ErrorVariable.TIMEOUT);
        this.workerDied = errorActions(errorVariable, ErrorVariable.WORKER_DIED);
    }

    /** The action list that sets the error variable to {@code reason}. */
    public static byte[] errorActions(ErrorVariable errorVariable, String reason) {
        byte[] buf = new byte[256];
        WireWriter out = new WireWriter(buf);
        try {
            ActionList.encode(List.of(errorVariable.set(reason)), out);
        } catch (FrameTooBigException e) {
            throw new IllegalArgumentException("error variable name too long: " + errorVariable.name(), e);
        }
        return Arrays.copyOf(buf, out.position());
    }

    public void add(WorkerChannel channel) {
        channels.add(channel);
    }

    public List<WorkerChannel> channels() {
        return channels;
    }

    public int pendingJobs() {
        return pending.size();
    }

    /** Front thread: one NOTIFY's messages become a job for the least busy ready worker. */
    public void submit(AckSink sink, long streamId, long frameId, byte[] buf, int offset, int length, int maxAckPayload) {
        WorkerChannel target = null;
        for (WorkerChannel channel : channels) {
            if (channel.takesJobs() && (target == null || channel.outstanding.get() < target.outstanding.get())) {
                target = channel;
            }
        }
        if (target == null) {
            Logger.debug("no worker ready: stream {} frame {} answered as overloaded", streamId, frameId);
            sink.deliver(streamId, frameId, overloaded);
            return;
        }
        long jobId = ++lastJobId;
        long now = System.nanoTime();
        long deadline = now + timeoutNanos;
        deadlines.add(jobId, deadline); // first: whatever happens next, the job is answered by its deadline
        Pending job = new Pending(sink, streamId, frameId, target);
        pending.put(jobId, job);
        if (target.outstanding.getAndIncrement() == 0) {
            target.lastProgressNanos = now; // an idle worker's clock starts with its first job
        }
        try {
            target.jobs().append(jobId, deadline, maxAckPayload, buf, offset, length);
        } catch (RuntimeException e) {
            Logger.error(e, "{}: cannot queue a job", target);
            target.outstanding.decrementAndGet();
            answer(jobId, job, overloaded);
            return;
        }
        target.needsFlush = true;
        if (target.isGone()) {
            // Retired between the choice and the append: its retirement may have missed this job.
            answer(jobId, job, workerDied);
        }
    }

    private void answer(long jobId, Pending job, byte[] actions) {
        if (pending.remove(jobId, job)) {
            job.sink.deliver(job.streamId, job.frameId, actions);
        }
    }

    /**
     * Front thread, after each round of reads: wakes each worker that got jobs, once. Also lets go
     * of incarnations the result thread has retired: their job writer is this thread's to close.
     */
    public void flush() {
        for (WorkerChannel channel : channels) {
            if (channel.isGone()) {
                if (channel.retired.isDone()) {
                    channels.remove(channel);
                    channel.jobs().close();
                    channel.queues().delete();
                }
            } else if (channel.needsFlush) {
                channel.needsFlush = false;
                channel.jobs().flush();
            }
        }
    }

    /**
     * Front thread: answers the jobs whose deadline has passed with the error variable.
     *
     * @return nanoseconds until the next deadline, or {@code Long.MAX_VALUE} when nothing waits
     */
    public long expire(long now) {
        while (!deadlines.isEmpty()) {
            long wait = deadlines.firstDeadline() - now;
            if (wait > 0) {
                return wait;
            }
            Pending timedOutJob = pending.remove(deadlines.removeFirst());
            if (timedOutJob != null) {
                timedOutJob.sink.deliver(timedOutJob.streamId, timedOutJob.frameId, timedOut);
                timeoutsUnlogged++;
            }
        }
        logTimeouts(now);
        return Long.MAX_VALUE;
    }

    /** At most a line a second: a stuck worker under load times out thousands of jobs a second. */
    private void logTimeouts(long now) {
        if (timeoutsUnlogged > 0 && now - lastTimeoutLog > TimeUnit.SECONDS.toNanos(1)) {
            Logger.warn("{} jobs answered with {}: no result within {} ms", timeoutsUnlogged, ErrorVariable.TIMEOUT,
                    TimeUnit.NANOSECONDS.toMillis(timeoutNanos));
            timeoutsUnlogged = 0;
            lastTimeoutLog = now;
        }
    }

    /** Front thread, every turn: a worker holding jobs that has returned nothing for too long is stuck. */
    public void killStuckWorkers(long now) {
        for (WorkerChannel channel : channels) {
            if (channel.takesJobs() && channel.outstanding.get() > 0 && now - channel.lastProgressNanos > stuckAfterNanos) {
                Logger.error("{} returned nothing for {} ms while holding {} jobs: killing it", channel,
                        TimeUnit.NANOSECONDS.toMillis(now - channel.lastProgressNanos), channel.outstanding.get());
                channel.markStuckAndKill();
            }
        }
    }

    /** Result thread: a worker's answer to a job. */
    void complete(WorkerChannel channel, long jobId, byte[] buf, int offset, int length) {
        channel.outstanding.decrementAndGet();
        channel.lastProgressNanos = System.nanoTime();
        Pending job = pending.remove(jobId);
        if (job == null) {
            return; // answered already (timeout, worker gone): the worker's late answer is dropped
        }
        if (job.sink.isOpen()) {
            job.sink.deliver(job.streamId, job.frameId, Arrays.copyOfRange(buf, offset, offset + length));
        }
    }

    /** Result thread: the incarnation is gone and its last results are in; what it still held gets {@code worker-died}. */
    void retire(WorkerChannel channel) {
        int answered = 0;
        for (Map.Entry<Long, Pending> entry : pending.entrySet()) {
            if (entry.getValue().channel == channel && pending.remove(entry.getKey(), entry.getValue())) {
                Pending job = entry.getValue();
                job.sink.deliver(job.streamId, job.frameId, workerDied);
                answered++;
            }
        }
        if (answered > 0) {
            Logger.warn("{} died holding {} jobs: answered with {}", channel, answered, ErrorVariable.WORKER_DIED);
        }
    }
}
