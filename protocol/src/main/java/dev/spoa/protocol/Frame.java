package dev.spoa.protocol;

/** One SPOP frame, decoded. Each frame type has its own record, which both decodes and encodes it. */
public sealed interface Frame permits HaproxyHello, AgentHello, HaproxyDisconnect, AgentDisconnect, Notify, Ack {

    FrameType type();

    /**
     * Writes the whole frame, length prefix included, at the writer's position.
     *
     * @throws FrameTooBigException if it would exceed {@code maxFrameSize} (or the writer's limit);
     *     the writer is then left as it was
     */
    void encode(WireWriter out, int maxFrameSize) throws FrameTooBigException;

    /** Decodes the payload of a frame whose header {@link FrameHeader#read} or {@link FrameDecoder#next} found in {@code buf}. */
    static Frame decode(FrameHeader header, byte[] buf) throws SpopException {
        switch (header.type()) {
            case HAPROXY_HELLO:
                return HaproxyHello.decode(header, buf);
            case AGENT_HELLO:
                return AgentHello.decode(header, buf);
            case HAPROXY_DISCONNECT:
                return HaproxyDisconnect.decode(header, buf);
            case AGENT_DISCONNECT:
                return AgentDisconnect.decode(header, buf);
            case NOTIFY:
                return Notify.decode(header, buf);
            case ACK:
                return Ack.decode(header, buf);
            default:
                throw new SpopException(Status.INVALID_FRAME, "unknown frame type " + header.typeCode());
        }
    }
}
