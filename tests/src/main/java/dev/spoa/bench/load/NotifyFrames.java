package dev.spoa.bench.load;

import dev.spoa.protocol.Varint;
import java.nio.charset.StandardCharsets;

/**
 * The one NOTIFY the generator sends, written straight into a connection's output array: message
 * {@code check-client-ip} with one argument {@code ip}, an IPv4 address, frame-id 1 (as HAProxy 3.1
 * numbers frames). Only the stream-id and the address change from frame to frame, so everything
 * else is a constant copied in; nothing is allocated.
 *
 * <pre>
 * LENGTH:4 | 0x03 (NOTIFY) | FLAGS:4 = FIN | STREAM-ID:varint | FRAME-ID:varint = 1
 *   | name "check-client-ip" | NB-ARGS = 1 | name "ip" | 0x06 (IPv4) | ADDRESS:4
 * </pre>
 */
final class NotifyFrames {
    static final String MESSAGE = "check-client-ip";
    static final String ARGUMENT = "ip";
    private static final int NOTIFY = 3;
    private static final int IPV4 = 6;
    private static final byte[] MESSAGE_BEFORE_ADDRESS = messageBeforeAddress();
    /** The largest frame: a stream-id takes at most 10 bytes. */
    static final int MAX_SIZE = 4 + 1 + 4 + Varint.MAX_BYTES + 1 + MESSAGE_BEFORE_ADDRESS.length + 4;

    private NotifyFrames() {
    }

    /** Writes one NOTIFY at {@code pos} (room for {@link #MAX_SIZE} bytes is the caller's business); returns its end. */
    static int write(byte[] buf, int pos, long streamId, int address) {
        int start = pos;
        pos += 4;
        buf[pos++] = NOTIFY;
        buf[pos++] = 0;
        buf[pos++] = 0;
        buf[pos++] = 0;
        buf[pos++] = 1; // FIN: never fragmented
        pos = Varint.write(buf, pos, streamId);
        buf[pos++] = 1; // frame-id
        System.arraycopy(MESSAGE_BEFORE_ADDRESS, 0, buf, pos, MESSAGE_BEFORE_ADDRESS.length);
        pos += MESSAGE_BEFORE_ADDRESS.length;
        pos = writeInt(buf, pos, address);
        writeInt(buf, start, pos - start - 4);
        return pos;
    }

    /** The addresses the frames carry: 10.x.y.z, a different one each time (a counter's low 24 bits). */
    static int address(long counter) {
        return 0x0A00_0000 | (int) (counter & 0xFF_FFFF);
    }

    private static byte[] messageBeforeAddress() {
        byte[] message = MESSAGE.getBytes(StandardCharsets.US_ASCII);
        byte[] argument = ARGUMENT.getBytes(StandardCharsets.US_ASCII);
        // Both names are shorter than 240 bytes: their length varints are one byte.
        byte[] bytes = new byte[1 + message.length + 1 + 1 + argument.length + 1];
        int pos = 0;
        bytes[pos++] = (byte) message.length;
        System.arraycopy(message, 0, bytes, pos, message.length);
        pos += message.length;
        bytes[pos++] = 1; // one argument
        bytes[pos++] = (byte) argument.length;
        System.arraycopy(argument, 0, bytes, pos, argument.length);
        pos += argument.length;
        bytes[pos] = IPV4;
        return bytes;
    }

    private static int writeInt(byte[] buf, int pos, int value) {
        buf[pos] = (byte) (value >>> 24);
        buf[pos + 1] = (byte) (value >>> 16);
        buf[pos + 2] = (byte) (value >>> 8);
        buf[pos + 3] = (byte) value;
        return pos + 4;
    }
}
