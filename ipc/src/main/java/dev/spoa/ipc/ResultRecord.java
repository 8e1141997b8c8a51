package dev.spoa.ipc;

import net.openhft.chronicle.bytes.Bytes;

/**
 * The layout of a result record, raw little-endian bytes (Chronicle Bytes), no field names:
 * {@code jobId:long, outcome:int, length:int, payload:byte[length]}.
 */
final class ResultRecord {

    static final int HEADER = 8 + 4 + 4;

    private ResultRecord() {
    }

    static void write(Bytes<?> out, long jobId, int outcome, byte[] buf, int offset, int length) {
        out.writeLong(jobId);
        out.writeInt(outcome);
        out.writeInt(length);
        out.write(buf, offset, length);
    }
}
