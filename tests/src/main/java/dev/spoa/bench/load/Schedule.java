package dev.spoa.bench.load;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * The run's instants on System.nanoTime's clock, the same for every generator thread: load starts,
 * the measured window opens (frames sent before count as warm-up) and closes (no NOTIFY is sent
 * after it), and the last moment to wait for the ACKs still outstanding.
 */
public record Schedule(long start, long windowStart, long windowEnd, long drainDeadline) {

    static Schedule startingAt(long start, Duration warmup, Duration duration, Duration drain) {
        long windowStart = start + warmup.toNanos();
        long windowEnd = windowStart + duration.toNanos();
        return new Schedule(start, windowStart, windowEnd, windowEnd + drain.toNanos());
    }

    boolean inWindow(long sentAt) {
        return sentAt >= windowStart && sentAt < windowEnd;
    }

    Duration window() {
        return Duration.ofNanos(windowEnd - windowStart);
    }

    /** Sleeps until this System.nanoTime instant. */
    public static void sleepUntil(long instant) {
        for (long left = instant - System.nanoTime(); left > 0; left = instant - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }
}
