package dev.spoa.ipc;

import net.openhft.chronicle.core.time.TimeProvider;

/**
 * A writer's clock for its queue, which decides when the queue rolls to a new cycle file: by size,
 * not by time. Chronicle rolls an appender when its clock enters a new cycle; this clock stands
 * still at the time its current cycle began and moves to the real time only once the cycle holds
 * {@code rollBytes} of records (and the real time is in a later cycle).
 *
 * <p>Why: a roll costs each side a few milliseconds (a new file mapped, its index written, the
 * reader's move and the deletion of the file it left, all in code that runs too rarely for the JIT
 * to compile it). Rolled by time, every queue of the agent rolled in the same instant every two
 * seconds, on the agent's one core: measured at 5,000 NOTIFY/s, a 30 to 80 ms stall every two
 * seconds that held hundreds of jobs, the whole of the p99 latency. Rolled by size, a queue at
 * that rate rolls every few seconds, when it is full rather than when the others are, and an idle
 * queue never does. The bound on memory stays what rolling was for: a queue keeps about
 * {@code rollBytes} behind its reader plus what is written in one cycle length while the reader
 * catches up (the reader deletes each cycle file once it has moved past it, see
 * {@link ConsumedCycles}).
 *
 * <p>The cycle's time is a real time that passed, so readers, which keep the real clock, never see
 * a cycle from the future, and the file names still tell when each cycle began. Two limits follow.
 * A queue that takes more than {@code rollBytes} in one cycle length (above ~0.5 MiB/s at the
 * default 1 MiB) rolls at the next boundary of the real clock's cycles, together with the others
 * as full: so it was before, and at such rates the throughput counts, not the tail. After the wall
 * clock steps back, a full queue rolls again only once the real time has passed its cycle's start
 * (until then its current file grows);
 * Chronicle's own clock would instead have rolled back to an older cycle, which its readers do not
 * follow. Used by the writer's thread; read by Chronicle on it.
 */
final class CycleClock implements TimeProvider {
    private final TimeProvider realTime;
    private final long cycleMillis;
    private final long rollBytes;
    private long cycleStartMillis;
    private long bytesInCycle;

    CycleClock(TimeProvider realTime, long cycleMillis, long rollBytes) {
        if (cycleMillis <= 0 || rollBytes < 0) {
            throw new IllegalArgumentException("cycleMillis " + cycleMillis + ", rollBytes " + rollBytes);
        }
        this.realTime = realTime;
        this.cycleMillis = cycleMillis;
        this.rollBytes = rollBytes;
        this.cycleStartMillis = realTime.currentTimeMillis();
    }

    /**
     * Before appending a record: moves the clock on (so that this append starts a new cycle) if the
     * current cycle is full and the real time is in a later cycle.
     */
    void beforeAppend() {
        if (bytesInCycle >= rollBytes) {
            long now = realTime.currentTimeMillis();
            if (Math.floorDiv(now, cycleMillis) > Math.floorDiv(cycleStartMillis, cycleMillis)) {
                cycleStartMillis = now;
                bytesInCycle = 0;
            }
        }
    }

    /** After appending a record: its {@code bytes} count towards the current cycle. */
    void appended(int bytes) {
        bytesInCycle += bytes;
    }

    @Override
    public long currentTimeMillis() {
        return cycleStartMillis;
    }
}
