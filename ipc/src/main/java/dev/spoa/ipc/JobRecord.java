package dev.spoa.ipc;

import net.openhft.chronicle.bytes.Bytes;

/**
 * The layout of a job record, raw little-endian bytes (Chronicle Bytes), no field names:
 * {@code jobId:long, deadlineNanos:long, maxAckPayload:int, connection:long, streamId:long,
 * frameId:long, length:int, messages:byte[length]}.
 */
final class JobRecord {

    static final int HEADER = 8 + 8 + 4 + 8 + 8 + 8 + 4;

    private JobRecord() {
    }

    static void write(Bytes<?> out, long jobId, long deadlineNanos, int maxAckPayload, long connection, long streamId, long frameId,
                      byte[] buf, int offset, int length) {
        out.writeLong(jobId);
        out.writeLong(deadlineNanos);
        out.writeInt(maxAckPayload);
        out.writeLong(connection);
        out.writeLong(streamId);
        out.writeLong(frameId);
        out.writeInt(length);
        out.write(buf, offset, length);
    }

    static JobReader.Job read(Bytes<?> in) {
        long jobId = in.readLong();
        long deadlineNanos = in.readLong();
        int maxAckPayload = in.readInt();
        long connection = in.readLong();
        long streamId = in.readLong();
        long frameId = in.readLong();
        byte[] messages = new byte[Records.checkedLength(in, in.readInt())];
        Records.readFully(in, messages);
        return new JobReader.Job(jobId, deadlineNanos, maxAckPayload, connection, streamId, frameId, messages);
    }
}
