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

    /**
     * Decodes the payload of a frame whose header {@link FrameHeader#read} found in {@code buf}.
     * A connection's {@link FrameDecoder#decode} does the same without a cursor per call.
     */
    static Frame decode(FrameHeader header, byte[] buf) throws SpopException {
        return FrameDecoder.decodePayload(header.typeCode(), header.streamId(), header.frameId(),
                new WireReader(buf, header.payloadOffset(), header.payloadLength()));
    }
}
