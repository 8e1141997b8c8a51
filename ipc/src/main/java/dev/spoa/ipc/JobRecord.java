package dev.spoa.ipc;

import net.openhft.chronicle.bytes.Bytes;

/**
 * The layout of a job record, raw little-endian bytes (Chronicle Bytes), no field names:
 * {@code jobId:long, deadlineNanos:long, maxAckPayload:int, length:int, messages:byte[length]}.
 */
final class JobRecord {

    static final int HEADER = 8 + 8 + 4 + 4;

    private JobRecord() {
    }

    static void write(Bytes<?> out, long jobId, long deadlineNanos, int maxAckPayload,
                      byte[] buf, int offset, int length) {
        out.writeLong(jobId);
        out.writeLong(deadlineNanos);
        out.writeInt(maxAckPayload);
        out.writeInt(length);
        out.write(buf, offset, length);
    }

    static JobReader.Job read(Bytes<?> in) {
        long jobId = in.readLong();
        long deadlineNanos = in.readLong();
        int maxAckPayload = in.readInt();
        byte[] messages = new byte[Records.checkedLength(in, in.readInt())];
        Records.readFully(in, messages);
        return new JobReader.Job(jobId, deadlineNanos, maxAckPayload, messages);
    }
}
