package dev.spoa.worker;

import java.util.concurrent.TimeUnit;

/**
 * When an idle worker hands its free C heap back to the system ({@code NativeHeap.trim}): after
 * 1, 5 and 30 seconds without a job, counted from the end of the last batch or from start-up.
 *
 * <p>Not once only: the JIT goes on compiling what a burst of jobs (or start-up) made hot for
 * seconds after the last job, on threads of its own, and frees its arenas to glibc when it is done.
 * Measured with one trim after a second: 5 s after an 8×16 burst, two of five workers still held
 * 8-10 MB that a trim returned. Measured in a worker after a burst: ~0.8 and ~1.4 ms for the trims
 * that returned memory, ~0.3 ms for one with nothing left to return; at most three per idle spell.
 */
final class IdleTrims {
    private static final long[] AFTER_NANOS = {
        TimeUnit.SECONDS.toNanos(1), TimeUnit.SECONDS.toNanos(5), TimeUnit.SECONDS.toNanos(30)};

    private long idleSince;
    private int done;

    /** Start-up counts as work: its compilations are still under way when the worker says it is ready. */
    IdleTrims(long nowNanos) {
        idleSince = nowNanos;
    }

    /** A batch of jobs ended at {@code nowNanos}: the schedule starts again from there. */
    void worked(long nowNanos) {
        idleSince = nowNanos;
        done = 0;
    }

    /** Whether a trim is due now, counting it as done if so: one trim for all the steps a late call passed. */
    boolean due(long nowNanos) {
        long idle = nowNanos - idleSince;
        int passed = done;
        while (passed < AFTER_NANOS.length && idle >= AFTER_NANOS[passed]) {
            passed++;
        }
        if (passed == done) {
            return false;
        }
        done = passed;
        return true;
    }
}
