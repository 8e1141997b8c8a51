package dev.spoa.ipc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * What a worker is doing, in a small file both processes map: the front reads it without a round
 * trip, and it outlives the worker, so after a crash the front still knows which job it held.
 *
 * <p>One writer (the worker's job loop), any number of readers. Times are {@link System#nanoTime()}
 * values: on Linux that is CLOCK_MONOTONIC, the same clock in every process of the machine, which
 * is also the clock of the job deadlines the front writes.
 *
 * <ul>
 *   <li>{@link #heartbeat()}: when the job loop last showed it was turning (it beats at every job
 *       and at least once a second when idle);
 *   <li>{@link #currentJob()} and {@link #currentDeadline()}: the job the handler is running, 0 when
 *       none;
 *   <li>{@link #jobsDone()}: jobs answered so far, and {@link #busyNanos()}: the time the handler
 *       spent on them, from which the front learns how long a job takes.
 * </ul>
 *
 * <p>Nothing to close: the JDK unmaps the file when the buffer is collected, and the file goes with
 * the incarnation's queues.
 */
public final class WorkerStatus {
    private static final int HEARTBEAT = 0;
    private static final int CURRENT_JOB = 8;
    private static final int CURRENT_DEADLINE = 16;
    private static final int JOBS_DONE = 24;
    private static final int BUSY_NANOS = 32;
    private static final int SIZE = 64;
    /** Aligned 8-byte slots of a direct buffer: volatile and release/acquire access work across processes. */
    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());

    private final Path file;
    private final MappedByteBuffer map;
    private long jobsDone;
    private long busyNanos;
    private long startedAt;

    private WorkerStatus(Path file, MappedByteBuffer map) {
        this.file = file;
        this.map = map;
        this.jobsDone = (long) LONGS.getAcquire(map, JOBS_DONE);
        this.busyNanos = (long) LONGS.getAcquire(map, BUSY_NANOS);
    }

    /** The front, when it makes the incarnation's queues: a zeroed file. */
    public static WorkerStatus create(WorkerQueues queues) {
        return map(queues.statusFile(), StandardOpenOption.CREATE_NEW);
    }

    /** The worker, or anyone reading an existing incarnation's status. */
    public static WorkerStatus open(WorkerQueues queues) {
        return map(queues.statusFile(), StandardOpenOption.READ);
    }

    private static WorkerStatus map(Path file, StandardOpenOption mode) {
        try (FileChannel channel = FileChannel.open(file, mode, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            // The mapping stays valid after the channel closes.
            return new WorkerStatus(file, channel.map(FileChannel.MapMode.READ_WRITE, 0, SIZE));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot map the worker status " + file, e);
        }
    }

    // ---- the worker's job loop ----

    /** The loop turned without a job (say, a poll that timed out). */
    public void beat() {
        LONGS.setRelease(map, HEARTBEAT, System.nanoTime());
    }

    /** The handler starts on this job; the deadline is the one the front wrote in the job. */
    public void started(long jobId, long deadlineNanos) {
        LONGS.setRelease(map, CURRENT_DEADLINE, deadlineNanos);
        LONGS.setRelease(map, CURRENT_JOB, jobId);
        startedAt = System.nanoTime();
        LONGS.setRelease(map, HEARTBEAT, startedAt);
    }

    /** The handler is done with the current job. */
    public void finished() {
        long now = System.nanoTime();
        LONGS.setRelease(map, CURRENT_JOB, 0L);
        busyNanos += now - startedAt;
        LONGS.setRelease(map, BUSY_NANOS, busyNanos);
        LONGS.setRelease(map, JOBS_DONE, ++jobsDone); // after the busy time: a reader that sees a job done sees its time
        LONGS.setRelease(map, HEARTBEAT, now);
    }

    // ---- readers ----

    /** When the loop last turned, on the {@link System#nanoTime()} clock; 0 before the worker's first beat. */
    public long heartbeat() {
        return (long) LONGS.getAcquire(map, HEARTBEAT);
    }

    /** The job the handler is running, or 0. */
    public long currentJob() {
        return (long) LONGS.getAcquire(map, CURRENT_JOB);
    }

    /** The deadline of {@link #currentJob()}; meaningless when that is 0. */
    public long currentDeadline() {
        return (long) LONGS.getAcquire(map, CURRENT_DEADLINE);
    }

    public long jobsDone() {
        return (long) LONGS.getAcquire(map, JOBS_DONE);
    }

    /** The handler's time on the jobs done so far (from {@link #started} to {@link #finished}). */
    public long busyNanos() {
        return (long) LONGS.getAcquire(map, BUSY_NANOS);
    }

    @Override
    public String toString() {
        return "WorkerStatus " + file;
    }
}
