package dev.spoa.ipc;

import java.util.Objects;
import java.util.concurrent.TimeUnit;

import net.openhft.chronicle.core.time.SystemTimeProvider;
import net.openhft.chronicle.core.time.TimeProvider;

/**
 * The knobs the public {@code open()} methods fix and that tests and the benchmark vary: the clock
 * the queues roll by, the doorbell mechanism, how long a waiter spins before parking and how long a
 * parked waiter sleeps at most before it looks again on its own.
 *
 * @param clock       what decides the current roll cycle of a writer
 * @param doorbell    futex (kept) or FIFO byte (measured against it)
 * @param spinNanos   busy-wait before parking. 0 by default: on this 2-core machine every spin
 *                    measured (5, 20, 50 µs; IpcBenchmark) raised both round-trip time and CPU,
 *                    because a spinning thread holds a core that the woken peer or the sender needs;
 *                    worth trying again only where cores outnumber busy threads
 * @param safetyNanos the longest single park; a lost wake-up would cost at most this much
 * @param rollBytes   how much a queue's cycle holds before its writer rolls to a new one (see
 *                    {@link CycleClock}); 0 rolls at every new cycle of the clock, as Chronicle does
 */
record Tuning(TimeProvider clock, DoorbellKind doorbell, long spinNanos, long safetyNanos, long rollBytes) {

    static {
        // SystemTimeProvider loads Chronicle's Jvm class, which reads the properties set there.
        ChronicleSetup.ensure();
    }

    // A second: every idle look costs a Chronicle read that checks for newer cycle files, and six
    // idle processes looking ten times a second cost 1.8 % of a core; the stress test loses no
    // wake-up, so this bound is only ever paid if the doorbell is broken.
    //
    // 1 MiB a cycle: an idle queue keeps at most about that much written and mapped, in the front
    // and in its worker, and the next roll unmaps and deletes less. At 5,000 of the bench's NOTIFYs
    // a second, which packing's rotation hands each worker one second in five, a job queue rolled
    // every ~15 s and a result queue every ~35 s with fixed-width fields (~73 bytes a job, ~30 a
    // result): a roll somewhere every ~2 s (19 in 30 s, counted at 17:56), half as many at 2 MiB.
    // The fields are varints since (~40 bytes a job, ~20 a result; JobRecord): job queues roll
    // ~1.7 times less often, result queues ~1.5 times. A queue taking more than
    // 1 MiB per two-second cycle (~0.5 MiB/s) rolls at every cycle. Measured at rest after the bench's
    // scenarios: the queues' pages in all six processes 16-27 MB at 2 MiB, 9-14 MB at 1 MiB (8 MiB
    // had cost 60 MB more RSS than 1 MiB). The price is in the tail: twice the rolls of 2 MiB, and
    // each holds the requests behind it for 5-10 ms (docs/BENCHMARKS.md, "The p99 at fixed rates");
    // p99 at 5,000/s was no worse in two alternated pairs, its p99.9 is where rolls show.
    static final Tuning DEFAULT = new Tuning(SystemTimeProvider.INSTANCE, DoorbellKind.FUTEX,
            0, TimeUnit.SECONDS.toNanos(1), 1L << 20);

    Tuning {
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(doorbell, "doorbell");
        if (spinNanos < 0 || safetyNanos <= 0 || rollBytes < 0) {
            throw new IllegalArgumentException("spinNanos " + spinNanos + ", safetyNanos " + safetyNanos + ", rollBytes " + rollBytes);
        }
    }

    Tuning withClock(TimeProvider newClock) {
        return new Tuning(newClock, doorbell, spinNanos, safetyNanos, rollBytes);
    }

    Tuning withDoorbell(DoorbellKind kind) {
        return new Tuning(clock, kind, spinNanos, safetyNanos, rollBytes);
    }

    Tuning withSpinNanos(long nanos) {
        return new Tuning(clock, doorbell, nanos, safetyNanos, rollBytes);
    }

    Tuning withSafetyNanos(long nanos) {
        return new Tuning(clock, doorbell, spinNanos, nanos, rollBytes);
    }

    Tuning withRollBytes(long bytes) {
        return new Tuning(clock, doorbell, spinNanos, safetyNanos, bytes);
    }
}
