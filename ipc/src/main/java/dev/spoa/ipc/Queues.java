package dev.spoa.ipc;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import net.openhft.chronicle.core.time.TimeProvider;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.threads.LongPauser;

/** Builds every Chronicle queue of this module, so writer and reader always agree on the settings. */
final class Queues {

    /**
     * Chronicle maps a queue file in blocks and caps one record at a quarter of a block. 4 MiB
     * blocks allow records of up to 1 MiB (far above any SPOP frame HAProxy sends) and, the files
     * being sparse on tmpfs, cost memory only where records are written.
     */
    static final long BLOCK_SIZE = 4L << 20;

    /** The largest record body (header included) Chronicle accepts with {@link #BLOCK_SIZE}, minus slack. */
    static final int MAX_RECORD = (int) (BLOCK_SIZE / 4) - 1024;

    private Queues() {
    }

    /**
     * For a reader: the real clock. A tailer finds later cycles in the directory listing, not by its
     * clock, which Chronicle uses to pace refreshes of that listing and, while a cycle it looks for
     * is not there yet, to tell whether the writer has moved on.
     */
    static SingleChronicleQueue open(Path dir, Tuning tuning) {
        return open(dir, tuning.clock());
    }

    /** For the queue's one writer: rolls by size, see {@link CycleClock}. */
    static SingleChronicleQueue openForWriting(Path dir, CycleClock clock) {
        return open(dir, clock);
    }

    /** The writer's cycle clock for a queue opened with {@link #openForWriting}. */
    static CycleClock cycleClock(Tuning tuning) {
        return new CycleClock(tuning.clock(), IpcRollCycle.TWO_SECONDLY.lengthInMillis(), tuning.rollBytes());
    }

    private static SingleChronicleQueue open(Path dir, TimeProvider clock) {
        ChronicleSetup.ensure();
        return SingleChronicleQueueBuilder.binary(dir)
                .rollCycle(IpcRollCycle.TWO_SECONDLY)
                .blockSize(BLOCK_SIZE)
                .timeProvider(clock)
                // Used only while the append lock is contended, i.e. never with one writer per queue
                // unless a crashed writer left it locked. Built explicitly: Pauser's factory methods
                // silently turn sleepy below 4 CPUs, and the default yields for 0.5 s first.
                .pauserSupplier(() -> new LongPauser(0, 100, 50, 1_000, TimeUnit.MICROSECONDS))
                .build();
    }
}
