package dev.spoa.protocol;

/**
 * Finds frames in the bytes one peer sends over one connection and applies the rules that depend
 * on the connection: which side is talking, whether the HELLO has been seen, and the frame size
 * limit (the configured one before the HELLO, the negotiated one after).
 *
 * <p>Typical use by the agent: {@code next()} until null, hand each header to {@link #decode}
 * (or, for a NOTIFY to forward, {@link #validateNotify}), and after answering the HELLO call
 * {@link #useMaxFrameSize} with the negotiated value. Frames of unknown type come back as
 * {@link FrameType#UNKNOWN} for the caller to skip. One decoder per connection, used by one thread
 * at a time.
 */
public final class FrameDecoder {
    /** Whose frames a decoder reads; ANYONE applies the framing rules alone. */
    private enum Sender { HAPROXY, AGENT, ANYONE }

    /** One cursor for every frame of the connection: decoding allocates the decoded values and nothing else. */
    private final WireReader reader = new WireReader();
    private final Sender sender;
    private int maxFrameSize;
    private boolean helloSeen;
    private int bytesNeeded = 4;

    // The frame found by the last scan(): kept in fields so that next() stays small enough to be
    // inlined, which lets the JIT keep the FrameHeader it returns off the heap.
    private int typeCode;
    private int flags;
    private long streamId;
    private long frameId;
    private int payloadOffset;
    private int payloadLength;

    private FrameDecoder(Sender sender, int maxFrameSize) {
        this.sender = sender;
        useMaxFrameSize(maxFrameSize);
    }

    /** For an agent: reads what HAProxy sends, with the agent's configured limit until the HELLO is answered. */
    public static FrameDecoder forAgent(int configuredMaxFrameSize) {
        return new FrameDecoder(Sender.HAPROXY, configuredMaxFrameSize);
    }

    /** For HAProxy's side (test clients, load generators): reads what an agent sends. */
    public static FrameDecoder forHaproxy(int maxFrameSize) {
        return new FrameDecoder(Sender.AGENT, maxFrameSize);
    }

    /** Framing rules only (length, header, FIN), whoever sent the frame: {@link FrameHeader#read}. */
    static FrameDecoder framingOnly(int maxFrameSize) {
        return new FrameDecoder(Sender.ANYONE, maxFrameSize);
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
        return scan(buf, offset, length) ? new FrameHeader(typeCode, flags, streamId, frameId, payloadOffset, payloadLength) : null;
    }

    private boolean scan(byte[] buf, int offset, int length) throws SpopException {
        int size = FrameHeader.frameSize(buf, offset, length, maxFrameSize);
        if (size < 0 || size > length) {
            bytesNeeded = Math.max(size, 4);
            return false;
        }
        reader.reset(buf, offset + 4, size - 4);
        typeCode = reader.readUnsignedByte("frame type");
        flags = reader.readInt("frame flags");
        streamId = reader.readVarint("stream-id");
        frameId = reader.readVarint("frame-id");
        if ((flags & FrameHeader.FLAG_FIN) == 0) {
            throw FrameHeader.fragmented(typeCode);
        }
        payloadLength = reader.remaining();
        payloadOffset = offset + size - payloadLength;
        if (sender != Sender.ANYONE) {
            check(FrameType.byCode(typeCode));
        }
        return true;
    }

    /** Decodes the payload of a frame {@link #next} returned (the same as {@link Frame#decode}, without a cursor per call). */
    public Frame decode(FrameHeader header, byte[] buf) throws SpopException {
        // The record's fields go down, not the record: the callee is too big to inline, and
        // handing it the record would keep the record on the heap.
        return decodePayload(header.typeCode(), header.streamId(), header.frameId(),
                reader.reset(buf, header.payloadOffset(), header.payloadLength()));
    }

    /**
     * What the front does with a NOTIFY: checks its messages exactly as decoding would, builds
     * nothing, and returns how many there are. The payload's bytes can then be forwarded as they are.
     */
    public int validateNotify(FrameHeader header, byte[] buf) throws SpopException {
        if (header.typeCode() != FrameType.NOTIFY.code()) {
            throw new IllegalArgumentException("not a NOTIFY: " + header.type());
        }
        return MessageList.skip(reader.reset(buf, header.payloadOffset(), header.payloadLength()));
    }

    static Frame decodePayload(int typeCode, long streamId, long frameId, WireReader payload) throws SpopException {
        switch (FrameType.byCode(typeCode)) {
            case HAPROXY_HELLO:
                return HaproxyHello.decode(payload);
            case AGENT_HELLO:
                return AgentHello.decode(payload);
            case HAPROXY_DISCONNECT:
                return HaproxyDisconnect.decode(payload);
            case AGENT_DISCONNECT:
                return AgentDisconnect.decode(payload);
            case NOTIFY:
                return new Notify(streamId, frameId, MessageList.read(payload));
            case ACK:
                return new Ack(streamId, frameId, ActionList.read(payload));
            default:
                throw new SpopException(Status.INVALID_FRAME, "unknown frame type " + typeCode);
        }
    }

    private void check(FrameType type) throws SpopException {
        boolean wrongSide = type != FrameType.UNKNOWN && type.sentByHaproxy() != (sender == Sender.HAPROXY);
        boolean connectionFrame = type.isHello() || type.isDisconnect();
        if (wrongSide || (connectionFrame && (streamId != 0 || frameId != 0))
                || (type.isHello() && helloSeen) || (!helloSeen && !connectionFrame)) {
            throw refused(type);
        }
        if (type.isHello()) {
            helloSeen = true;
        }
    }

    /** Why {@link #check} refused this header; built apart so that the check stays small enough to inline. */
    private SpopException refused(FrameType type) {
        String why;
        if (type != FrameType.UNKNOWN && type.sentByHaproxy() != (sender == Sender.HAPROXY)) {
            why = type + " is not a frame " + (sender == Sender.HAPROXY ? "HAProxy" : "an agent") + " sends";
        } else if ((type.isHello() || type.isDisconnect()) && (streamId != 0 || frameId != 0)) {
            why = type + " with stream-id " + Long.toUnsignedString(streamId) + " and frame-id "
                    + Long.toUnsignedString(frameId) + " (both must be 0)";
        } else if (type.isHello()) {
            why = "second " + type + " on the connection";
        } else {
            why = "frame type " + typeCode + " before the HELLO handshake";
        }
        return new SpopException(Status.INVALID_FRAME, why);
    }
}
