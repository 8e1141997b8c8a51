package dev.spoa.protocol;

/**
 * Finds frames in the bytes one peer sends over one connection and applies the rules that depend
 * on the connection: which side is talking, whether the HELLO has been seen, and the frame size
 * limit (the configured one before the HELLO, the negotiated one after).
 *
 * <p>Typical use by the agent: {@code next()} until null, hand each header to {@link #decode}
 * (or, for a NOTIFY to forward, {@link #validateNotify}), and after answering the HELLO call
 * {@link #useMaxFrameSize} with the negotiated value. One decoder per connection, used by one
 * thread at a time. Frames of unknown type come back
 * as {@link FrameType#UNKNOWN} for the caller to skip.
 */
public final class FrameDecoder {
    /** One cursor for every frame of the connection: decoding allocates the decoded values and nothing else. */
    private final WireReader reader = new WireReader();
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
        FrameHeader header = FrameHeader.parse(buf, offset, size, reader);
        check(header);
        return header;
    }

    /** Decodes the payload of a frame {@link #next} returned (the same as {@link Frame#decode}, without a cursor per call). */
    public Frame decode(FrameHeader header, byte[] buf) throws SpopException {
        return decodePayload(header, reader.reset(buf, header.payloadOffset(), header.payloadLength()));
    }

    /**
     * What the front does with a NOTIFY: checks its messages exactly as decoding would, builds
     * nothing, and returns how many there are. The payload's bytes can then be forwarded as they are.
     */
    public int validateNotify(FrameHeader header, byte[] buf) throws SpopException {
        if (header.type() != FrameType.NOTIFY) {
            throw new IllegalArgumentException("not a NOTIFY: " + header.type());
        }
        return MessageList.skip(reader.reset(buf, header.payloadOffset(), header.payloadLength()));
    }

    static Frame decodePayload(FrameHeader header, WireReader payload) throws SpopException {
        switch (header.type()) {
            case HAPROXY_HELLO:
                return HaproxyHello.decode(payload);
            case AGENT_HELLO:
                return AgentHello.decode(payload);
            case HAPROXY_DISCONNECT:
                return HaproxyDisconnect.decode(payload);
            case AGENT_DISCONNECT:
                return AgentDisconnect.decode(payload);
            case NOTIFY:
                return Notify.decode(header, payload);
            case ACK:
                return Ack.decode(header, payload);
            default:
                throw new SpopException(Status.INVALID_FRAME, "unknown frame type " + header.typeCode());
        }
    }

    private void check(FrameHeader header) throws SpopException {
        FrameType type = header.type();
        boolean wrongSide = type != FrameType.UNKNOWN && type.sentByHaproxy() != readsHaproxy;
        boolean connectionFrame = type.isHello() || type.isDisconnect();
        if (wrongSide || (connectionFrame && (header.streamId() != 0 || header.frameId() != 0))
                || (type.isHello() && helloSeen) || (!helloSeen && !connectionFrame)) {
            throw refused(header);
        }
        if (type.isHello()) {
            helloSeen = true;
        }
    }

    /** Why {@link #check} refused this header; built apart so that the check stays small enough to inline. */
    private SpopException refused(FrameHeader header) {
        FrameType type = header.type();
        String why;
        if (type != FrameType.UNKNOWN && type.sentByHaproxy() != readsHaproxy) {
            why = type + " is not a frame " + (readsHaproxy ? "HAProxy" : "an agent") + " sends";
        } else if ((type.isHello() || type.isDisconnect()) && (header.streamId() != 0 || header.frameId() != 0)) {
            why = type + " with stream-id " + Long.toUnsignedString(header.streamId()) + " and frame-id "
                    + Long.toUnsignedString(header.frameId()) + " (both must be 0)";
        } else if (type.isHello()) {
            why = "second " + type + " on the connection";
        } else {
            why = "frame type " + header.typeCode() + " before the HELLO handshake";
        }
        return new SpopException(Status.INVALID_FRAME, why);
    }
}
