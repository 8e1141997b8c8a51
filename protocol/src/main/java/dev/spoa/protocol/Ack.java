package dev.spoa.protocol;

import java.util.List;

/**
 * ACK (doc/SPOE.txt §3.2.7): the agent's answer to one NOTIFY, with the NOTIFY's stream-id and
 * frame-id and a list of actions (possibly empty: HAProxy then just resumes the stream).
 */
public record Ack(long streamId, long frameId, List<Action> actions) implements Frame {

    public Ack {
        actions = List.copyOf(actions);
    }

    @Override
    public FrameType type() {
        return FrameType.ACK;
    }

    @Override
    public void encode(WireWriter out, int maxFrameSize) throws FrameTooBigException {
        out.writeFrame(FrameType.ACK, streamId, frameId, maxFrameSize, actions, ActionList::writeActions);
    }

    /** Room for the action list in an ACK for this stream-id/frame-id that must fit in {@code maxFrameSize}. */
    public static int maxPayload(long streamId, long frameId, int maxFrameSize) {
        return maxFrameSize - (1 + 4 + Varint.size(streamId) + Varint.size(frameId));
    }

    /**
     * Writes an ACK around an action list encoded elsewhere ({@link ActionList#encode}, in a worker),
     * without decoding it again.
     */
    public static void encode(WireWriter out, long streamId, long frameId, byte[] actions, int offset, int length,
            int maxFrameSize) throws FrameTooBigException {
        out.writeFrame(FrameType.ACK, streamId, frameId, maxFrameSize, actions, offset, length);
    }
}
