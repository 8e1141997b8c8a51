package dev.spoa.ipc;

import net.openhft.chronicle.bytes.Bytes;

/**
 * The layout of a result record, raw bytes (Chronicle Bytes), no field names: {@code jobId,
 * outcome, length} as stop-bit numbers (see {@link JobRecord} for why), then
 * {@code payload:byte[length]}. {@link ResultReader#drain} reads it field by field.
 */
final class ResultRecord {

    /** The longest the fields can take: a long of up to ten bytes and two ints of up to six. */
    static final int MAX_HEADER = Records.MAX_STOP_BIT_LONG + 2 * Records.MAX_STOP_BIT_INT;

    private ResultRecord() {
    }

    /** @return how many bytes were written, as the writer's {@link CycleClock} counts them */
    static int write(Bytes<?> out, long jobId, int outcome, byte[] buf, int offset, int length) {
        long start = out.writePosition();
        out.writeStopBit(jobId);
        out.writeStopBit(outcome);
        out.writeStopBit(length);
        out.write(buf, offset, length);
        return (int) (out.writePosition() - start);
    }
}
