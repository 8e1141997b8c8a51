package dev.spoa.ipc;

import net.openhft.chronicle.bytes.Bytes;

/**
 * The layout of a job record, raw bytes (Chronicle Bytes), no field names: {@code jobId,
 * deadlineNanos, maxAckPayload, connection, streamId, frameId, length} as stop-bit numbers (seven
 * bits a byte, the high bit set on every byte but the last: Chronicle's varint), then
 * {@code messages:byte[length]}.
 *
 * <p>Why varints: a queue rolls to a new file once its records add up to the roll size, and each
 * roll stalls the requests behind it (see {@link CycleClock}). The benchmark's job took 48 bytes of
 * fixed-width fields for 21 of messages; as varints the fields take ~19 (the ids are small, the
 * deadline ~7 bytes), so a job queue rolls ~1.7 times less often for the same memory.
 */
final class JobRecord {

    /** The longest the fields can take: five longs of up to ten bytes and two ints of up to six. */
    static final int MAX_HEADER = 5 * Records.MAX_STOP_BIT_LONG + 2 * Records.MAX_STOP_BIT_INT;

    private JobRecord() {
    }

    /** @return how many bytes were written, as the writer's {@link CycleClock} counts them */
    static int write(Bytes<?> out, long jobId, long deadlineNanos, int maxAckPayload, long connection, long streamId, long frameId,
                     byte[] buf, int offset, int length) {
        long start = out.writePosition();
        out.writeStopBit(jobId);
        out.writeStopBit(deadlineNanos);
        out.writeStopBit(maxAckPayload);
        out.writeStopBit(connection);
        out.writeStopBit(streamId);
        out.writeStopBit(frameId);
        out.writeStopBit(length);
        out.write(buf, offset, length);
        return (int) (out.writePosition() - start);
    }

    static JobReader.Job read(Bytes<?> in) {
        long jobId = in.readStopBit();
        long deadlineNanos = in.readStopBit();
        int maxAckPayload = Records.readInt(in);
        long connection = in.readStopBit();
        long streamId = in.readStopBit();
        long frameId = in.readStopBit();
        byte[] messages = new byte[Records.checkedLength(in, Records.readInt(in))];
        Records.readFully(in, messages);
        return new JobReader.Job(jobId, deadlineNanos, maxAckPayload, connection, streamId, frameId, messages);
    }
}
