package dev.spoa.ipc;

import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.rollcycles.RollCycleArithmetic;

/**
 * The roll cycle of every queue here: the finest a writer can roll at. Writers roll by size
 * ({@link CycleClock}), once the cycle holds 1 MiB, but never twice within one of these cycles.
 * Chronicle 2026.4's fastest production cycle is five minutes: at ~300 k records/s of ~230 bytes
 * that is ~20 GB of tmpfs (memory) per cycle. With two seconds a cycle holds at most ~140 MB at
 * that rate, and the reader deletes a cycle as soon as it has moved past it ({@link ConsumedCycles}).
 *
 * <p>Two seconds rather than one: cycle numbers are {@code epochMillis / length} in 31 bits, which
 * one-second cycles exhaust in 2038 and two-second cycles in 2106. An index entry every 64 records
 * and 1024-entry index arrays keep each file's fixed overhead at a few KB while allowing 2^26
 * records per cycle (33 M/s). Both sides of a queue must use the same cycle: Chronicle only
 * recognises its own enums when it has to guess a queue's cycle, and ours always says it.
 */
enum IpcRollCycle implements RollCycle {
    TWO_SECONDLY("yyyyMMdd-HHmmss'I2'", 2_000, 1024, 64);

    private final String format;
    private final int lengthInMillis;
    private final int indexCount;
    private final int indexSpacing;
    private final RollCycleArithmetic arithmetic;

    IpcRollCycle(String format, int lengthInMillis, int indexCount, int indexSpacing) {
        this.format = format;
        this.lengthInMillis = lengthInMillis;
        this.indexCount = indexCount;
        this.indexSpacing = indexSpacing;
        this.arithmetic = RollCycleArithmetic.of(indexCount, indexSpacing);
    }

    @Override
    public String format() {
        return format;
    }

    @Override
    public int lengthInMillis() {
        return lengthInMillis;
    }

    @Override
    public int defaultIndexCount() {
        return indexCount;
    }

    @Override
    public int defaultIndexSpacing() {
        return indexSpacing;
    }

    @Override
    public long toIndex(int cycle, long sequenceNumber) {
        return arithmetic.toIndex(cycle, sequenceNumber);
    }

    @Override
    public long toSequenceNumber(long index) {
        return arithmetic.toSequenceNumber(index);
    }

    @Override
    public int toCycle(long index) {
        return arithmetic.toCycle(index);
    }

    @Override
    public long maxMessagesPerCycle() {
        return arithmetic.maxMessagesPerCycle();
    }
}
