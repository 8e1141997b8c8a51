package dev.spoa.protocol;

import java.util.List;

/**
 * NOTIFY (doc/SPOE.txt §3.2.6): messages HAProxy sends for one event of one stream; the agent
 * answers with an {@link Ack} carrying the same stream-id and frame-id, on the same connection.
 *
 * <p>Stream-id 0 is valid: HAProxy 2.6 numbers NOTIFYs with its global stream counter (the first
 * stream is 0) and counts the events of a stream in frame-id; 3.1+ uses odd stream-ids per
 * connection and frame-id 1.
 */
public record Notify(long streamId, long frameId, List<Message> messages) implements Frame {

    public Notify {
        messages = List.copyOf(messages);
    }

    @Override
    public FrameType type() {
        return FrameType.NOTIFY;
    }

    @Override
    public void encode(WireWriter out, int maxFrameSize) throws FrameTooBigException {
        out.writeFrame(FrameType.NOTIFY, streamId, frameId, maxFrameSize, messages, MessageList::write);
    }
}
