package dev.spoa.protocol;

/**
 * Finds frames in the bytes one peer sends over one connection and applies the rules that depend
 * on the connection: which side is talking, whether the HELLO has been seen, and the frame size
 * limit (the configured one before the HELLO, the negotiated one after).
 *
 * <p>Typical use by the agent: {@code next()} until null, hand each header to
 * {@link Frame#decode} (or, for NOTIFY, {@link MessageList#validate}), and after answering the
 * HELLO call {@link #useMaxFrameSize} with the negotiated value. Frames of unknown type come back
 * as {@link FrameType#UNKNOWN} for the caller to skip.
 */
public final class FrameDecoder {
    private final boolean readsHaproxy;
    private int maxFrameSize;
    private boolean helloSeen;
    private int bytesNeeded = 4;

    private FrameDecoder(boolean readsHaproxy, int maxFrameSize) {
        this.readsHaproxy = readsHaproxy;
        useMaxFrameSize(maxFrameSize);
    }

    /** For an agent: reads what HAProxy sends, with the agent's configured limit until the HELLO is answered. */
    public static FrameDecoder forAgent(int configuredMaxFrameSize) {
        return new FrameDecoder(true, configuredMaxFrameSize);
    }

    /** For HAProxy's side (test clients, load generators): reads what an agent sends. */
    public static FrameDecoder forHaproxy(int maxFrameSize) {
        return new FrameDecoder(false, maxFrameSize);
    }

    /** The limit applied to every later frame; call it with the negotiated max-frame-size once the HELLO exchange is done. */
    public void useMaxFrameSize(int maxFrameSize) {
        Handshake.checkFrameSize(maxFrameSize);
        this.maxFrameSize = maxFrameSize;
    }

    public int maxFrameSize() {
        return maxFrameSize;
    }

    public boolean helloSeen() {
        return helloSeen;
    }

    /**
     * After {@link #next} returned null: how many bytes, from the start of the pending frame, must be
     * in the buffer before it can return that frame (never more than 4 + max-frame-size).
     */
    public int bytesNeeded() {
        return bytesNeeded;
    }

    /** The next complete frame in {@code buf[offset, offset + length)}, or null if it is not all there yet. */
    public FrameHeader next(byte[] buf, int offset, int length) throws SpopException {
        int size = FrameHeader.frameSize(buf, offset, length, maxFrameSize);
        if (size < 0 || size > length) {
            bytesNeeded = Math.max(size, 4);
            return null;
        }
        FrameHeader header = FrameHeader.parse(buf, offset, size);
        check(header);
        return header;
    }

    private void check(FrameHeader header) throws SpopException {
        FrameType type = header.type();
        if (type != FrameType.UNKNOWN && type.sentByHaproxy() != readsHaproxy) {
            throw new SpopException(Status.INVALID_FRAME, type + " is not a frame " + (readsHaproxy ? "HAProxy" : "an agent") + " sends");
        }
        if ((type.isHello() || type.isDisconnect()) && (header.streamId() != 0 || header.frameId() != 0)) {
            throw new SpopException(Status.INVALID_FRAME, type + " with stream-id " + Long.toUnsignedString(header.streamId())
                    + " and frame-id " + Long.toUnsignedString(header.frameId()) + " (both must be 0)");
        }
        if (type.isHello()) {
            if (helloSeen) {
                throw new SpopException(Status.INVALID_FRAME, "second " + type + " on the connection");
            }
            helloSeen = true;
        } else if (!helloSeen && !type.isDisconnect()) {
            throw new SpopException(Status.INVALID_FRAME, "frame type " + header.typeCode() + " before the HELLO handshake");
        }
    }
}
