package dev.spoa.supervisor.dispatch;

import dev.spoa.ipc.JobReader;
import dev.spoa.ipc.WorkerStatus;
import dev.spoa.protocol.ActionList;
import dev.spoa.protocol.FrameTooBigException;
import dev.spoa.protocol.WireWriter;
import dev.spoa.supervisor.AgentConfig;
import dev.spoa.supervisor.metrics.AgentMetrics;
import dev.spoa.supervisor.metrics.ErrorReason;
import dev.spoa.supervisor.metrics.LiveState;
import dev.spoa.supervisor.metrics.Recorder;
import dev.spoa.worker.JobOutcome;
import dev.spoa.worker.ErrorVariable;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.tinylog.Logger;

/**
 * Routes each NOTIFY to a worker (packed into batches a worker does quickly, else to the least busy:
 * see {@link #leastBusy}) and brings each result back to the connection it came from. Every job ends in exactly one ACK: the worker's actions, or the
 * error variable when no worker can take it ({@code overloaded}), its deadline passes
 * ({@code timeout}) or it cannot be saved from a dying worker ({@code worker-died}). Whoever removes
 * a job from the pending table answers it; a late result finds nothing and is dropped.
 *
 * <p>When a worker dies, the jobs it had not answered are read back from its job queue and sent to
 * another worker while their deadline allows. The job its handler was running when it died counts
 * against the job: one that was in the hands of two workers that both died is a poison message and
 * gets {@code worker-died} instead of a third try.
 *
 * <p>Each worker's status file tells the front, without a round trip, which job its handler runs and
 * when its job loop last turned. A worker whose handler runs past the job's deadline gets no new
 * job; past the deadline plus the grace period it is killed (a runaway handler: nothing inside the
 * JVM can stop it reliably), as is a worker holding jobs whose loop has not turned for the timeout
 * plus the grace period (a stopped or wedged process). The pool starts a fresh one either way.
 *
 * <p>Everything here runs on the front's thread (results are collected there too, see
 * {@link ResultCollector}) but the reads of counts for metrics; the pool adds worker channels from
 * its own thread.
 */
public final class Dispatcher {
    /** A front turn comes at least once a second; a longer gap means the whole machine stalled. */
    private static final long FREEZE_NANOS = TimeUnit.SECONDS.toNanos(2);
    /** Deaths of the workers holding a job (running it) after which it is not tried again. */
    private static final int POISON_DEATHS = 2;
    /** How much work, in handler time, may wait at one worker before new jobs go to the next. */
    private static final long PACK_BUDGET_NANOS = TimeUnit.MICROSECONDS.toNanos(500);
    /** Jobs a worker's handler time is averaged over to learn its pace. */
    private static final int PACE_SAMPLE = 8;
    /** How long one worker comes first for packing before the next one does. */
    private static final long PACK_TURN_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** The front's thread only; other threads read its size for the metrics. */
    private final JobTable<Pending> pending = new JobTable<>();
    /** Appended to by the pool's thread; removed from only on the front's (flush), which ResultCollector's index loops rely on. */
    private final List<WorkerChannel> channels = new CopyOnWriteArrayList<>();
    private final long timeoutNanos;
    private final long graceNanos;
    private final int maxPerWorker;
    private final int maxPending;
    private final byte[] overloaded;
    private final byte[] timedOut;
    private final byte[] workerDied;
    private final int workers;
    private final AgentMetrics metrics;
    /** The counters of the front's own answers; the workers' results are counted in {@code metrics.results()}. */
    private final Recorder frontCounts;
    private long lastJobId;
    /**
     * The lowest job id that may still be pending: every one below it is answered. Ids and
     * deadlines are handed out in the same order (one timeout for every job), so expiry walks the
     * ids from here and stops at the first pending job whose deadline is ahead. A queue of
     * (id, deadline) pairs did the same with an entry per job until its deadline, answered or not:
     * rate × timeout entries, 8 MB of arrays kept after a run at 550 k NOTIFYs/s.
     */
    private long expiryCursor = 1;
    private long timeoutsUnlogged;
    private long lastTimeoutLog;
    private long overloadedUnlogged;
    private long lastOverloadedLog;
    /** The front's previous supervision; 0 before the first, which has nothing to compare with. */
    private long lastSupervision;
    private long killsPostponedUntil;
    /** The index in {@link #channels} that packing tries first, and when it last moved on. */
    private int packFirst;
    private long packTurnStarted;

    /**
     * @param deaths     how many workers died while running this job
     * @param message    its counting slot ({@link AgentMetrics#messageOf})
     * @param startNanos when its NOTIFY was read, for the ACK's latency
     */
    private record Pending(AckSink sink, long streamId, long frameId, WorkerChannel channel, int deaths, int message,
            long startNanos) {
        Pending movedTo(WorkerChannel target, int newDeaths) {
            return new Pending(sink, streamId, frameId, target, newDeaths, message, startNanos);
        }
    }

    public Dispatcher(AgentConfig config) {
        this.timeoutNanos = config.jobTimeout().toNanos();
        this.graceNanos = config.killGrace().toNanos();
        this.maxPerWorker = config.maxPerWorker();
        this.maxPending = config.maxPending();
        this.overloaded = errorActions(config.errorVariable(), ErrorVariable.OVERLOADED);
        this.timedOut = errorActions(config.errorVariable(), ErrorVariable.TIMEOUT);
        this.workerDied = errorActions(config.errorVariable(), ErrorVariable.WORKER_DIED);
        this.workers = config.workers();
        this.metrics = new AgentMetrics(config.workers(), this::liveState);
        this.frontCounts = metrics.front();
    }

    /** The agent's counters; the front, the pool and the metrics endpoint reach them here. */
    public AgentMetrics metrics() {
        return metrics;
    }

    /**
     * For a metrics snapshot (any thread): the jobs held now, and by which worker; the worker
     * indexes served by a ready process (during a reload, a slot's old and new one count once).
     */
    private LiveState liveState() {
        int[] queueDepth = new int[workers];
        for (WorkerChannel channel : channels) {
            if (channel.worker() < workers) {
                queueDepth[channel.worker()] += channel.outstanding();
            }
        }
        return new LiveState(pending.size(), readyWorkers(), queueDepth);
    }

    /** Worker indexes served by a live process that said it is ready (during a reload, a slot's old and new one count once). */
    public int readyWorkers() {
        boolean[] served = new boolean[workers];
        int ready = 0;
        for (WorkerChannel channel : channels) {
            int worker = channel.worker();
            if (worker < workers && channel.isReady() && !channel.isGone() && !served[worker]) {
                served[worker] = true;
                ready++;
            }
        }
        return ready;
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

    /** Front thread: one NOTIFY's messages become a job for a worker that takes jobs (see {@link #leastBusy}). */
    public void submit(AckSink sink, long streamId, long frameId, byte[] buf, int offset, int length, int maxAckPayload) {
        int message = metrics.messageOf(buf, offset, length);
        frontCounts.notified(message);
        WorkerChannel target = pending.size() < maxPending ? leastBusy() : null;
        if (target == null) {
            sink.deliver(streamId, frameId, overloaded, 0, overloaded.length);
            frontCounts.answered(message, 0); // at once: not worth a clock reading
            frontCounts.failed(ErrorReason.OVERLOADED);
            overloadedUnlogged++;
            return;
        }
        long jobId = ++lastJobId;
        long start = System.nanoTime();
        long deadline = start + timeoutNanos;
        Pending job = new Pending(sink, streamId, frameId, target, 0, message, start);
        pending.put(jobId, job); // first: whatever happens next, the job is answered by its deadline (see expire)
        send(target, jobId, job, deadline, maxAckPayload, buf, offset, length);
    }

    /**
     * The worker for a new job, or null when every one that takes jobs is full. Jobs are packed:
     * the first worker, in pool order, that holds fewer than its pack limit takes it; only when all
     * hold that many does the least busy one. Spreading each batch over every worker makes each of
     * them wake up and take its turn on the CPU for a few jobs; packed, one awake worker answers
     * the batch (measured on one core at 8 connections × 16 in flight: 209 k ACK/s spread over 5
     * workers, 348 k with a single worker). The pack limit is what a worker does in
     * {@link #PACK_BUDGET_NANOS} of handler time, so a fast handler gets batches and a slow one
     * (limit 1) gets its jobs spread as before. Which worker comes first changes every
     * {@link #PACK_TURN_NANOS}, so that every worker's JIT has compiled the hot paths by the time a
     * burst spills over to it (measured: a never-used worker answered 64×16 at half the speed). A
     * worker whose current job has run past the budget
     * gets no batch either, whatever its pace: jobs are not queued behind one that hangs.
     */
    private WorkerChannel leastBusy() {
        WorkerChannel target = null;
        int fewest = maxPerWorker;
        int count = channels.size();
        for (int i = 0; i < count; i++) {
            WorkerChannel channel = channels.get((packFirst + i) % count);
            if (!channel.takesJobs()) {
                continue;
            }
            int outstanding = channel.outstanding.get();
            if (outstanding < channel.packLimit && !channel.slowNow) {
                return channel;
            }
            if (outstanding < fewest) {
                target = channel;
                fewest = outstanding;
            }
        }
        return target;
    }

    private void send(WorkerChannel target, long jobId, Pending job, long deadline, int maxAckPayload, byte[] buf, int offset,
            int length) {
        target.outstanding.incrementAndGet();
        try {
            target.jobs().append(jobId, deadline, maxAckPayload, job.sink.id(), job.streamId, job.frameId, buf, offset, length);
        } catch (RuntimeException e) {
            Logger.error(e, "{}: cannot queue a job", target);
            target.outstanding.decrementAndGet();
            answer(jobId, job, overloaded, ErrorReason.OVERLOADED);
            return;
        }
        target.needsFlush = true;
    }

    /** Front thread: answers a job with the error variable, unless it was answered already. */
    private boolean answer(long jobId, Pending job, byte[] actions, ErrorReason reason) {
        if (pending.remove(jobId, job)) {
            job.sink.deliver(job.streamId, job.frameId, actions, 0, actions.length);
            frontCounts.answered(job.message, System.nanoTime() - job.startNanos);
            frontCounts.failed(reason);
            return true;
        }
        return false;
    }

    /**
     * Front thread, after each round of reads: wakes each worker that got jobs, once. Also takes
     * over from incarnations the result collector has retired: what they still held goes to other
     * workers, and their job writer, which is this thread's, is closed.
     *
     * @return whether a worker was parked and is now woken
     */
    public boolean flush() {
        boolean woke = false;
        // By index, not for-each, here and in superviseWorkers: both run at every turn of the front
        // (back to back while it polls, --busy-poll), and the copy-on-write list's iterator is an
        // object each time that escape analysis does not always remove (JFR caught it). Safe: channels are removed only on this thread; the pool's thread only adds them, at
        // the end, so the backward pass below sees every channel that was there when it began.
        for (int i = channels.size() - 1; i >= 0; i--) {
            WorkerChannel channel = channels.get(i);
            if (channel.isGone() && channel.retired) {
                channels.remove(i);
                rescue(channel);
                channel.jobs().close();
                channel.queues().delete();
            }
        }
        for (int i = 0; i < channels.size(); i++) {
            WorkerChannel channel = channels.get(i);
            if (channel.needsFlush) {
                channel.needsFlush = false;
                woke |= channel.jobs().flush();
            }
        }
        logOverloaded();
        return woke;
    }

    /** A dead incarnation's unanswered jobs: sent to another worker while their deadline allows, else {@code worker-died}. */
    private void rescue(WorkerChannel dead) {
        long running = dead.status().currentJob();
        int[] counts = new int[3]; // sent elsewhere, worker-died, poison
        dead.jobs().replay(job -> {
            Pending held = pending.get(job.jobId());
            if (held == null || held.channel != dead) {
                return; // answered already
            }
            int deaths = held.deaths + (job.jobId() == running ? 1 : 0);
            if (deaths >= POISON_DEATHS) {
                if (answer(job.jobId(), held, workerDied, ErrorReason.WORKER_DIED)) {
                    counts[2]++;
                    Logger.error("{}: stream {} frame {}: job {} was running in two workers that both died: answered with {}, "
                            + "not tried again", held.sink, held.streamId, held.frameId, job.jobId(), ErrorVariable.WORKER_DIED);
                }
                return;
            }
            WorkerChannel target = System.nanoTime() - job.deadlineNanos() < 0 ? leastBusy() : null;
            if (target == null) {
                if (answer(job.jobId(), held, workerDied, ErrorReason.WORKER_DIED)) {
                    counts[1]++;
                }
                return;
            }
            Pending moved = held.movedTo(target, deaths);
            if (pending.replace(job.jobId(), held, moved)) {
                send(target, job.jobId(), moved, job.deadlineNanos(), job.maxAckPayload(), job.messages(), 0,
                        job.messages().length);
                counts[0]++;
            }
        });
        // Nothing should be left, as every job went through the queue; if something is, it has an answer too.
        for (long jobId : pending.idsWhere(held -> held.channel == dead)) {
            Pending held = pending.get(jobId);
            if (held != null && answer(jobId, held, workerDied, ErrorReason.WORKER_DIED)) {
                counts[1]++;
            }
        }
        if (counts[0] + counts[1] + counts[2] > 0) {
            Logger.warn("{} died holding {} jobs: {} sent to other workers, {} answered with {}", dead,
                    counts[0] + counts[1] + counts[2], counts[0], counts[1] + counts[2], ErrorVariable.WORKER_DIED);
        }
    }

    /**
     * Front thread: answers the jobs whose deadline has passed with the error variable.
     *
     * @return nanoseconds until the next deadline, or {@code Long.MAX_VALUE} when nothing waits
     */
    public long expire(long now) {
        while (expiryCursor <= lastJobId) {
            Pending job = pending.get(expiryCursor);
            if (job == null) {
                // Answered. After a long run of ids went by behind one held job (for its whole
                // timeout, say, at hundreds of thousands a second), one pass over the table finds the
                // oldest pending job sooner than a lookup per id would.
                expiryCursor = lastJobId - expiryCursor > pending.capacity()
                        ? Math.min(lastJobId + 1, pending.lowestId()) : expiryCursor + 1;
                continue;
            }
            long wait = job.startNanos + timeoutNanos - now;
            if (wait > 0) {
                logTimeouts(now);
                return wait;
            }
            pending.remove(expiryCursor);
            job.sink.deliver(job.streamId, job.frameId, timedOut, 0, timedOut.length);
            frontCounts.answered(job.message, now - job.startNanos);
            frontCounts.failed(ErrorReason.TIMEOUT);
            timeoutsUnlogged++;
            expiryCursor++;
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

    private void logOverloaded() {
        if (overloadedUnlogged == 0) {
            return;
        }
        long now = System.nanoTime();
        if (now - lastOverloadedLog > TimeUnit.SECONDS.toNanos(1)) {
            Logger.warn("{} NOTIFYs answered with {}: no worker ready or every worker full ({} jobs pending)",
                    overloadedUnlogged, ErrorVariable.OVERLOADED, pending.size());
            overloadedUnlogged = 0;
            lastOverloadedLog = now;
        }
    }

    /**
     * Front thread, every turn: reads each worker's status. A worker whose handler runs past its
     * job's deadline takes no new job; past the grace period it is killed, as is one holding jobs
     * whose loop stopped turning. After the front itself stalled (the machine froze), kills wait one
     * grace period: every process stalled alike, and none deserves to die for it.
     */
    public void superviseWorkers(long now) {
        if (lastSupervision != 0 && now - lastSupervision > FREEZE_NANOS) {
            killsPostponedUntil = now + Math.max(graceNanos, TimeUnit.SECONDS.toNanos(1));
            Logger.info("the front did not run for {} ms (a stall of the machine?): no worker is killed for the next {} ms",
                    TimeUnit.NANOSECONDS.toMillis(now - lastSupervision),
                    TimeUnit.NANOSECONDS.toMillis(killsPostponedUntil - now));
        }
        lastSupervision = now;
        if (packTurnStarted == 0) {
            packTurnStarted = now;
        } else if (now - packTurnStarted > PACK_TURN_NANOS) {
            packTurnStarted = now;
            packFirst = channels.isEmpty() ? 0 : (packFirst + 1) % channels.size();
        }
        boolean mayKill = now - killsPostponedUntil >= 0;
        for (int i = 0; i < channels.size(); i++) { // by index: see flush()
            WorkerChannel channel = channels.get(i);
            if (!channel.isServing()) {
                continue;
            }
            channel.learnPace(PACE_SAMPLE, PACK_BUDGET_NANOS, maxPerWorker);
            WorkerStatus status = channel.status();
            long running = status.currentJob();
            // While a job runs, the heartbeat is its start: one running past the budget (a handler
            // that hangs, or is slow this once) gets no batch queued behind it.
            channel.slowNow = running != 0 && now - status.heartbeat() > PACK_BUDGET_NANOS;
            long overrun = running == 0 ? -1 : now - status.currentDeadline();
            channel.late = overrun > 0;
            if (!mayKill) {
                continue;
            }
            if (overrun > graceNanos) {
                Pending overrunning = pending.get(running);
                Logger.error("{}{} has run job {} for {} ms past its deadline: killing it", overrunning == null ? ""
                        : overrunning.sink + ": stream " + overrunning.streamId + " frame " + overrunning.frameId + ": ", channel,
                        running, TimeUnit.NANOSECONDS.toMillis(overrun));
                channel.markStuckAndKill();
            } else if (channel.outstanding.get() > 0 && now - status.heartbeat() > timeoutNanos + graceNanos) {
                Logger.error("{} holds {} jobs and its job loop has not turned for {} ms: killing it", channel,
                        channel.outstanding.get(), TimeUnit.NANOSECONDS.toMillis(now - status.heartbeat()));
                channel.markStuckAndKill();
            }
        }
    }

    /**
     * Front thread: a worker's answer to a job, with its {@link JobOutcome}; {@code now} is a
     * clock reading taken for the batch it came in (one per batch, not one per result).
     */
    void complete(WorkerChannel channel, long jobId, int outcome, byte[] buf, int offset, int length, long now) {
        channel.outstanding.decrementAndGet();
        metrics.results().resultReturned(channel.worker());
        Pending job = pending.remove(jobId);
        if (job == null) {
            return; // answered already (timeout, worker gone): the worker's late answer is dropped
        }
        if (job.sink.isOpen()) {
            job.sink.deliver(job.streamId, job.frameId, buf, offset, length); // written into the ACK at once: no copy
            Recorder counts = metrics.results();
            counts.answered(job.message, now - job.startNanos);
            if (outcome == JobOutcome.HANDLER_ERROR) {
                counts.failed(ErrorReason.HANDLER); // the worker's line says why, naming the frame
            } else if (outcome == JobOutcome.TOO_BIG) {
                counts.failed(ErrorReason.TOO_BIG);
            }
        }
    }
}
