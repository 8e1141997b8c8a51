package dev.spoa.protocol;

/**
 * The fixed part of one complete frame found in a buffer: type, flags, stream-id, frame-id, and
 * where its payload lies in that buffer ({@code payloadOffset}, {@code payloadLength}).
 *
 * <pre>
 * FRAME-LENGTH:4 bytes | FRAME-TYPE:1 byte | FLAGS:4 bytes | STREAM-ID:varint | FRAME-ID:varint | PAYLOAD
 * </pre>
 */
public record FrameHeader(int typeCode, int flags, long streamId, long frameId, int payloadOffset, int payloadLength) {

    public static final int FLAG_FIN = 0x1;
    public static final int FLAG_ABORT = 0x2;

    public FrameType type() {
        return FrameType.byCode(typeCode);
    }

    /** Offset just past this frame in the buffer it was read from. */
    public int end() {
        return payloadOffset + payloadLength;
    }

    /** ABORT: the sender cancels this frame's processing (HAProxy 2.x only sets it on fragmented frames). */
    public boolean aborted() {
        return (flags & FLAG_ABORT) != 0;
    }

    /**
     * Size on the wire (length prefix included) of the frame that starts at {@code offset}, or -1
     * while fewer than 4 bytes are there. Checks the announced length against
     * {@code maxFrameSize} first, so a caller grows its buffer only for a length it accepts.
     */
    public static int frameSize(byte[] buf, int offset, int length, int maxFrameSize) throws SpopException {
        if (length < 4) {
            return -1;
        }
        long frameLength = ((buf[offset] & 0xFFL) << 24) | ((buf[offset + 1] & 0xFF) << 16)
                | ((buf[offset + 2] & 0xFF) << 8) | (buf[offset + 3] & 0xFF);
        if (frameLength > maxFrameSize) {
            throw tooBig(frameLength, maxFrameSize);
        }
        return (int) frameLength + 4;
    }

    /**
     * Reads the header of the frame at {@code buf[offset, offset + length)}: null while that frame is
     * not complete in the buffer. Rules that hold for every frame whatever the connection's state:
     * the length fits {@code maxFrameSize}, the header fits the frame, FIN is set (we never announce
     * fragmentation). A connection's {@link FrameDecoder#next} adds the rules of its state.
     */
    public static FrameHeader read(byte[] buf, int offset, int length, int maxFrameSize) throws SpopException {
        return FrameDecoder.framingOnly(maxFrameSize).next(buf, offset, length);
    }

    private static SpopException tooBig(long frameLength, int maxFrameSize) {
        return new SpopException(Status.TOO_BIG, "frame length " + frameLength + " exceeds max-frame-size " + maxFrameSize);
    }

    static SpopException fragmented(int typeCode) {
        return new SpopException(Status.FRAGMENTATION_NOT_SUPPORTED,
                "frame type " + typeCode + " without FIN: fragmented payloads are not supported");
    }
}
